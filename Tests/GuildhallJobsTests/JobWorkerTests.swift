import Foundation
import GuildhallCore
import GuildhallDatabaseTestSupport
@testable import GuildhallJobs
import GuildhallStorage
import GuildhallTestSupport
import Synchronization
import Testing

/// The worker with the in-process driver and SQLite: the same code paths the Redis and
/// PostgreSQL acceptance suite runs, here fast and in one process.
@Suite("Job worker")
struct JobWorkerTests {
    @Test("runs every job once, at most `concurrency` at a time, and stops cleanly")
    func runsJobs() async throws {
        let harness = try await WorkerHarness.inProcess()
        for index in 0..<30 {
            try await harness.system.queue.enqueue(TestJobs.count, CountPayload(key: "job\(index)", sleepMilliseconds: 20))
        }
        let worker = try harness.worker(concurrency: 3)
        let running = RunningWorker.start(worker)
        let peak = Mutex(0)
        #expect(await waitUntil {
            peak.withLock { $0 = max($0, worker.runningCount) }
            return try await effectCount(harness.database, prefix: "count.job") == 30
        })
        #expect(peak.withLock { $0 } <= 3)
        await running.stop()
        #expect(harness.runs.total == 30)
        #expect(try await harness.driver.stats().total == 0)
        #expect(worker.runningCount == 0 && worker.isStopping)
        await harness.database.shutdown()
    }

    @Test("transient failures are retried with backoff until the job succeeds")
    func retries() async throws {
        let harness = try await WorkerHarness.inProcess()
        try await harness.system.queue.enqueue(TestJobs.count, CountPayload(key: "flaky", failAttempts: 2))
        let running = RunningWorker.start(try harness.worker())
        #expect(await waitUntil { try await harness.effects("flaky") == 1 })
        await running.stop()
        #expect(harness.runs.count("flaky") == 3)
        #expect(try await harness.effectAttempt("flaky") == 3)
        await harness.database.shutdown()
    }

    @Test("a job that outlives its timeout is failed and retried")
    func timeout() async throws {
        let harness = try await WorkerHarness.inProcess()
        try await harness.system.queue.enqueue(TestJobs.slowFirst, CountPayload(key: "slow", sleepMilliseconds: 4000))
        let running = RunningWorker.start(try harness.worker())
        #expect(await waitUntil { try await harness.effects("slow") == 1 })
        await running.stop()
        #expect(harness.runs.count("slow") == 2)
        #expect(try await harness.effectAttempt("slow") == 2, "the first attempt timed out and claimed nothing")
        await harness.database.shutdown()
    }

    @Test("exhausted retries go to the dead letters with the last error; a replay runs the job again")
    func deadLetterAndReplay() async throws {
        let harness = try await WorkerHarness.inProcess()
        let outcome = try await harness.system.queue.enqueue(TestJobs.count, CountPayload(key: "doomed", failAttempts: 3), guild: Snowflake(77))
        let running = RunningWorker.start(try harness.worker())
        #expect(await waitUntil { try await harness.system.deadLetters.count() == 1 })
        let letter = try #require(try await harness.system.deadLetters.find(jobID: outcome.jobID))
        #expect(letter.attempts == 3 && letter.lastError.contains("failing attempt 3 on purpose") && letter.guild == Snowflake(77))
        #expect(harness.runs.count("doomed") == 3)
        #expect(try await harness.effects("doomed") == 0)
        #expect(try await harness.driver.stats().total == 0)

        // The replayed job starts again at attempt 1; it fails on attempts up to 3 again, so
        // make it succeed by replaying a job whose payload fails less: a fresh dead letter.
        let replay = try await harness.system.deadLetters.replay(jobID: outcome.jobID)
        // A run that finishes before the scheduler has written down that it handed it over
        // is confirmed by the next redelivery check: keep that check short here.
        let scheduler = try harness.system.scheduler(
            configuration: .init(tickInterval: .milliseconds(50), redeliverAfter: .seconds(1), owner: "s"), logger: TestLogs.quiet
        )
        let ticking = Task { await scheduler.run() }
        #expect(await waitUntil { harness.runs.count("doomed") == 6 }, "the replay ran three more attempts")
        #expect(await waitUntil { try await harness.system.deadLetters.count() == 1 }, "and died again, as a new letter")
        // A one-shot schedule reads "fired" once handed over, and "done" once a later tick
        // confirms the queue no longer holds its run: wait for that tick.
        #expect(await waitUntil { try await harness.system.schedules.find(id: replay.scheduleID)?.state == "done" })
        ticking.cancel()
        await ticking.value
        await running.stop()
        await harness.database.shutdown()
    }

    @Test("a replayed job that can now succeed takes effect once")
    func replaySucceeds() async throws {
        let harness = try await WorkerHarness.inProcess()
        // Dead-lettered by hand (as after an outage that is over now).
        try await harness.system.deadLetters.record(
            Envelopes.make("old-job", name: TestJobs.count.name, queue: "default", due: 0, payload: try TestJobs.count.encode(CountPayload(key: "revived"))),
            attempts: 3, lastError: "the outage"
        )
        _ = try await harness.system.admin.replay(jobID: "old-job")
        let scheduler = try harness.system.scheduler(configuration: .init(tickInterval: .milliseconds(50), owner: "s"), logger: TestLogs.quiet)
        let ticking = Task { await scheduler.run() }
        let running = RunningWorker.start(try harness.worker())
        #expect(await waitUntil { try await harness.effects("revived") == 1 })
        ticking.cancel()
        await ticking.value
        await running.stop()
        #expect(try await harness.system.deadLetters.count() == 0)
        await harness.database.shutdown()
    }

    @Test("errors that can never succeed are dead-lettered on the first attempt")
    func permanent() async throws {
        let harness = try await WorkerHarness.inProcess()
        let outcome = try await harness.system.queue.enqueue(TestJobs.permanent, CountPayload(key: "never"))
        let running = RunningWorker.start(try harness.worker())
        #expect(await waitUntil { try await harness.system.deadLetters.count() == 1 })
        await running.stop()
        #expect(harness.runs.count("never") == 1)
        let letter = try #require(try await harness.system.deadLetters.find(jobID: outcome.jobID))
        #expect(letter.attempts == 1 && letter.lastError.contains("job_permanent_failure"))
        await harness.database.shutdown()
    }

    @Test("a duplicate enqueue runs once and takes effect once")
    func duplicates() async throws {
        let harness = try await WorkerHarness.inProcess()
        let first = try await harness.system.queue.enqueue(TestJobs.count, CountPayload(key: "dup"), idempotencyKey: "dup-1")
        let second = try await harness.system.queue.enqueue(TestJobs.count, CountPayload(key: "dup"), idempotencyKey: "dup-1")
        #expect(!first.isDuplicate && second == .duplicate(existingJobID: first.jobID))
        await #expect(throws: GuildhallError.self) { try await harness.system.queue.enqueue(TestJobs.count, CountPayload(key: "x"), idempotencyKey: "bad key") }
        let running = RunningWorker.start(try harness.worker())
        #expect(await waitUntil { try await harness.effects("dup") == 1 })
        await running.stop()
        #expect(harness.runs.count("dup") == 1)
        await harness.database.shutdown()
    }

    @Test("a job held by a worker that stopped heartbeating is reclaimed by another")
    func reclaim() async throws {
        let harness = try await WorkerHarness.inProcess()
        try await harness.system.queue.enqueue(TestJobs.count, CountPayload(key: "orphan"))
        // A "worker" that claims and then dies: no heartbeat, no completion.
        let orphaned = try #require(try await harness.driver.claim(worker: "dead-worker", limit: 1, lease: .seconds(1)).first)
        let running = RunningWorker.start(try harness.worker(lease: .seconds(1)))
        #expect(await waitUntil { try await harness.effects("orphan") == 1 })
        await running.stop()
        #expect(try await harness.effectAttempt("orphan") == 2, "the dead worker's delivery counted as attempt 1")
        #expect(try await !harness.driver.complete(orphaned), "the dead worker's lease is gone")
        await harness.database.shutdown()
    }

    @Test("heartbeats keep a long job from being reclaimed by a second worker")
    func heartbeats() async throws {
        let harness = try await WorkerHarness.inProcess()
        // Lease 2 s, job 5 s: the job outlives its lease twice over, and a heartbeat may
        // come over a second late (a loaded 2-core CI machine) before the lease lapses.
        try await harness.system.queue.enqueue(TestJobs.count, CountPayload(key: "long", sleepMilliseconds: 5_000))
        let first = RunningWorker.start(try harness.worker(lease: .seconds(2), id: "first"))
        #expect(await waitUntil { harness.runs.count("long") == 1 })
        let second = RunningWorker.start(try harness.worker(lease: .seconds(2), id: "second"))
        #expect(await waitUntil { try await harness.effects("long") == 1 })
        await first.stop()
        await second.stop()
        #expect(harness.runs.count("long") == 1, "a 5 s job under a 2 s lease ran once")
        await harness.database.shutdown()
    }

    @Test("graceful shutdown lets running jobs finish within the grace")
    func shutdownFinishes() async throws {
        let harness = try await WorkerHarness.inProcess()
        try await harness.system.queue.enqueue(TestJobs.count, CountPayload(key: "finishing", sleepMilliseconds: 800))
        let running = RunningWorker.start(try harness.worker(grace: .seconds(10)))
        #expect(await waitUntil { harness.runs.count("finishing") == 1 })
        await running.stop()
        #expect(try await harness.effects("finishing") == 1, "stop waited for the job")
        #expect(try await harness.driver.stats().total == 0)
        await harness.database.shutdown()
    }

    @Test("jobs still running after the grace are released to the queue, unfinished and uncounted")
    func shutdownReleases() async throws {
        let harness = try await WorkerHarness.inProcess()
        try await harness.system.queue.enqueue(TestJobs.count, CountPayload(key: "cut", sleepMilliseconds: 30_000))
        let running = RunningWorker.start(try harness.worker(grace: .milliseconds(200)))
        #expect(await waitUntil { harness.runs.count("cut") == 1 })
        await running.stop()
        #expect(try await harness.driver.stats() == JobQueueStats(ready: 1, delayed: 0, running: 0))
        #expect(try await harness.effects("cut") == 0)
        let again = try #require(try await harness.driver.claim(worker: "next", limit: 1, lease: .seconds(5)).first)
        #expect(again.attempt == 1, "a released delivery is not an attempt")
        await harness.database.shutdown()
    }

    @Test("cancelling the worker releases its running jobs at once")
    func cancellation() async throws {
        let harness = try await WorkerHarness.inProcess()
        try await harness.system.queue.enqueue(TestJobs.count, CountPayload(key: "cancelled", sleepMilliseconds: 30_000))
        let worker = try harness.worker(grace: .seconds(60))
        let task = Task { await worker.run() }
        #expect(await waitUntil { harness.runs.count("cancelled") == 1 })
        task.cancel()
        await task.value
        #expect(try await harness.driver.stats().ready == 1)
        await harness.database.shutdown()
    }

    @Test("bad worker configurations are refused")
    func configuration() async throws {
        let harness = try await WorkerHarness.inProcess()
        let bad: [JobWorker.Configuration] = [
            .init(concurrency: 0), .init(concurrency: 1001), .init(lease: .milliseconds(100)),
            .init(pollInterval: .zero), .init(shutdownGrace: .seconds(-1)), .init(statsInterval: .zero), .init(workerID: "has space"),
        ]
        for configuration in bad {
            let error = #expect(throws: GuildhallError.self) { _ = try harness.system.worker(configuration: configuration, logger: TestLogs.quiet) }
            #expect(error?.code == .invalidConfiguration || error?.code == .invalidInput)
        }
        let defaults = JobWorker.Configuration()
        #expect(defaults.heartbeatInterval == .seconds(10) && defaults.reclaimInterval == .seconds(15))
        #expect(JobValidation.isSegment(JobWorker.defaultWorkerID()))
        await harness.database.shutdown()
    }
}
