import Foundation
import GuildhallCore
import GuildhallRedis
import GuildhallTestSupport
@testable import GuildhallJobs
import Testing

/// One contract, two drivers: whatever the Redis scripts do, the in-process queue does too.
/// Time comes from a manual clock on both (the Redis scripts take "now" as an argument).
@Suite("Job driver contract (in-process and Redis)")
struct JobDriverContractTests {
    @Test("enqueue, claim in due order, complete", arguments: DriverKind.allCases)
    func basics(kind: DriverKind) async throws {
        let time = ManualJobClock()
        let (driver, close) = try await kind.make(clock: time.clock)
        let now = time.milliseconds
        let later = Envelopes.make("b", queue: driver.queue, due: now - 10)
        let earlier = Envelopes.make("a", queue: driver.queue, due: now - 20)
        let future = Envelopes.make("c", queue: driver.queue, due: now + 5000)
        for envelope in [later, earlier, future] {
            #expect(try await driver.enqueue(envelope, dedupeWindow: nil) == .enqueued(jobID: envelope.id))
        }
        #expect(try await driver.stats() == JobQueueStats(ready: 2, delayed: 1, running: 0))
        #expect(try await driver.claim(worker: "w", limit: 0, lease: .seconds(10)).isEmpty)

        let first = try await driver.claim(worker: "w1", limit: 5, lease: .seconds(10))
        #expect(first.map(\.envelope.id) == ["a", "b"], "due jobs come oldest first; the future one waits")
        #expect(first.allSatisfy { $0.attempt == 1 })
        #expect(first[0].envelope == earlier)
        #expect(Set(first.map(\.token)).count == 2)
        #expect(first.allSatisfy { $0.token.hasPrefix("w1:") })
        #expect(try await driver.stats() == JobQueueStats(ready: 0, delayed: 1, running: 2))
        #expect(try await driver.contains(jobID: "a"))

        #expect(try await driver.complete(first[0]))
        #expect(try await !driver.complete(first[0]), "a second completion finds no lease")
        #expect(try await !driver.contains(jobID: "a"))
        #expect(try await driver.claim(worker: "w1", limit: 5, lease: .seconds(10)).isEmpty, "nothing else is due")

        time.advance(.seconds(6))
        let due = try await driver.claim(worker: "w2", limit: 5, lease: .seconds(10))
        #expect(due.map(\.envelope.id) == ["c"])
        #expect(try await driver.complete(due[0]))
        #expect(try await driver.complete(first[1]))
        #expect(try await driver.stats() == JobQueueStats(ready: 0, delayed: 0, running: 0))
        await close()
    }

    @Test("an idempotency key dedupes within the window, per guild and job name", arguments: DriverKind.allCases)
    func dedupe(kind: DriverKind) async throws {
        let time = ManualJobClock()
        let (driver, close) = try await kind.make(clock: time.clock)
        let now = time.milliseconds
        let original = Envelopes.make("one", key: "order-7", queue: driver.queue, due: now)
        #expect(try await driver.enqueue(original, dedupeWindow: .seconds(60)) == .enqueued(jobID: "one"))
        let again = Envelopes.make("two", key: "order-7", queue: driver.queue, due: now)
        #expect(try await driver.enqueue(again, dedupeWindow: .seconds(60)) == .duplicate(existingJobID: "one"))
        // The same key for another guild or another job name is another job.
        let otherGuild = Envelopes.make("three", guild: Snowflake(43), key: "order-7", queue: driver.queue, due: now)
        #expect(try await driver.enqueue(otherGuild, dedupeWindow: .seconds(60)) == .enqueued(jobID: "three"))
        let otherName = Envelopes.make("four", name: "test.other", key: "order-7", queue: driver.queue, due: now)
        #expect(try await driver.enqueue(otherName, dedupeWindow: .seconds(60)) == .enqueued(jobID: "four"))
        #expect(try await driver.stats().ready == 3)
        // Without a window nothing is deduped.
        let unguarded = Envelopes.make("five", key: "order-7", queue: driver.queue, due: now)
        #expect(try await driver.enqueue(unguarded, dedupeWindow: nil) == .enqueued(jobID: "five"))
        // Bad windows are refused and change nothing.
        await #expect(throws: GuildhallError.self) { try await driver.enqueue(Envelopes.make("x", queue: driver.queue, due: now), dedupeWindow: .zero) }
        await #expect(throws: GuildhallError.self) { try await driver.enqueue(Envelopes.make("y", queue: driver.queue, due: now), dedupeWindow: .seconds(90_000)) }
        #expect(try await driver.stats().ready == 4)
        #expect(try await !driver.contains(jobID: "x"))
        await close()
    }

    @Test("the in-process dedupe record expires with its window (Redis's PX is checked in the acceptance suite)")
    func dedupeExpires() async throws {
        let time = ManualJobClock()
        let (driver, close) = try await DriverKind.inProcess.make(clock: time.clock)
        let now = time.milliseconds
        #expect(try await !driver.enqueue(Envelopes.make("one", key: "k", queue: driver.queue, due: now), dedupeWindow: .seconds(5)).isDuplicate)
        time.advance(.seconds(6))
        #expect(try await driver.reclaimExpired(limit: 10) == 0, "the sweep drops the expired record")
        #expect(try await driver.enqueue(Envelopes.make("two", key: "k", queue: driver.queue, due: now), dedupeWindow: .seconds(5)) == .enqueued(jobID: "two"))
        await close()
    }

    @Test("a lease that runs out without heartbeats is reclaimed; the old token is refused", arguments: DriverKind.allCases)
    func reclaim(kind: DriverKind) async throws {
        let time = ManualJobClock()
        let (driver, close) = try await kind.make(clock: time.clock)
        _ = try await driver.enqueue(Envelopes.make("job", queue: driver.queue, due: time.milliseconds), dedupeWindow: nil)
        let held = try #require(try await driver.claim(worker: "dead", limit: 1, lease: .seconds(3)).first)
        time.advance(.seconds(2))
        #expect(try await driver.reclaimExpired(limit: 10) == 0, "the lease still runs")
        #expect(try await driver.heartbeat(held, lease: .seconds(3)), "a heartbeat extends it")
        time.advance(.seconds(2))
        #expect(try await driver.reclaimExpired(limit: 10) == 0, "extended: 3 s from the heartbeat")
        time.advance(.seconds(2))
        #expect(try await driver.reclaimExpired(limit: 10) == 1)
        #expect(try await driver.stats() == JobQueueStats(ready: 1, delayed: 0, running: 0))

        let taken = try #require(try await driver.claim(worker: "alive", limit: 1, lease: .seconds(3)).first)
        #expect(taken.envelope.id == "job")
        #expect(taken.attempt == 2, "the lost delivery counts as an attempt")
        #expect(taken.token != held.token)
        #expect(try await !driver.heartbeat(held, lease: .seconds(3)), "the dead worker's token no longer works")
        #expect(try await !driver.complete(held))
        #expect(try await !driver.retry(held, envelope: held.envelope, dueAt: time.milliseconds))
        #expect(try await !driver.release(held))
        #expect(try await driver.complete(taken))
        await close()
    }

    @Test("retry puts the job back with its new envelope at its due time; attempts keep counting", arguments: DriverKind.allCases)
    func retry(kind: DriverKind) async throws {
        let time = ManualJobClock()
        let (driver, close) = try await kind.make(clock: time.clock)
        _ = try await driver.enqueue(Envelopes.make("job", queue: driver.queue, due: time.milliseconds), dedupeWindow: nil)
        let first = try #require(try await driver.claim(worker: "w", limit: 1, lease: .seconds(30)).first)
        var failed = first.envelope
        failed.lastError = "boom"
        #expect(try await driver.retry(first, envelope: failed, dueAt: time.milliseconds + 2000))
        #expect(try await driver.stats() == JobQueueStats(ready: 0, delayed: 1, running: 0))
        #expect(try await driver.claim(worker: "w", limit: 1, lease: .seconds(30)).isEmpty, "not before its backoff")
        time.advance(.seconds(2))
        let second = try #require(try await driver.claim(worker: "w", limit: 1, lease: .seconds(30)).first)
        #expect(second.attempt == 2)
        #expect(second.envelope.lastError == "boom")
        #expect(second.envelope.dueAt == first.envelope.dueAt + 2000)
        #expect(try await driver.complete(second))
        await close()
    }

    @Test("release gives the job back at once and does not count the delivery", arguments: DriverKind.allCases)
    func release(kind: DriverKind) async throws {
        let time = ManualJobClock()
        let (driver, close) = try await kind.make(clock: time.clock)
        _ = try await driver.enqueue(Envelopes.make("job", queue: driver.queue, due: time.milliseconds), dedupeWindow: nil)
        let first = try #require(try await driver.claim(worker: "w", limit: 1, lease: .seconds(30)).first)
        #expect(try await driver.release(first))
        let again = try #require(try await driver.claim(worker: "w", limit: 1, lease: .seconds(30)).first)
        #expect(again.attempt == 1)
        #expect(try await driver.complete(again))
        await close()
    }

    @Test("a job enqueued again while it runs is not handed to a second worker", arguments: DriverKind.allCases)
    func reEnqueueWhileRunning(kind: DriverKind) async throws {
        let time = ManualJobClock()
        let (driver, close) = try await kind.make(clock: time.clock)
        let envelope = Envelopes.make("job", queue: driver.queue, due: time.milliseconds)
        _ = try await driver.enqueue(envelope, dedupeWindow: nil)
        let running = try #require(try await driver.claim(worker: "w", limit: 1, lease: .seconds(30)).first)
        _ = try await driver.enqueue(envelope, dedupeWindow: nil)
        #expect(try await driver.claim(worker: "other", limit: 5, lease: .seconds(30)).isEmpty)
        #expect(try await driver.complete(running))
        await close()
    }

    @Test("many workers claiming at once never get the same job", arguments: DriverKind.allCases)
    func concurrentClaims(kind: DriverKind) async throws {
        let time = ManualJobClock()
        let (driver, close) = try await kind.make(clock: time.clock)
        for index in 0..<200 {
            _ = try await driver.enqueue(Envelopes.make("j\(index)", queue: driver.queue, due: time.milliseconds), dedupeWindow: nil)
        }
        let claimed = try await withThrowingTaskGroup(of: [String].self) { group in
            for worker in 0..<8 {
                group.addTask {
                    var mine: [String] = []
                    while true {
                        let batch = try await driver.claim(worker: "w\(worker)", limit: 7, lease: .seconds(30))
                        if batch.isEmpty { return mine }
                        mine += batch.map(\.envelope.id)
                    }
                }
            }
            return try await group.reduce(into: [String]()) { $0 += $1 }
        }
        #expect(claimed.count == 200)
        #expect(Set(claimed).count == 200, "no job went to two workers")
        await close()
    }

    @Test("an unreachable Redis is reported as unavailable")
    func redisDown() async throws {
        let client = GuildhallRedis.RedisClient(configuration: try RedisConfiguration(url: try TestEnvironment.redisURL()), logger: TestLogs.quiet)
        let driver = try RedisJobDriver(client: client, queue: "closed")
        await client.close()
        for operation in [
            { _ = try await driver.stats() }, { _ = try await driver.contains(jobID: "x") },
            { _ = try await driver.enqueue(Envelopes.make(queue: "closed", due: 0), dedupeWindow: nil) },
        ] as [@Sendable () async throws -> Void] {
            let error = await #expect(throws: GuildhallError.self) { try await operation() }
            #expect(error?.code == .unavailable)
        }
        #expect(throws: GuildhallError.self) { _ = try RedisJobDriver(client: client, queue: "a b") }
    }

    @Test("names: bad queue names are refused")
    func badQueue() throws {
        #expect(throws: GuildhallError.self) { _ = try InProcessJobDriver(queue: "a:b") }
        #expect(throws: GuildhallError.self) { _ = try InProcessJobDriver(queue: "") }
    }
}
