import GuildhallBackends
import GuildhallCore
import GuildhallFixtures
import Testing

@Suite("Cooldowns and rate limits (in-process and Redis)")
struct RateLimiterContractTests {
    @Test("a cooldown is granted once, refused while running, granted again after", arguments: BackendKind.allCases)
    func cooldown(kind: BackendKind) async throws {
        let (backends, close) = try await kind.make()
        var factory = MockFactory.random()
        let key = try TestKeys.limit.key(guild: factory.snowflake(), factory.snowflake().description)
        let limiter = backends.rateLimiter
        // Two-second windows: wide margins for a loaded machine, still quick.
        #expect(try await limiter.acquireCooldown(key, for: .seconds(2)) == .granted)
        let second = try await limiter.acquireCooldown(key, for: .seconds(2))
        guard case .coolingDown(let remaining) = second else {
            Issue.record("expected a running cooldown, got \(second)")
            return
        }
        #expect(remaining > .zero && remaining <= .seconds(2))
        #expect(!second.isGranted)
        try await Task.sleep(for: .milliseconds(2500))
        #expect(try await limiter.acquireCooldown(key, for: .seconds(2)).isGranted)
        await #expect(throws: GuildhallError.self) { _ = try await limiter.acquireCooldown(key, for: .seconds(11)) }
        await close()
    }

    @Test("only one of many concurrent claims wins a cooldown", arguments: BackendKind.allCases)
    func cooldownRace(kind: BackendKind) async throws {
        let (backends, close) = try await kind.make()
        var factory = MockFactory.random()
        let key = try TestKeys.limit.key(guild: factory.snowflake(), "race")
        let limiter = backends.rateLimiter
        let granted = try await withThrowingTaskGroup(of: Bool.self) { group in
            for _ in 0..<40 { group.addTask { try await limiter.acquireCooldown(key, for: .seconds(5)).isGranted } }
            return try await group.reduce(0) { $0 + ($1 ? 1 : 0) }
        }
        #expect(granted == 1)
        await close()
    }

    @Test("a fixed window allows the limit, refuses the rest with Retry-After, then resets", arguments: BackendKind.allCases)
    func window(kind: BackendKind) async throws {
        let (backends, close) = try await kind.make()
        var factory = MockFactory.random()
        let key = try TestKeys.limit.key(guild: factory.snowflake(), "api")
        let limiter = backends.rateLimiter
        var decisions: [RateLimitDecision] = []
        for _ in 0..<4 { decisions.append(try await limiter.hit(key, limit: 3, window: .seconds(2))) }
        #expect(decisions.map(\.allowed) == [true, true, true, false])
        #expect(decisions.map(\.remaining) == [2, 1, 0, 0])
        #expect(decisions[3].retryAfter > .zero && decisions[3].retryAfter <= .seconds(2))
        #expect(decisions[3].limit == 3)
        try await Task.sleep(for: .milliseconds(2500))
        #expect(try await limiter.hit(key, limit: 3, window: .seconds(2)).allowed)
        await #expect(throws: GuildhallError.self) { _ = try await limiter.hit(key, limit: 0, window: .seconds(1)) }
        await close()
    }

    @Test("a window whose key lost its TTL gets one back", arguments: BackendKind.allCases)
    func repairsMissingTTL(kind: BackendKind) async throws {
        let (backends, close) = try await kind.make()
        var factory = MockFactory.random()
        let guild = factory.snowflake()
        // Simulate a key written without a TTL (e.g. by an old version): the script heals it.
        let key = try TestKeys.limit.key(guild: guild, "healed")
        _ = try await backends.cache.run(Self.setWithoutTTL, keys: [key], arguments: ["5"])
        #expect(try await backends.cache.timeToLive(key) == nil)
        let decision = try await backends.rateLimiter.hit(key, limit: 10, window: .seconds(2))
        #expect(decision.allowed && decision.remaining == 4)
        #expect(try await backends.cache.timeToLive(key) != nil)
        await close()
    }

    static let setWithoutTTL = CacheScript(
        name: "test_set_without_ttl",
        lua: "redis.call('SET', KEYS[1], ARGV[1]) return 1",
        local: { context in
            context.set(context.keys[0], context.arguments[0], milliseconds: nil)
            return .integer(1)
        }
    )

    @Test("scripts return the same shapes on both backends", arguments: BackendKind.allCases)
    func scriptValues(kind: BackendKind) async throws {
        let (backends, close) = try await kind.make()
        var factory = MockFactory.random()
        let key = try TestKeys.long.key(guild: factory.snowflake(), "shape")
        let script = CacheScript(
            name: "test_shapes",
            lua: """
            redis.call('SET', KEYS[1], 'v', 'PX', 5000)
            local before = redis.call('PTTL', KEYS[1])
            local deleted = redis.call('DEL', KEYS[1])
            local missing = redis.call('GET', KEYS[1]) == false
            return {deleted, 'text', redis.call('PTTL', KEYS[1]), redis.call('PEXPIRE', KEYS[1], 10), before > 4000 and 1 or 0, missing and 1 or 0}
            """,
            local: { context in
                context.set(context.keys[0], "v", milliseconds: 5000)
                let before = context.timeToLive(context.keys[0])
                let deleted: Int64 = context.delete(context.keys[0]) ? 1 : 0
                let missing: Int64 = context.get(context.keys[0]) == nil ? 1 : 0
                let pttl = context.timeToLive(context.keys[0])
                let expired: Int64 = context.expire(context.keys[0], milliseconds: 10) ? 1 : 0
                return .array([.integer(deleted), .string("text"), .integer(pttl), .integer(expired), .integer(before > 4000 ? 1 : 0), .integer(missing)])
            }
        )
        let result = try await backends.cache.run(script, keys: [key], arguments: [])
        #expect(result == .array([.integer(1), .string("text"), .integer(-2), .integer(0), .integer(1), .integer(1)]))
        await close()
    }
}
