import Foundation
import GuildhallCore
import GuildhallDatabaseTestSupport
@testable import GuildhallJobs
import GuildhallRedis
import GuildhallStorage
import GuildhallTestSupport
import Logging
import Testing

/// Issue #4's acceptance, against real Redis and PostgreSQL. (The worker process killed
/// with SIGKILL is in GuildhallAppTests, where the built binary is at hand.)
@Suite("Jobs acceptance on Redis and PostgreSQL")
struct JobsAcceptanceTests {
    /// PostgreSQL and the test command's Redis, on a queue of the test's own.
    static func harness(redisURL: String? = nil) async throws -> (WorkerHarness, RedisClient) {
        let client = RedisClient(configuration: try RedisConfiguration(url: try redisURL ?? TestEnvironment.redisURL()), logger: Logger(label: "test"))
        let driver = try RedisJobDriver(client: client, queue: TestEnvironment.uniqueName(prefix: "acc"))
        return (try WorkerHarness.make(database: try await TestDatabase.open(.postgres), driver: driver), client)
    }

    @Test("a duplicate enqueue takes effect once")
    func duplicateEnqueue() async throws {
        let (harness, client) = try await Self.harness()
        let first = try await harness.system.queue.enqueue(TestJobs.count, CountPayload(key: "dup"), guild: Snowflake(12), idempotencyKey: "order-1")
        let second = try await harness.system.queue.enqueue(TestJobs.count, CountPayload(key: "dup"), guild: Snowflake(12), idempotencyKey: "order-1")
        #expect(second == .duplicate(existingJobID: first.jobID))
        let dedupeKey = try JobKeys.dedupe.key(guild: Keyspace.platform, parts: [harness.driver.queue, "12", TestJobs.count.name, "order-1"])
        let ttl = try await client.pttl(dedupeKey.rawValue)
        #expect(ttl > 0 && ttl <= 86_400_000, "the dedupe record carries its declared TTL: \(ttl)")
        let running = RunningWorker.start(try harness.worker())
        #expect(await waitUntil { try await harness.effects("dup") == 1 })
        await running.stop()
        #expect(harness.runs.count("dup") == 1)
        await client.close()
        await harness.database.shutdown()
    }

    @Test("a job that outlives its timeout is failed and retried")
    func timeout() async throws {
        let (harness, client) = try await Self.harness()
        try await harness.system.queue.enqueue(TestJobs.slowFirst, CountPayload(key: "slow", sleepMilliseconds: 5000))
        let running = RunningWorker.start(try harness.worker())
        #expect(await waitUntil { try await harness.effects("slow") == 1 })
        await running.stop()
        #expect(harness.runs.count("slow") == 2)
        #expect(try await harness.effectAttempt("slow") == 2)
        await client.close()
        await harness.database.shutdown()
    }

    @Test("retries exhausted: dead letter with the last error; after the outage a replay takes effect once")
    func deadLetterAndReplay() async throws {
        let (harness, client) = try await Self.harness()
        let outcome = try await harness.system.queue.enqueue(TestJobs.outage, CountPayload(key: "mail"), guild: Snowflake(34))
        let running = RunningWorker.start(try harness.worker())
        #expect(await waitUntil { try await harness.system.deadLetters.count() == 1 })
        let letter = try #require(try await harness.system.admin.deadLetter(jobID: outcome.jobID))
        #expect(letter.attempts == 3 && letter.lastError.contains("is down") && letter.guild == Snowflake(34))
        #expect(try await harness.effects("mail") == 0)

        harness.outage.recover()
        _ = try await harness.system.admin.replay(jobID: outcome.jobID)
        let scheduler = try harness.system.scheduler(configuration: .init(tickInterval: .milliseconds(100), owner: "acc"), logger: TestLogs.quiet)
        let ticking = Task { await scheduler.run() }
        #expect(await waitUntil { try await harness.effects("mail") == 1 })
        ticking.cancel()
        await ticking.value
        await running.stop()
        #expect(try await harness.system.deadLetters.count() == 0)
        #expect(try await harness.driver.stats().total == 0)
        await client.close()
        await harness.database.shutdown()
    }

    @Test("Redis restarted: delayed jobs still fire on time, from the database")
    func redisRestart() async throws {
        let server = try await RedisServerProcess.start()
        defer { server.stop() }
        let (harness, client) = try await Self.harness(redisURL: server.url)
        let now = JobClock.system.milliseconds()
        let soon = now + 4000, later = now + 9000
        try await harness.system.queue.schedule(TestJobs.count, CountPayload(key: "soon"), at: Date(milliseconds: soon), key: "soon")
        try await harness.system.queue.schedule(TestJobs.count, CountPayload(key: "later"), at: Date(milliseconds: later), key: "later")
        let scheduler = try harness.system.scheduler(
            configuration: .init(lookahead: .seconds(5), tickInterval: .milliseconds(200), redeliverAfter: .seconds(1), owner: "acc"), logger: TestLogs.quiet
        )
        #expect(try await scheduler.tick().handedOver == 1, "the 4 s job is in Redis now")
        #expect(try await harness.driver.stats().delayed == 1)

        server.kill()
        try await server.restart()
        #expect(await waitUntil { (try? await harness.driver.stats()) == JobQueueStats(ready: 0, delayed: 0, running: 0) }, "the restarted Redis is empty")

        let ticking = Task { await scheduler.run() }
        let running = RunningWorker.start(try harness.worker())
        #expect(await waitUntil(timeout: .seconds(30)) {
            let soonDone = try await harness.effects("soon") == 1
            let laterDone = try await harness.effects("later") == 1
            return soonDone && laterDone
        })
        ticking.cancel()
        await ticking.value
        await running.stop()
        for (key, due) in [("soon", soon), ("later", later)] {
            let effect = try #require(try await JobEffectRecord.find(TestJobs.effectKey(key), on: harness.database.database))
            #expect(effect.claimedMilliseconds >= due, "\(key) did not run early")
            #expect(effect.claimedMilliseconds < due + 5000, "\(key) ran on time (within 5 s of \(due)): \(effect.claimedMilliseconds)")
        }
        #expect(harness.runs.count("soon") == 1 && harness.runs.count("later") == 1)
        await client.close()
        await harness.database.shutdown()
    }
}
