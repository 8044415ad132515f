import GuildhallCore
import GuildhallRedis

/// The shared-state backends a role runs on: all on Redis, or all in this process.
public struct Backends: Sendable {
    public let cache: any CacheBackend
    public let pubSub: any PubSubBackend
    /// The Redis client when running on Redis (for jobs and health checks).
    public let redis: RedisClient?

    public var rateLimiter: RateLimiter { RateLimiter(cache: cache) }
    public var isRedis: Bool { redis != nil }

    public static func inProcess(clock: MonotonicClock = .system) -> Backends {
        Backends(cache: InProcessCache(clock: clock), pubSub: InProcessPubSub(), redis: nil)
    }

    public static func redis(_ client: RedisClient) -> Backends {
        Backends(cache: RedisCache(client: client), pubSub: RedisPubSub(client: client), redis: client)
    }

    public init(cache: any CacheBackend, pubSub: any PubSubBackend, redis: RedisClient?) {
        self.cache = cache
        self.pubSub = pubSub
        self.redis = redis
    }
}
