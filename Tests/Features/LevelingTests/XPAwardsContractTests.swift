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
        try await awards.load([], into: guild, last: true)
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

    @Test("a batch awards in order: a member twice within the cooldown earns once, levels are reported, members are marked for the write-behind", arguments: Backend.allCases)
    func batches(backend: Backend) async throws {
        let (awards, close) = try await Self.make(backend)
        let guild = Self.guild()
        let (ada, bea) = (Snowflake(71), Snowflake(72))
        await #expect(throws: GuildhallError.self) { _ = try await awards.award(batch: [(ada, 10)], in: guild, cooldownSeconds: 60) }
        try await awards.load([(bea, 95)], into: guild, last: true)
        #expect(try await awards.award(batch: [], in: guild, cooldownSeconds: 60).isEmpty)
        let results = try await awards.award(batch: [(ada, 10), (bea, 10), (ada, 30)], in: guild, cooldownSeconds: 60)
        #expect(results == [
            XPAward(awarded: true, total: 10, levelBefore: 0, levelAfter: 0),
            XPAward(awarded: true, total: 105, levelBefore: 0, levelAfter: 1),
            XPAward(awarded: false, total: 10, levelBefore: 0, levelAfter: 0),
        ])
        let again = try await awards.award(batch: [(bea, 10)], in: guild, cooldownSeconds: 60)
        #expect(again == [XPAward(awarded: false, total: 105, levelBefore: 1, levelAfter: 1)], "the batch shares the single path's cooldown")
        #expect(try await awards.award(30, to: ada, in: guild, cooldownSeconds: 60).awarded == false)
        let free = try await awards.award(batch: [(ada, 5), (ada, 5)], in: guild, cooldownSeconds: 0)
        #expect(free.map(\.total) == [15, 20], "no cooldown: both count")
        let batch = try await awards.beginFlush(guild)
        #expect(Set(batch.map(\.user)) == [ada, bea] && batch.first { $0.user == ada }?.xp == 20)
        await #expect(throws: GuildhallError.self) { _ = try await awards.award(batch: [(ada, 0)], in: guild, cooldownSeconds: 0) }
        await close()
    }

    @Test("crossing a level's threshold is reported once, with the levels before and after", arguments: Backend.allCases)
    func levelUp(backend: Backend) async throws {
        let (awards, close) = try await Self.make(backend)
        let (guild, user) = (Self.guild(), Snowflake(7))
        try await awards.load([], into: guild, last: true)
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
        try await awards.load([], into: guild, last: true)
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

    @Test("a guild whose totals are not loaded is refused until a load marks it ready; loads never overwrite live totals", arguments: Backend.allCases)
    func loadAndReady(backend: Backend) async throws {
        let (awards, close) = try await Self.make(backend)
        let guild = Self.guild()
        await #expect(throws: GuildhallError.self) { try await awards.award(10, to: Snowflake(1), in: guild, cooldownSeconds: 0) }
        await #expect(throws: GuildhallError.self) { try await awards.adjust(Snowflake(1), in: guild, .add(5)) }
        #expect(try await awards.isLoaded(guild) == false)
        try await awards.load([(Snowflake(1), 300), (Snowflake(2), 40)], into: guild, last: false)
        #expect(try await awards.isLoaded(guild) == false, "only the last page marks the guild ready")
        try await awards.load([(Snowflake(1), 5), (Snowflake(3), 7)], into: guild, last: true)
        #expect(try await awards.isLoaded(guild))
        #expect(try await awards.total(of: Snowflake(1), in: guild) == 300, "a second load keeps the live total")
        #expect(try await awards.total(of: Snowflake(3), in: guild) == 7)
        let award = try await awards.award(10, to: Snowflake(1), in: guild, cooldownSeconds: 0)
        #expect(award.total == 310 && award.levelBefore == 2 && award.levelAfter == 2)
        await close()
    }

    @Test("admin adjustments add, remove (never below 0) and set, and report levels", arguments: Backend.allCases)
    func adjustments(backend: Backend) async throws {
        let (awards, close) = try await Self.make(backend)
        let (guild, user) = (Self.guild(), Snowflake(11))
        try await awards.load([], into: guild, last: true)
        let set = try await awards.adjust(user, in: guild, .set(475))
        #expect(set == XPAward(awarded: true, total: 475, levelBefore: 0, levelAfter: 3))
        #expect(try await awards.adjust(user, in: guild, .add(25)).total == 500)
        let removed = try await awards.adjust(user, in: guild, .add(-10_000))
        #expect(removed.total == 0 && removed.levelBefore == 3 && removed.levelAfter == 0)
        await #expect(throws: GuildhallError.self) { try await awards.adjust(user, in: guild, .set(-1)) }
        await #expect(throws: GuildhallError.self) { try await awards.adjust(user, in: guild, .set(XPAwards.maximumTotal + 1)) }
        #expect(try await awards.total(of: user, in: guild) == 0)
        await close()
    }

    @Test("the write-behind batch: changed members with totals, handed out again until finished, then empty", arguments: Backend.allCases)
    func flushBatches(backend: Backend) async throws {
        let (awards, close) = try await Self.make(backend)
        let guild = Self.guild()
        try await awards.load([], into: guild, last: true)
        #expect(try await awards.beginFlush(guild).isEmpty)
        _ = try await awards.award(20, to: Snowflake(1), in: guild, cooldownSeconds: 60)
        _ = try await awards.award(20, to: Snowflake(1), in: guild, cooldownSeconds: 60)
        _ = try await awards.adjust(Snowflake(2), in: guild, .set(99))
        let batch = try await awards.beginFlush(guild)
        #expect(batch.map(\.user) == [Snowflake(1), Snowflake(2)] && batch.map(\.xp) == [20, 99])
        // Changes during the write go to the next batch; an unfinished batch comes back whole.
        _ = try await awards.adjust(Snowflake(3), in: guild, .set(5))
        #expect(try await awards.beginFlush(guild).map(\.user) == [Snowflake(1), Snowflake(2)])
        try await awards.finishFlush(guild)
        #expect(try await awards.beginFlush(guild).map(\.user) == [Snowflake(3)])
        try await awards.finishFlush(guild)
        #expect(try await awards.beginFlush(guild).isEmpty)
        // Reset-all's clear drops totals and pending batches.
        _ = try await awards.adjust(Snowflake(4), in: guild, .set(50))
        try await awards.clear([Snowflake(1), Snowflake(4)], in: guild)
        #expect(try await awards.total(of: Snowflake(4), in: guild) == 0)
        #expect(try await awards.total(of: Snowflake(2), in: guild) == 99)
        #expect(try await awards.beginFlush(guild).isEmpty)
        await close()
    }
}
