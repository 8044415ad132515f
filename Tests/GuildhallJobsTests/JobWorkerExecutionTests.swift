import Foundation
import GuildhallCore
import GuildhallDatabaseTestSupport
@testable import GuildhallJobs
import GuildhallStorage
import Testing

/// Single deliveries run by hand on a manual clock: the worker's decisions, one at a time.
@Suite("Job worker decisions")
struct JobWorkerExecutionTests {
    struct Setup {
        let harness: WorkerHarness
        let time: ManualJobClock
        let worker: JobWorker

        static func make() async throws -> Setup {
            let time = ManualJobClock()
            let harness = try WorkerHarness.make(
                database: try await TestDatabase.open(.sqlite), driver: try InProcessJobDriver(queue: "default", clock: time.clock), clock: time.clock
            )
            let worker = try harness.worker(lease: .seconds(5))
            return Setup(harness: harness, time: time, worker: worker)
        }

        func claim() async throws -> JobDelivery {
            try #require(try await harness.driver.claim(worker: "test", limit: 1, lease: .seconds(5)).first)
        }
    }

    @Test("a job without a handler is retried (another worker version may know it), with the reason kept")
    func unknownJob() async throws {
        let setup = try await Setup.make()
        _ = try await setup.harness.driver.enqueue(Envelopes.make("mystery", name: "feature.not-here", queue: "default", due: setup.time.milliseconds), dedupeWindow: nil)
        await setup.worker.execute(try await setup.claim())
        #expect(try await setup.harness.driver.stats() == JobQueueStats(ready: 0, delayed: 1, running: 0))
        setup.time.advance(.seconds(2))
        let again = try await setup.claim()
        #expect(again.attempt == 2)
        #expect(again.envelope.lastError?.contains("no handler for job 'feature.not-here'") == true)
        await setup.harness.database.shutdown()
    }

    @Test("a job delivered more times than it may run is dead-lettered without running")
    func lostDeliveries() async throws {
        let setup = try await Setup.make()
        _ = try await setup.harness.system.queue.enqueue(TestJobs.count, CountPayload(key: "poison"))
        // Three deliveries whose workers died (the job's policy allows three attempts).
        for _ in 0..<3 {
            _ = try await setup.claim()
            setup.time.advance(.seconds(6))
            _ = try await setup.harness.driver.reclaimExpired(limit: 10)
        }
        let fourth = try await setup.claim()
        #expect(fourth.attempt == 4)
        await setup.worker.execute(fourth)
        #expect(setup.harness.runs.count("poison") == 0)
        let letter = try #require(try await setup.harness.system.deadLetters.find(jobID: fourth.envelope.id))
        #expect(letter.lastError.contains("delivered 4 times") && letter.attempts == 4)
        #expect(try await setup.harness.driver.stats().total == 0)
        await setup.harness.database.shutdown()
    }

    @Test("when the dead letter cannot be stored the job stays queued for later")
    func deadLetterStoreDown() async throws {
        let setup = try await Setup.make()
        _ = try await setup.harness.system.queue.enqueue(TestJobs.permanent, CountPayload(key: "stuck"))
        try await setup.harness.database.sql.raw("DROP TABLE job_dead_letters").run()
        await setup.worker.execute(try await setup.claim())
        #expect(try await setup.harness.driver.stats() == JobQueueStats(ready: 0, delayed: 1, running: 0), "back in the queue, a lease's length later")
        setup.time.advance(.seconds(5))
        #expect(try await setup.claim().envelope.lastError?.contains("can never work") == true)
        await setup.harness.database.shutdown()
    }

    @Test("a job finishing after its lease was lost does not remove the new holder's job")
    func leaseLost() async throws {
        let setup = try await Setup.make()
        _ = try await setup.harness.system.queue.enqueue(TestJobs.count, CountPayload(key: "late"))
        let stale = try await setup.claim()
        setup.time.advance(.seconds(6))
        _ = try await setup.harness.driver.reclaimExpired(limit: 10)
        let current = try await setup.claim()
        await setup.worker.execute(stale)
        #expect(try await setup.harness.effects("late") == 1, "the late run did its (claimed) effect")
        #expect(try await setup.harness.driver.contains(jobID: current.envelope.id), "the new holder still has the job")
        await setup.worker.execute(current)
        #expect(try await setup.harness.effects("late") == 1, "the second run found the effect claimed")
        #expect(try await setup.harness.driver.stats().total == 0)
        await setup.harness.database.shutdown()
    }

    @Test("heartbeats and reclaims report lost leases and dead workers; gauges refresh")
    func maintenance() async throws {
        let setup = try await Setup.make()
        _ = try await setup.harness.system.queue.enqueue(TestJobs.count, CountPayload(key: "beat"))
        let delivery = try await setup.claim()
        setup.worker.state.withLock { $0.running[delivery.token] = delivery }
        await setup.worker.heartbeat()
        setup.time.advance(.seconds(4))
        await setup.worker.reclaim()
        #expect(try await setup.harness.driver.stats().running == 1, "the heartbeat extended the lease")
        setup.time.advance(.seconds(6))
        await setup.worker.reclaim()
        #expect(try await setup.harness.driver.stats().ready == 1)
        await setup.worker.heartbeat()
        await setup.worker.refreshGauges()
        setup.worker.finished(delivery)
        #expect(setup.worker.runningCount == 0)
        await setup.harness.database.shutdown()
    }
}
