import GuildhallBackends
import GuildhallCore
import GuildhallFixtures
import Testing

/// One contract, two implementations: whatever Redis does, the in-process cache does too.
@Suite("Cache contract (in-process and Redis)")
struct CacheContractTests {
    @Test("set, get, delete and missing keys", arguments: BackendKind.allCases)
    func basics(kind: BackendKind) async throws {
        let (backends, close) = try await kind.make()
        var factory = MockFactory.random()
        let guild = factory.snowflake()
        let key = try TestKeys.long.key(guild: guild, "greeting")
        #expect(try await backends.cache.get(key) == nil, "a missing key reads as nil")
        try await backends.cache.set(key, "hello")
        #expect(try await backends.cache.get(key) == "hello")
        let ttl = try #require(try await backends.cache.timeToLive(key))
        #expect(ttl > .seconds(50) && ttl <= .seconds(60), "writes take the declared TTL: \(ttl)")
        #expect(try await backends.cache.delete([key, try TestKeys.long.key(guild: guild, "absent")]) == 1)
        #expect(try await backends.cache.get(key) == nil)
        #expect(try await backends.cache.timeToLive(key) == nil)
        #expect(try await backends.cache.delete([]) == 0)
        await close()
    }

    @Test("keys expire after their TTL", arguments: BackendKind.allCases)
    func expiration(kind: BackendKind) async throws {
        let (backends, close) = try await kind.make()
        var factory = MockFactory.random()
        // The value and its TTL read back on a long-lived key (a loaded machine may stall for
        // a second between two calls); expiry is watched on a one-second key.
        let guild = factory.snowflake()
        let lasting = try TestKeys.long.key(guild: guild, "lasting")
        try await backends.cache.set(lasting, "still here", ttl: .seconds(60))
        #expect(try await backends.cache.get(lasting) == "still here")
        #expect(try await backends.cache.timeToLive(lasting).map { $0 > .zero && $0 <= .seconds(60) } == true)
        let key = try TestKeys.long.key(guild: guild, "expiring")
        try await backends.cache.set(key, "soon gone", ttl: .seconds(1))
        try await Task.sleep(for: .milliseconds(1500))
        #expect(try await backends.cache.get(key) == nil)
        #expect(try await backends.cache.timeToLive(key) == nil)
        await close()
    }

    @Test("TTLs are bounded by the declaration; persistent keys take none; channels store nothing", arguments: BackendKind.allCases)
    func ttlRules(kind: BackendKind) async throws {
        let (backends, close) = try await kind.make()
        var factory = MockFactory.random()
        let guild = factory.snowflake()
        let short = try TestKeys.short.key(guild: guild)
        await #expect(throws: GuildhallError.self) { try await backends.cache.set(short, "x", ttl: .seconds(5)) }
        await #expect(throws: GuildhallError.self) { try await backends.cache.set(short, "x", ttl: .zero) }
        let durable = try TestKeys.durable.key(guild: guild)
        await #expect(throws: GuildhallError.self) { try await backends.cache.set(durable, "x", ttl: .seconds(1)) }
        try await backends.cache.set(durable, "kept")
        #expect(try await backends.cache.get(durable) == "kept")
        #expect(try await backends.cache.timeToLive(durable) == nil, "persistent keys have no TTL")
        let channel = try TestKeys.channel.key(guild: guild)
        let error = await #expect(throws: GuildhallError.self) { try await backends.cache.set(channel, "x") }
        #expect(error?.code == .invalidKey)
        #expect(try await backends.cache.get(short) == nil, "refused writes changed nothing")
        try await backends.cache.delete([durable])
        await close()
    }

    @Test("counters: a new counter gets the TTL; corrupted values are refused", arguments: BackendKind.allCases)
    func counters(kind: BackendKind) async throws {
        let (backends, close) = try await kind.make()
        var factory = MockFactory.random()
        let guild = factory.snowflake()
        let key = try TestKeys.long.key(guild: guild, "count")
        #expect(try await backends.cache.increment(key, by: 5) == 5)
        #expect(try await backends.cache.increment(key, by: -2) == 3)
        #expect(try await backends.cache.timeToLive(key) != nil)
        let corrupted = try TestKeys.long.key(guild: guild, "corrupted")
        try await backends.cache.set(corrupted, "not a number")
        await #expect(throws: (any Error).self) { _ = try await backends.cache.increment(corrupted, by: 1) }
        #expect(try await backends.cache.get(corrupted) == "not a number", "a refused increment leaves the value alone")
        await close()
    }

    @Test("1,000 concurrent increments from 50 tasks sum exactly", arguments: BackendKind.allCases)
    func concurrentIncrements(kind: BackendKind) async throws {
        let (backends, close) = try await kind.make()
        var factory = MockFactory.random()
        let key = try TestKeys.long.key(guild: factory.snowflake(), "hits")
        try await withThrowingTaskGroup(of: Void.self) { group in
            for _ in 0..<50 {
                group.addTask { for _ in 0..<20 { _ = try await backends.cache.increment(key, by: 1) } }
            }
            try await group.waitForAll()
        }
        #expect(try await backends.cache.get(key) == "1000")
        await close()
    }

    @Test("two guilds never see each other's keys", arguments: BackendKind.allCases)
    func isolation(kind: BackendKind) async throws {
        let (backends, close) = try await kind.make()
        var factory = MockFactory.random()
        let guildA = factory.guild(shard: 0, shardCount: 4)
        let guildB = factory.guild(shard: 3, shardCount: 4)
        let keyA = try TestKeys.long.key(guild: guildA.id, "config")
        let keyB = try TestKeys.long.key(guild: guildB.id, "config")
        #expect(keyA.rawValue != keyB.rawValue)
        try await backends.cache.set(keyA, "A")
        #expect(try await backends.cache.get(keyB) == nil)
        try await backends.cache.set(keyB, "B")
        try await backends.cache.delete([keyA])
        #expect(try await backends.cache.get(keyB) == "B")
        await close()
    }
}
