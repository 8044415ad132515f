import GuildhallBackends
import GuildhallCore
@testable import GuildhallLeveling
import GuildhallRedis
import GuildhallTestSupport
import Logging
import Testing

/// The XP script's two implementations (Lua on Redis, Swift in-process) must agree.
@Suite("XP awards on both backends")
struct XPAwardsContractTests {
    enum Backend: String, CaseIterable, Sendable { case inProcess = "in-process", redis }

    static func make(_ backend: Backend) async throws -> (XPAwards, @Sendable () async -> Void) {
        switch backend {
        case .inProcess:
            return (XPAwards(cache: Backends.inProcess().cache), {})
        case .redis:
            let client = RedisClient(configuration: try RedisConfiguration(url: try TestEnvironment.redisURL()), logger: Logger(label: "test"))
            return (XPAwards(cache: Backends.redis(client).cache), { await client.close() })
        }
    }

    /// A fresh guild id per test, so tests sharing one Redis never meet.
    static func guild() -> Snowflake { Snowflake(UInt64.random(in: 1_000_000...UInt64(Int64.max))) }

    @Test("three messages within the cooldown give XP once; after it, again", arguments: Backend.allCases)
    func cooldown(backend: Backend) async throws {
        let (awards, close) = try await Self.make(backend)
        let (guild, user) = (Self.guild(), Snowflake(42))
        let first = try await awards.award(20, to: user, in: guild, cooldownSeconds: 1)
        #expect(first == XPAward(awarded: true, total: 20, levelBefore: 0, levelAfter: 0))
        for _ in 0..<2 {
            let again = try await awards.award(25, to: user, in: guild, cooldownSeconds: 1)
            #expect(!again.awarded && again.total == 20)
        }
        try await Task.sleep(for: .milliseconds(1_200))
        #expect(try await awards.award(25, to: user, in: guild, cooldownSeconds: 1).total == 45)
        #expect(try await awards.total(of: user, in: guild) == 45)
        await close()
    }

    @Test("crossing a level's threshold is reported once, with the levels before and after", arguments: Backend.allCases)
    func levelUp(backend: Backend) async throws {
        let (awards, close) = try await Self.make(backend)
        let (guild, user) = (Self.guild(), Snowflake(7))
        #expect(try await awards.award(90, to: user, in: guild, cooldownSeconds: 0).leveledUp == false)
        let up = try await awards.award(20, to: user, in: guild, cooldownSeconds: 0)
        #expect(up.leveledUp && up.levelBefore == 0 && up.levelAfter == 1 && up.total == 110)
        let jump = try await awards.award(400, to: user, in: guild, cooldownSeconds: 0)
        #expect(jump.levelBefore == 1 && jump.levelAfter == 3, "510 XP is level 3")
        #expect(try await awards.award(1, to: user, in: guild, cooldownSeconds: 0).leveledUp == false)
        await close()
    }

    @Test("fifty messages at once from one member within the cooldown give XP exactly once", arguments: Backend.allCases)
    func concurrentMessages(backend: Backend) async throws {
        let (awards, close) = try await Self.make(backend)
        let (guild, user) = (Self.guild(), Snowflake(9))
        let results = try await withThrowingTaskGroup(of: XPAward.self) { group in
            for _ in 0..<50 { group.addTask { try await awards.award(15, to: user, in: guild, cooldownSeconds: 60) } }
            return try await group.reduce(into: [XPAward]()) { $0.append($1) }
        }
        #expect(results.filter(\.awarded).count == 1)
        #expect(try await awards.total(of: user, in: guild) == 15)
        await close()
    }

    @Test("bad amounts and cooldowns are refused before anything changes")
    func refusals() async throws {
        let (awards, close) = try await Self.make(.inProcess)
        await #expect(throws: GuildhallError.self) { try await awards.award(0, to: Snowflake(1), in: Snowflake(2), cooldownSeconds: 60) }
        await #expect(throws: GuildhallError.self) { try await awards.award(5, to: Snowflake(1), in: Snowflake(2), cooldownSeconds: 4_000) }
        #expect(try await awards.total(of: Snowflake(1), in: Snowflake(2)) == 0)
        await close()
    }
}
