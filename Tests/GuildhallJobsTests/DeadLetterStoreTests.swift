import Foundation
import GuildhallCore
import GuildhallDatabaseTestSupport
@testable import GuildhallJobs
import GuildhallStorage
import Testing

@Suite("Dead letters on SQLite and PostgreSQL")
struct DeadLetterStoreTests {
    @Test("record, list newest first, count, and record again keeps one row", arguments: TestDatabase.Engine.allCases)
    func recordAndList(engine: TestDatabase.Engine) async throws {
        let database = try await engine.openJobs()
        let time = ManualJobClock()
        let store = DeadLetterStore(database: database, clock: time.clock)
        var first = Envelopes.make("job-a", key: "key-a", queue: "default", due: 100, payload: "{\"n\":1}")
        first.schedule = .init(id: "sched", runAt: 100)
        try await store.record(first, attempts: 5, lastError: "first error")
        time.advance(.seconds(1))
        try await store.record(Envelopes.make("job-b", queue: "default", due: 200), attempts: 2, lastError: String(repeating: "e", count: 5000))
        #expect(try await store.count() == 2)
        let letters = try await store.list()
        #expect(letters.map(\.jobID) == ["job-b", "job-a"])
        #expect(letters[1].lastError == "first error" && letters[1].attempts == 5 && letters[1].idempotencyKey == "key-a")
        #expect(letters[1].payload == "{\"n\":1}" && letters[1].guild == Snowflake(42) && letters[1].state == "dead")
        #expect(letters[0].lastError.count == 4000, "long errors are cut")
        time.advance(.seconds(1))
        try await store.record(first, attempts: 6, lastError: "second error")
        #expect(try await store.count() == 2, "the same job dead-lettered twice is one letter")
        let again = try #require(try await store.find(jobID: "job-a"))
        #expect(again.lastError == "second error" && again.attempts == 6 && again.failedAt == time.milliseconds)
        #expect(try await store.list(limit: 1).map(\.jobID) == ["job-a"])
        await #expect(throws: GuildhallError.self) { _ = try await store.list(limit: 0) }
        await #expect(throws: GuildhallError.self) { _ = try await store.list(limit: 1001) }
        #expect(try await store.find(jobID: "nope") == nil)
        await database.shutdown()
    }

    @Test("replay turns the letter into a one-off schedule due now, once", arguments: TestDatabase.Engine.allCases)
    func replay(engine: TestDatabase.Engine) async throws {
        let database = try await engine.openJobs()
        let time = ManualJobClock()
        let store = DeadLetterStore(database: database, clock: time.clock)
        try await store.record(Envelopes.make("job-a", name: "test.replay", queue: "mail", due: 100, payload: "{\"n\":7}"), attempts: 3, lastError: "x")
        let outcome = try await store.replay(jobID: "job-a")
        #expect(outcome.jobID == "job-a" && outcome.queue == "mail")
        let schedule = try #require(try await ScheduleStore(database: database).find(id: outcome.scheduleID))
        #expect(schedule.key == "replay.job-a.1" && schedule.rule == .once && schedule.state == "scheduled")
        #expect(schedule.nextRunAt == time.milliseconds && schedule.jobName == "test.replay" && schedule.payload == "{\"n\":7}")
        #expect(schedule.queue == "mail" && schedule.guild == Snowflake(42))
        let letter = try #require(try await store.find(jobID: "job-a"))
        #expect(letter.state == "replayed" && letter.replayCount == 1 && letter.replayedAt == time.milliseconds)
        #expect(try await store.count() == 0)
        #expect(try await store.list().isEmpty)
        #expect(try await store.list(includeReplayed: true).count == 1)

        let twice = await #expect(throws: GuildhallError.self) { _ = try await store.replay(jobID: "job-a") }
        #expect(twice?.code == .conflict)
        let missing = await #expect(throws: GuildhallError.self) { _ = try await store.replay(jobID: "nope") }
        #expect(missing?.code == .notFound)

        // Dead again (the replayed run failed under the same id): it can be replayed again.
        try await store.record(Envelopes.make("job-a", name: "test.replay", queue: "mail", due: 100), attempts: 1, lastError: "y")
        let second = try await store.replay(jobID: "job-a")
        #expect(try await ScheduleStore(database: database).find(id: second.scheduleID)?.key == "replay.job-a.2")
        await database.shutdown()
    }

    @Test("concurrent replays of one letter send it once", arguments: TestDatabase.Engine.allCases)
    func concurrentReplay(engine: TestDatabase.Engine) async throws {
        let database = try await engine.openJobs()
        let store = DeadLetterStore(database: database)
        try await store.record(Envelopes.make("job-c", queue: "default", due: 1), attempts: 1, lastError: "x")
        let succeeded = await withTaskGroup(of: Bool.self) { group in
            for _ in 0..<8 {
                group.addTask { (try? await store.replay(jobID: "job-c")) != nil }
            }
            return await group.reduce(0) { $0 + ($1 ? 1 : 0) }
        }
        #expect(succeeded == 1)
        #expect(try await database.sql.raw("SELECT id FROM job_schedules").all().count == 1)
        await database.shutdown()
    }

    @Test("a database failure during replay is unavailable and changes nothing")
    func replayFailure() async throws {
        let database = try await TestDatabase.Engine.sqlite.openJobs()
        let store = DeadLetterStore(database: database)
        try await store.record(Envelopes.make("job-d", queue: "default", due: 1), attempts: 1, lastError: "x")
        try await database.sql.raw("DROP TABLE job_schedules").run()
        let error = await #expect(throws: GuildhallError.self) { _ = try await store.replay(jobID: "job-d") }
        #expect(error?.code == .unavailable)
        #expect(try await store.find(jobID: "job-d")?.state == "dead", "the transaction rolled back")
        try await database.sql.raw("DROP TABLE job_dead_letters").run()
        let gone = await #expect(throws: GuildhallError.self) { _ = try await store.replay(jobID: "job-d") }
        #expect(gone?.code == .unavailable)
        await database.shutdown()
    }

    @Test("the admin service lists, finds, replays and summarises")
    func admin() async throws {
        let database = try await TestDatabase.Engine.sqlite.openJobs()
        let time = ManualJobClock()
        let driver = try InProcessJobDriver(queue: "default", clock: time.clock)
        let admin = JobsAdminService(deadLetters: DeadLetterStore(database: database), driver: driver)
        try await admin.deadLetters.record(Envelopes.make("job-e", queue: "default", due: 1), attempts: 1, lastError: "x")
        _ = try await driver.enqueue(Envelopes.make("waiting", queue: "default", due: time.milliseconds), dedupeWindow: nil)
        #expect(try await admin.listDeadLetters().map(\.jobID) == ["job-e"])
        #expect(try await admin.deadLetter(jobID: "job-e").attempts == 1)
        await #expect(throws: GuildhallError.self) { _ = try await admin.deadLetter(jobID: "nope") }
        let overview = try await admin.overview()
        #expect(overview.queue == JobQueueStats(ready: 1, delayed: 0, running: 0) && overview.deadLetters == 1)
        _ = try await admin.replay(jobID: "job-e")
        #expect(try await JobsAdminService(deadLetters: admin.deadLetters, driver: nil).overview().queue == nil)
        #expect(try await admin.overview().deadLetters == 0)
        await database.shutdown()
    }
}
