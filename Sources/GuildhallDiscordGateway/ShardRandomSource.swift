/// Where a shard's randomness comes from (heartbeat jitter, reconnect waits). Injected so
/// tests can fix it.
public struct ShardRandomSource: Sendable {
    /// A number in `0..<1`.
    public let unitInterval: @Sendable () -> Double

    public init(unitInterval: @escaping @Sendable () -> Double) {
        self.unitInterval = unitInterval
    }

    public static let system = ShardRandomSource { Double.random(in: 0..<1) }

    /// A value drawn uniformly from `range`.
    func duration(in range: ClosedRange<Duration>) -> Duration {
        let fraction = min(max(unitInterval(), 0), 1)
        return range.lowerBound + (range.upperBound - range.lowerBound) * fraction
    }
}
