import GuildhallCore
import GuildhallRedis

/// Identify permits shared through Redis, for shards of one bot spread over several
/// processes. A permit is the bucket's key, set with NX for one identify window: whoever
/// sets it may identify; everyone else waits until it expires and tries again.
public struct RedisIdentifyLimiter: IdentifyLimiter {
    public let client: RedisClient
    /// Separates bots (or test runs) that share one Redis; a key segment.
    public let scope: String
    /// How long a permit holds its bucket (at most the key kind's TTL).
    public let window: Duration
    /// Names this process in the key's value, for whoever inspects Redis.
    public let owner: String

    public init(client: RedisClient, scope: String, window: Duration = IdentifyWindow.spacing, owner: String = "guildhall") throws {
        try Self.validate(scope: scope, window: window)
        self.client = client
        self.scope = scope
        self.window = window
        self.owner = owner
    }

    /// The scope must make valid keys and the window must fit the key kind's declared TTL.
    static func validate(scope: String, window: Duration) throws {
        let declared = GatewayKeys.identifyBucket.ttl ?? .zero
        if window <= .zero || window > declared {
            throw GuildhallError(.invalidConfiguration, "identify window \(window) must be positive and at most \(declared.compactDescription)")
        }
        _ = try GatewayKeys.identifyBucket.key(guild: Keyspace.platform, parts: [scope, "0"])
    }

    /// The key a bucket's permit lives under.
    public func key(bucket: Int) throws -> RedisKey {
        try GatewayKeys.identifyBucket.key(guild: Keyspace.platform, scope, String(bucket))
    }

    /// Takes the bucket's permit if it is free: nil when granted, else how long it stays taken.
    public func tryAcquire(shardID: Int, maxConcurrency: Int) async throws -> Duration? {
        let bucket = IdentifyWindow.bucket(shardID: shardID, maxConcurrency: maxConcurrency)
        let result = try await client.eval(
            Self.acquireScript, keys: [try key(bucket: bucket).rawValue],
            args: ["\(owner):\(shardID)", String(window.wholeMilliseconds)]
        )
        guard let remaining = result.int else {
            throw GuildhallError(.internalError, "identify permit script returned \(result)")
        }
        return remaining == 0 ? nil : .milliseconds(remaining)
    }

    public func acquirePermit(shardID: Int, maxConcurrency: Int) async throws {
        while true {
            guard let wait = try await tryAcquire(shardID: shardID, maxConcurrency: maxConcurrency) else { return }
            // A little random slack spreads the waiters of one bucket over the next attempt.
            try await Task.sleep(for: wait + .milliseconds(Int.random(in: 5...50)))
        }
    }

    /// 0 when the permit was taken, else the milliseconds it stays taken. A key left without
    /// a TTL (it never should be) gets one, so a bucket can never stay blocked.
    static let acquireScript = RedisScript("""
        if redis.call('SET', KEYS[1], ARGV[1], 'NX', 'PX', ARGV[2]) then return 0 end
        local left = redis.call('PTTL', KEYS[1])
        if left == -1 then
          redis.call('PEXPIRE', KEYS[1], ARGV[2])
          return tonumber(ARGV[2])
        end
        if left < 1 then return 1 end
        return left
        """)
}
