import Foundation

/// Milliseconds on a clock that never goes backwards. Injected so tests can drive time.
public struct MonotonicClock: Sendable {
    public let milliseconds: @Sendable () -> UInt64

    public init(milliseconds: @escaping @Sendable () -> UInt64) {
        self.milliseconds = milliseconds
    }

    /// The process's monotonic clock.
    public static let system = MonotonicClock {
        UInt64(DispatchTime.now().uptimeNanoseconds / 1_000_000)
    }
}
