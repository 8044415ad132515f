import FluentKit
import Foundation
import GuildhallCore
import GuildhallDatabaseTestSupport
import GuildhallFixtures
@testable import GuildhallJobs
import GuildhallStorage
import SQLKit
import Synchronization
import Testing

@Suite("Effect ledger on SQLite and PostgreSQL")
struct EffectLedgerTests {
    static func claimant(_ job: String = "job-1", attempt: Int = 1) -> EffectClaimant {
        EffectClaimant(jobID: job, jobName: "test.effect", guild: Snowflake(99), attempt: attempt)
    }

    @Test("the first claim runs the effect; every later one finds it done", arguments: TestDatabase.Engine.allCases)
    func once(engine: TestDatabase.Engine) async throws {
        let database = try await engine.openJobs()
        let time = ManualJobClock()
        let ledger = EffectLedger(database: database, clock: time.clock)
        let runs = Tally()
        let first = try await ledger.once("greet-1", by: Self.claimant()) { _ in runs.add() }
        #expect(first.wasPerformed)
        let second = try await ledger.once("greet-1", by: Self.claimant("job-1", attempt: 2)) { _ in runs.add() }
        #expect(!second.wasPerformed)
        #expect(runs.count == 1)
        #expect(try await ledger.isClaimed("greet-1"))
        let row = try #require(try await JobEffectRecord.find("greet-1", on: database.database))
        #expect(row.jobID == "job-1" && row.attempt == 1 && row.claimedMilliseconds == time.milliseconds)
        #expect(Snowflake(databaseValue: row.guildID) == Snowflake(99))
        await database.shutdown()
    }

    @Test("a failing effect rolls its claim back, so the retry may do it", arguments: TestDatabase.Engine.allCases)
    func rollback(engine: TestDatabase.Engine) async throws {
        let database = try await engine.openJobs()
        let ledger = EffectLedger(database: database)
        var factory = MockFactory(seed: 4)
        let guild = factory.guild()
        struct Boom: Error {}
        await #expect(throws: Boom.self) {
            _ = try await ledger.once("write-1", by: Self.claimant()) { db in
                try await GuildRecord(id: guild.id, name: guild.name, ownerID: guild.ownerID).create(on: db)
                throw Boom()
            }
        }
        #expect(try await !ledger.isClaimed("write-1"))
        #expect(try await GuildRecord.find(guild.id.databaseValue, on: database.database) == nil, "the effect's own write rolled back too")
        let retried = try await ledger.once("write-1", by: Self.claimant(attempt: 2)) { db in
            try await GuildRecord(id: guild.id, name: guild.name, ownerID: guild.ownerID).create(on: db)
            return "written"
        }
        guard case .performed(let value) = retried else { Issue.record("the retry should perform the effect"); return }
        #expect(value == "written")
        #expect(try await GuildRecord.find(guild.id.databaseValue, on: database.database) != nil)
        await database.shutdown()
    }

    @Test("many concurrent claims of one effect: exactly one runs it", arguments: TestDatabase.Engine.allCases)
    func concurrent(engine: TestDatabase.Engine) async throws {
        let database = try await engine.openJobs()
        let ledger = EffectLedger(database: database)
        let runs = Tally()
        let performed = try await withThrowingTaskGroup(of: Bool.self) { group in
            for attempt in 1...16 {
                group.addTask {
                    try await ledger.once("race", by: Self.claimant(attempt: attempt)) { _ in runs.add() }.wasPerformed
                }
            }
            return try await group.reduce(0) { $0 + ($1 ? 1 : 0) }
        }
        #expect(performed == 1)
        #expect(runs.count == 1)
        #expect(try await effectCount(database, prefix: "race") == 1)
        await database.shutdown()
    }

    @Test("claims for external effects, released when the action fails; pruning old claims", arguments: TestDatabase.Engine.allCases)
    func claimsAndPruning(engine: TestDatabase.Engine) async throws {
        let database = try await engine.openJobs()
        let time = ManualJobClock()
        let ledger = EffectLedger(database: database, clock: time.clock)
        #expect(try await ledger.claim("message-1", by: Self.claimant()))
        #expect(try await !ledger.claim("message-1", by: Self.claimant(attempt: 2)))
        #expect(try await ledger.release("message-1"))
        #expect(try await !ledger.release("message-1"))
        #expect(try await ledger.claim("message-1", by: Self.claimant(attempt: 3)))
        time.advance(.seconds(100))
        #expect(try await ledger.claim("message-2", by: Self.claimant()))
        #expect(try await ledger.prune(claimedBefore: time.milliseconds - 50_000) == 1)
        #expect(try await !ledger.isClaimed("message-1"))
        #expect(try await ledger.isClaimed("message-2"))
        await database.shutdown()
    }

    @Test("bad keys are refused and nothing is written")
    func badKeys() async throws {
        let database = try await TestDatabase.Engine.sqlite.openJobs()
        let ledger = EffectLedger(database: database)
        for key in ["", String(repeating: "k", count: 201), "line\nbreak"] {
            await #expect(throws: GuildhallError.self) { _ = try await ledger.claim(key, by: Self.claimant()) }
            await #expect(throws: GuildhallError.self) { _ = try await ledger.once(key, by: Self.claimant()) { _ in } }
            await #expect(throws: GuildhallError.self) { _ = try await ledger.release(key) }
        }
        #expect(try await effectCount(database, prefix: "") == 0)
        await database.shutdown()
    }

    @Test("a database failure is reported as unavailable")
    func databaseDown() async throws {
        let database = try await TestDatabase.Engine.sqlite.openJobs()
        try await database.sql.raw("DROP TABLE job_effects").run()
        let ledger = EffectLedger(database: database)
        let error = await #expect(throws: GuildhallError.self) { _ = try await ledger.once("x", by: Self.claimant()) { _ in } }
        #expect(error?.code == .unavailable)
        let claim = await #expect(throws: GuildhallError.self) { _ = try await ledger.claim("x", by: Self.claimant()) }
        #expect(claim?.code == .unavailable)
        await database.shutdown()
    }

    @Test("conditional state transitions change a row once", arguments: TestDatabase.Engine.allCases)
    func transitions(engine: TestDatabase.Engine) async throws {
        let database = try await engine.openJobs()
        var factory = MockFactory(seed: 5)
        let guild = factory.guild()
        try await GuildRecord(id: guild.id, name: guild.name, ownerID: guild.ownerID).create(on: database.database)
        try await GuildModuleRecord(guildID: guild.id, module: "giveaways", enabled: true, config: "running").create(on: database.database)
        let first = try await EffectLedger.transition(
            table: "guild_modules", keyColumn: "guild_id", key: guild.id.databaseValue, stateColumn: "config", from: "running", to: "ended", on: database.database
        )
        let second = try await EffectLedger.transition(
            table: "guild_modules", keyColumn: "guild_id", key: guild.id.databaseValue, stateColumn: "config", from: "running", to: "ended", on: database.database
        )
        #expect(first && !second)
        for bad in ["guild modules", "Guilds", "1table", "x;drop", String(repeating: "a", count: 64)] {
            await #expect(throws: GuildhallError.self) {
                _ = try await EffectLedger.transition(table: bad, keyColumn: "id", key: 1, stateColumn: "state", from: "a", to: "b", on: database.database)
            }
        }
        #expect(EffectLedger.isIdentifier("job_effects_2") && EffectLedger.isIdentifier("_private"))
        #expect(!EffectLedger.isIdentifier("") && !EffectLedger.isIdentifier("9lives"))
        await database.shutdown()
    }
}
