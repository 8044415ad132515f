/// Grants identify permits: Discord allows `max_concurrency` Identifies per 5 s, one per
/// bucket `shard_id % max_concurrency`. A shard asks after Hello and identifies only once
/// granted. Implementations: `InProcessIdentifyLimiter` (one process) and
/// `RedisIdentifyLimiter` (several processes sharing one bot).
public protocol IdentifyLimiter: Sendable {
    /// Returns when `shardID` may identify. Throws `CancellationError` when cancelled, and
    /// the backend's error when it cannot decide (the shard retries after a pause).
    func acquirePermit(shardID: Int, maxConcurrency: Int) async throws
}

/// The identify window and the margin Guildhall adds, so network jitter between the grant
/// and Discord's receipt never squeezes two Identifies of a bucket into one 5 s window.
public enum IdentifyWindow {
    public static let discord: Duration = .seconds(5)
    public static let margin: Duration = .milliseconds(500)
    public static var spacing: Duration { discord + margin }

    /// The bucket a shard identifies in.
    public static func bucket(shardID: Int, maxConcurrency: Int) -> Int {
        precondition(maxConcurrency > 0 && shardID >= 0, "max_concurrency must be positive and shard ids non-negative")
        return shardID % maxConcurrency
    }
}
