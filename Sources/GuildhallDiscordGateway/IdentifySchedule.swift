/// Identify slots per bucket, as a pure value: each reservation gets the earliest instant
/// at least `spacing` after the bucket's previous slot. Reservations are served in the
/// order they are made.
public struct IdentifySchedule: Sendable, Hashable {
    public typealias Instant = ContinuousClock.Instant

    public let spacing: Duration
    private var nextFree: [Int: Instant] = [:]

    public init(spacing: Duration = IdentifyWindow.spacing) {
        precondition(spacing > .zero, "identify spacing must be positive")
        self.spacing = spacing
    }

    /// Reserves the next slot of `bucket` and returns when it starts.
    public mutating func reserve(bucket: Int, now: Instant) -> Instant {
        let slot = max(now, nextFree[bucket] ?? now)
        nextFree[bucket] = slot + spacing
        return slot
    }
}
