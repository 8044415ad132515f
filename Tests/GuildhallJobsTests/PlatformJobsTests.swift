import Foundation
import GuildhallCore
import GuildhallDatabaseTestSupport
@testable import GuildhallJobs
import GuildhallStorage
import Testing

@Suite("Platform jobs")
struct PlatformJobsTests {
    static func context(_ database: GuildhallDatabase, attempt: Int = 1) -> JobContext {
        JobContext(envelope: Envelopes.make("probe-job", queue: "default", due: 0), attempt: attempt, logger: TestLogs.quiet, effects: EffectLedger(database: database))
    }

    @Test("the probe sleeps, fails the attempts it is told to, and claims its effect once")
    func probe() async throws {
        let database = try await TestDatabase.open(.sqlite)
        let payload = PlatformJobs.ProbePayload(effectKey: "p1", sleepBeforeEffectMilliseconds: 10, sleepAfterEffectMilliseconds: 10, failAttempts: 1)
        let error = await #expect(throws: GuildhallError.self) { try await PlatformJobs.runProbe(Self.context(database, attempt: 1), payload) }
        #expect(error?.code == .unavailable)
        #expect(try await !EffectLedger(database: database).isClaimed("probe.p1"))
        try await PlatformJobs.runProbe(Self.context(database, attempt: 2), payload)
        try await PlatformJobs.runProbe(Self.context(database, attempt: 3), payload)
        #expect(try await effectCount(database, prefix: "probe.p1") == 1)
        let encoded = try PlatformJobs.probe.encode(payload)
        #expect(encoded.contains("\"sleep_before_ms\":10") && encoded.contains("\"effect_key\":\"p1\""))
        await database.shutdown()
    }

    @Test("prune deletes old effect claims and finished schedules, and keeps the rest")
    func prune() async throws {
        let database = try await TestDatabase.open(.sqlite)
        let schedules = ScheduleStore(database: database)
        var registry = JobRegistry()
        try PlatformJobs.register(in: &registry, schedules: schedules)
        #expect(registry.names == ["platform.probe", "platform.prune"])
        let handler = try #require(registry.handler(named: PlatformJobs.prune.name))
        let old = JobClock.system.milliseconds() - 40 * 86_400_000
        try await database.sql.raw("INSERT INTO job_effects (effect_key, job_id, job_name, attempt, claimed_ms) VALUES ('old', 'j', 'x', 1, \(bind: old))").run()
        _ = try await EffectLedger(database: database).claim("new", by: EffectClaimant(jobID: "j", jobName: "x", guild: Snowflake(0), attempt: 1))
        _ = try await schedules.upsert(key: "finished", queue: "default", jobName: "x", payload: "{}", guild: Snowflake(0), rule: .once, firstRunAt: 0, replace: false)
        try await schedules.cancel(key: "finished")
        try await database.sql.raw("UPDATE job_schedules SET updated_ms = \(bind: old) WHERE schedule_key = 'finished'").run()
        _ = try await schedules.upsert(key: "waiting", queue: "default", jobName: "x", payload: "{}", guild: Snowflake(0), rule: .once, firstRunAt: 0, replace: false)

        try await handler.run(Self.context(database), try PlatformJobs.prune.encode(.init()))
        #expect(try await effectCount(database, prefix: "old") == 0)
        #expect(try await effectCount(database, prefix: "new") == 1)
        #expect(try await schedules.find(key: "finished") == nil)
        #expect(try await schedules.find(key: "waiting") != nil)
        let error = await #expect(throws: GuildhallError.self) { try await handler.run(Self.context(database), try PlatformJobs.prune.encode(.init(retentionDays: 0))) }
        #expect(error?.code == .invalidInput)
        await database.shutdown()
    }

    @Test("the daily prune is installed once and left alone after")
    func installation() async throws {
        let database = try await TestDatabase.open(.sqlite)
        let queue = try JobQueue(driver: try InProcessJobDriver(), schedules: ScheduleStore(database: database))
        try await PlatformJobs.installSchedules(on: queue)
        let first = try #require(try await queue.schedules.find(key: PlatformJobs.pruneScheduleKey))
        try await PlatformJobs.installSchedules(on: queue)
        let second = try #require(try await queue.schedules.find(key: PlatformJobs.pruneScheduleKey))
        #expect(first == second)
        #expect(first.rule == .recurring(PlatformJobs.pruneRule) && first.jobName == "platform.prune")
        let next = try #require(first.nextRunAt)
        let time = CivilTime(milliseconds: next)
        #expect(time.hour == 3 && time.minute == 17)
        await database.shutdown()
    }
}
