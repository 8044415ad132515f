import Foundation
import GuildhallCore
import GuildhallDatabaseTestSupport
@testable import GuildhallJobs
import GuildhallStorage
import GuildhallTestSupport
import Testing

/// What the worker does when its queue or database fails under it, and what it logs.
@Suite("Job worker under failures")
struct JobWorkerFaultTests {
    struct Setup {
        let harness: WorkerHarness
        let faulty: FaultyDriver
        let time: ManualJobClock

        static func make() async throws -> Setup {
            let time = ManualJobClock()
            let faulty = FaultyDriver(try InProcessJobDriver(queue: "default", clock: time.clock))
            let harness = try WorkerHarness.make(database: try await TestDatabase.open(.sqlite), driver: faulty, clock: time.clock)
            return Setup(harness: harness, faulty: faulty, time: time)
        }

        func claim() async throws -> JobDelivery {
            try #require(try await faulty.claim(worker: "test", limit: 1, lease: .seconds(5)).first)
        }
    }

    @Test("a failed attempt is logged with job id, name, attempt, guild and error")
    func structuredFailureLog() async throws {
        let setup = try await Setup.make()
        let logs = LogRecorder()
        let worker = try setup.harness.worker(logger: logs.logger())
        let outcome = try await setup.harness.system.queue.enqueue(TestJobs.count, CountPayload(key: "logged", failAttempts: 5), guild: Snowflake(4242))
        await worker.execute(try await setup.claim())
        let retry = try #require(logs.with(message: "job failed; retrying").first)
        #expect(retry.level == .warning)
        #expect(retry.metadata["job_id"] == outcome.jobID && retry.metadata["job"] == "test.count" && retry.metadata["attempt"] == "1")
        #expect(retry.metadata["guild_id"] == "4242" && retry.metadata["queue"] == "default")
        #expect(retry.metadata["error"]?.contains("failing attempt 1 on purpose") == true && retry.metadata["retry_in"] != nil)
        for _ in 0..<2 {
            setup.time.advance(.seconds(1))
            await worker.execute(try await setup.claim())
        }
        let dead = try #require(logs.with(message: "job dead-lettered").first)
        #expect(dead.level == .error && dead.metadata["attempt"] == "3" && dead.metadata["reason"] == "gave up after 3 attempt(s)")
        #expect(dead.metadata["job_id"] == outcome.jobID && dead.metadata["guild_id"] == "4242")
        await setup.harness.database.shutdown()
    }

    @Test("a queue that cannot be reached is retried quietly until it is back")
    func claimOutage() async throws {
        let time = ManualJobClock()
        _ = time
        let faulty = FaultyDriver(try InProcessJobDriver(queue: "default"))
        let harness = try WorkerHarness.make(database: try await TestDatabase.open(.sqlite), driver: faulty)
        let logs = LogRecorder()
        faulty.fail([.claim, .stats])
        try await harness.system.queue.enqueue(TestJobs.count, CountPayload(key: "outage"))
        let running = RunningWorker.start(try harness.worker(logger: logs.logger()))
        #expect(await waitUntil { !logs.with(message: "cannot claim jobs; retrying").isEmpty })
        faulty.fail([])
        #expect(await waitUntil { try await harness.effects("outage") == 1 })
        await running.stop()
        #expect(logs.with(message: "cannot claim jobs; retrying").count == 1, "one warning for the outage, not one per poll")
        #expect(logs.with(message: "job queue reachable again").count == 1)
        await harness.database.shutdown()
    }

    @Test("acknowledgement, retry, heartbeat and reclaim failures leave the job leased for later")
    func queueFailures() async throws {
        let setup = try await Setup.make()
        let logs = LogRecorder()
        let worker = try setup.harness.worker(lease: .seconds(5), logger: logs.logger())
        try await setup.harness.system.queue.enqueue(TestJobs.count, CountPayload(key: "unacked"))
        let unacked = try await setup.claim()
        setup.faulty.fail([.complete])
        await worker.execute(unacked)
        #expect(try await setup.harness.effects("unacked") == 1)
        #expect(try await setup.faulty.contains(jobID: unacked.envelope.id), "not acknowledged: it stays until its lease ends")
        #expect(!logs.with(message: "job finished but could not be acknowledged; it will run again when its lease ends").isEmpty)

        setup.faulty.fail([.retry])
        try await setup.harness.system.queue.enqueue(TestJobs.count, CountPayload(key: "unretried", failAttempts: 1))
        let failing = try #require(try await setup.faulty.claim(worker: "test", limit: 5, lease: .seconds(5)).first { $0.envelope.payload.contains("unretried") })
        await worker.execute(failing)
        #expect(!logs.with(message: "could not put the job back for its retry; it returns when its lease ends").isEmpty)

        setup.faulty.fail([.heartbeat, .reclaim, .stats])
        worker.state.withLock { $0.running[failing.token] = failing }
        await worker.heartbeat()
        await worker.reclaim()
        await worker.refreshGauges()
        #expect(!logs.with(message: "job heartbeat failed").isEmpty)
        #expect(!logs.with(message: "could not reclaim expired job leases").isEmpty)
        setup.faulty.fail([])
        setup.time.advance(.seconds(6))
        await worker.reclaim()
        #expect(!logs.with(message: "reclaimed jobs whose worker stopped heartbeating").isEmpty)
        await worker.heartbeat()
        #expect(!logs.with(message: "job lease lost: another worker took it over").isEmpty)
        await setup.harness.database.shutdown()
    }

    @Test("a schedule run whose record cannot be updated still completes; the scheduler checks it later")
    func finishRunFailure() async throws {
        let setup = try await Setup.make()
        let logs = LogRecorder()
        let worker = try setup.harness.worker(logger: logs.logger())
        var envelope = Envelopes.make(name: TestJobs.count.name, queue: "default", due: setup.time.milliseconds, payload: try TestJobs.count.encode(CountPayload(key: "scheduled")))
        envelope.schedule = .init(id: UUID().uuidString, runAt: setup.time.milliseconds)
        _ = try await setup.faulty.enqueue(envelope, dedupeWindow: nil)
        try await setup.harness.database.sql.raw("DROP TABLE job_schedules").run()
        await worker.execute(try await setup.claim())
        #expect(try await setup.harness.effects("scheduled") == 1)
        #expect(try await setup.faulty.stats().total == 0)
        #expect(!logs.with(message: "could not mark the schedule run finished").isEmpty)
        await setup.harness.database.shutdown()
    }

    @Test("the scheduler loop survives a database failure and says when it recovered")
    func schedulerOutage() async throws {
        let setup = try await Setup.make()
        let logs = LogRecorder()
        let scheduler = try setup.harness.system.scheduler(configuration: .init(tickInterval: .milliseconds(20), owner: "s"), logger: logs.logger())
        try await CreateJobSchedules().revert(on: setup.harness.database.database)
        let task = Task { await scheduler.run() }
        #expect(await waitUntil { !logs.with(message: "job scheduler tick failed; retrying").isEmpty })
        try await CreateJobSchedules().prepare(on: setup.harness.database.database)
        #expect(await waitUntil { !logs.with(message: "job scheduler recovered").isEmpty })
        task.cancel()
        await task.value
        #expect(logs.with(message: "job scheduler tick failed; retrying").count == 1)
        #expect(!logs.with(message: "job scheduler stopped").isEmpty)
        await setup.harness.database.shutdown()
    }

    @Test("a scheduler that lost its lease mid-tick does not write the row back")
    func schedulerLeaseLost() async throws {
        let setup = try await Setup.make()
        let logs = LogRecorder()
        let scheduler = try setup.harness.system.scheduler(configuration: .init(owner: "slow"), logger: logs.logger())
        try await setup.harness.system.queue.schedule(TestJobs.count, CountPayload(key: "stolen"), at: Date(milliseconds: setup.time.milliseconds), key: "stolen")
        let database = setup.harness.database
        setup.faulty.onEnqueue {
            // Another scheduler takes the row over (this one's lease ran out meanwhile).
            try await database.sql.raw("UPDATE job_schedules SET lease_owner = 'thief'").run()
        }
        let report = try await scheduler.tick()
        #expect(report.handedOver == 1)
        #expect(!logs.with(message: "schedule lease lost before its update; another scheduler has the row").isEmpty)
        let row = try #require(try await setup.harness.system.schedules.find(key: "stolen"))
        #expect(row.state == "scheduled" && row.inflight == nil, "the row is the thief's to write")
        await setup.harness.database.shutdown()
    }

    @Test("a schedule row whose lease was lost is not written back")
    func leaseLost() async throws {
        let setup = try await Setup.make()
        let store = setup.harness.system.schedules
        _ = try await store.upsert(key: "lease", queue: "default", jobName: "test.count", payload: "{}", guild: Snowflake(1), rule: .once, firstRunAt: 0, replace: false)
        let now = JobClock.system.milliseconds()
        let rows = try await store.claim(queue: "default", owner: "a", now: now, horizon: now, staleBefore: 0, lease: .seconds(30), limit: 10)
        var row = try #require(rows.first)
        row.state = "fired"
        #expect(try await !store.apply(row, owner: "b"), "b never held the lease")
        #expect(try await store.find(key: "lease")?.state == "scheduled")
        #expect(try await store.claim(queue: "default", owner: "b", now: now, horizon: now, staleBefore: 0, lease: .seconds(30), limit: 10).isEmpty, "a still holds it")
        #expect(try await store.apply(row, owner: "a"))
        await setup.harness.database.shutdown()
    }
}
