/// How long a shard waits before reconnecting after connections that failed in a row:
/// exponential from `initial`, capped at `maximum`, with the upper half randomised so
/// many shards do not come back in lockstep.
public struct ReconnectBackoff: Sendable, Hashable {
    public var initial: Duration
    public var maximum: Duration

    public init(initial: Duration = .seconds(1), maximum: Duration = .seconds(60)) {
        precondition(initial > .zero && maximum >= initial, "backoff needs 0 < initial <= maximum")
        self.initial = initial
        self.maximum = maximum
    }

    /// The wait after `failures` failed connections in a row; zero before the first failure,
    /// because a healthy session that drops reconnects at once.
    func delay(afterFailures failures: Int, random: ShardRandomSource) -> Duration {
        guard failures > 0 else { return .zero }
        var ceiling = initial
        for _ in 1..<min(failures, 32) where ceiling < maximum {
            ceiling = ceiling * 2
        }
        ceiling = min(ceiling, maximum)
        return ceiling / 2 + (ceiling / 2) * min(max(random.unitInterval(), 0), 1)
    }
}
