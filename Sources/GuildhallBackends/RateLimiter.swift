import GuildhallCore

/// The outcome of a cooldown claim.
public enum CooldownResult: Sendable, Equatable {
    case granted
    case coolingDown(remaining: Duration)

    public var isGranted: Bool { self == .granted }
}

/// The outcome of one hit against a rate limit.
public struct RateLimitDecision: Sendable, Equatable {
    public let allowed: Bool
    public let limit: Int
    public let remaining: Int
    /// When the window resets; for `Retry-After` when refused.
    public let retryAfter: Duration

    public init(allowed: Bool, limit: Int, remaining: Int, retryAfter: Duration) {
        self.allowed = allowed
        self.limit = limit
        self.remaining = remaining
        self.retryAfter = retryAfter
    }
}

/// Cooldowns and fixed-window rate limits on any cache backend, through scripts that
/// have a Lua and a Swift implementation, so Redis and the embedded role behave alike.
public struct RateLimiter: Sendable {
    public let cache: any CacheBackend

    public init(cache: any CacheBackend) {
        self.cache = cache
    }

    /// Starts a cooldown unless one is running (SET NX PX).
    public func acquireCooldown(_ key: RedisKey, for duration: Duration) async throws -> CooldownResult {
        let ttl = try TTLPolicy.effectiveTTL(for: key, requested: duration)!
        let result = try await cache.run(Self.cooldownScript, keys: [key], arguments: [String(ttl.wholeMilliseconds)])
        guard let remaining = result.integer else {
            throw GuildhallError(.internalError, "cooldown script returned \(result)")
        }
        return remaining == 0 ? .granted : .coolingDown(remaining: .milliseconds(remaining))
    }

    /// Counts one hit in the current window of `window`, refusing past `limit`.
    public func hit(_ key: RedisKey, limit: Int, window: Duration) async throws -> RateLimitDecision {
        guard limit > 0 else { throw GuildhallError(.invalidInput, "rate limit must be positive, got \(limit)") }
        let ttl = try TTLPolicy.effectiveTTL(for: key, requested: window)!
        let result = try await cache.run(Self.windowScript, keys: [key], arguments: [String(ttl.wholeMilliseconds)])
        guard let pair = result.array, pair.count == 2, let count = pair[0].integer, let pttl = pair[1].integer else {
            throw GuildhallError(.internalError, "rate-limit script returned \(result)")
        }
        return RateLimitDecision(
            allowed: count <= Int64(limit),
            limit: limit,
            remaining: max(0, limit - Int(count)),
            retryAfter: .milliseconds(max(0, pttl))
        )
    }

    /// Returns 0 when the cooldown was started, else the milliseconds left on the running one.
    static let cooldownScript = CacheScript(
        name: "cooldown",
        lua: """
        if redis.call('SET', KEYS[1], '1', 'NX', 'PX', ARGV[1]) then return 0 end
        local left = redis.call('PTTL', KEYS[1])
        if left < 1 then return 1 end
        return left
        """,
        local: { context in
            let milliseconds = Int64(context.arguments[0])!
            if context.set(context.keys[0], "1", milliseconds: milliseconds, onlyIfAbsent: true) { return .integer(0) }
            return .integer(max(1, context.timeToLive(context.keys[0])))
        }
    )

    /// Returns {count in this window, milliseconds until the window resets}.
    static let windowScript = CacheScript(
        name: "fixed_window",
        lua: """
        local count = redis.call('INCR', KEYS[1])
        if count == 1 then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end
        local left = redis.call('PTTL', KEYS[1])
        if left < 0 then redis.call('PEXPIRE', KEYS[1], ARGV[1]); left = tonumber(ARGV[1]) end
        return {count, left}
        """,
        local: { context in
            let milliseconds = Int64(context.arguments[0])!
            let key = context.keys[0]
            let count = try context.increment(key, by: 1)
            if count == 1 { context.expire(key, milliseconds: milliseconds) }
            var left = context.timeToLive(key)
            if left < 0 {
                context.expire(key, milliseconds: milliseconds)
                left = milliseconds
            }
            return .array([.integer(count), .integer(left)])
        }
    )
}
