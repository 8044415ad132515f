import Foundation
import GuildhallDatabaseTestSupport
import GuildhallCore
@testable import GuildhallJobs
import Logging
import Synchronization
import Testing

@Suite("Job kinds, envelopes and the registry")
struct JobDefinitionTests {
    struct Greeting: Codable, Sendable, Equatable {
        var text: String
    }

    @Test("names and timeouts are checked")
    func kinds() throws {
        let kind = try JobKind<Greeting>("greetings.send", timeout: .seconds(5))
        #expect(kind.name == "greetings.send" && kind.timeout == .seconds(5) && kind.retry == .standard)
        for bad in ["", "Upper", "has space", "a:b", String(repeating: "x", count: 129)] {
            let error = #expect(throws: GuildhallError.self) { _ = try JobKind<Greeting>(bad) }
            #expect(error?.code == .invalidInput)
        }
        #expect(throws: GuildhallError.self) { _ = try JobKind<Greeting>("ok", timeout: .zero) }
        #expect(JobValidation.isName("giveaways.end-v2_1"))
        #expect(!JobValidation.isSegment("é"))
    }

    @Test("payloads encode to JSON and bad ones are permanent failures")
    func payloads() throws {
        let kind = try JobKind<Greeting>("greetings.send")
        let text = try kind.encode(Greeting(text: "hi"))
        #expect(text == "{\"text\":\"hi\"}")
        #expect(try kind.decode(text) == Greeting(text: "hi"))
        let error = #expect(throws: GuildhallError.self) { _ = try kind.decode("{\"other\":1}") }
        #expect(error?.code == .jobPermanentFailure)
        struct Unencodable: Codable, Sendable {
            let value: Double
        }
        let nan = try JobKind<Unencodable>("numbers")
        #expect(throws: GuildhallError.self) { _ = try nan.encode(Unencodable(value: .nan)) }
    }

    @Test("envelopes round-trip through their stored JSON; corrupted bodies are named")
    func envelopes() throws {
        var envelope = JobEnvelope(
            id: "id-1", name: "greetings.send", guild: Snowflake(123_456_789_012_345_678), idempotencyKey: "k", payload: "{\"text\":\"hi\"}",
            queue: "default", enqueuedAt: 10, dueAt: 20, schedule: .init(id: "s", runAt: 20), lastError: "boom"
        )
        let text = try envelope.encoded()
        #expect(text.contains("\"guild\":\"123456789012345678\""), "snowflakes travel as strings")
        #expect(try JobEnvelope(encoded: text) == envelope)
        envelope.schedule = nil
        #expect(try JobEnvelope(encoded: try envelope.encoded()) == envelope)
        #expect(envelope.dedupeParts == ["default", "123456789012345678", "greetings.send", "k"])
        let error = #expect(throws: GuildhallError.self) { _ = try JobEnvelope(encoded: "not json") }
        #expect(error?.code == .internalError)
        #expect(EnqueueOutcome.enqueued(jobID: "a").jobID == "a" && !EnqueueOutcome.enqueued(jobID: "a").isDuplicate)
        #expect(EnqueueOutcome.duplicate(existingJobID: "b").jobID == "b" && EnqueueOutcome.duplicate(existingJobID: "b").isDuplicate)
        #expect(JobQueueStats(ready: 1, delayed: 2, running: 3).total == 6)
        #expect(Date(milliseconds: 1_500).millisecondsSince1970 == 1_500)
        #expect(JobClock.system.milliseconds() > 1_700_000_000_000)
        #expect((0..<1).contains(JobClock.system.random()))
        #expect(abs(JobClock.system.now.timeIntervalSinceNow) < 60)
    }

    @Test("the registry runs handlers by name and refuses a name twice")
    func registry() async throws {
        let kind = try JobKind<Greeting>("greetings.send")
        let seen = Mutex<[String]>([])
        var registry = JobRegistry()
        try registry.register(kind) { context, payload in
            seen.withLock { $0.append("\(context.jobID):\(payload.text)") }
        }
        let error = #expect(throws: GuildhallError.self) { try registry.register(kind) { _, _ in } }
        #expect(error?.code == .conflict)
        #expect(registry.names == ["greetings.send"])
        #expect(registry.handler(named: "unknown") == nil)
        let handler = try #require(registry.handler(named: "greetings.send"))
        #expect(handler.timeout == .seconds(30))
        let envelope = Envelopes.make("job-9", name: kind.name, queue: "default", due: 0, payload: "{\"text\":\"yo\"}")
        let database = try await TestDatabase.open(.sqlite)
        let context = JobContext(envelope: envelope, attempt: 2, logger: TestLogs.quiet, effects: EffectLedger(database: database))
        #expect(context.claimant == EffectClaimant(jobID: "job-9", jobName: kind.name, guild: Snowflake(42), attempt: 2))
        try await handler.run(context, envelope.payload)
        #expect(seen.withLock { $0 } == ["job-9:yo"])
        await #expect(throws: GuildhallError.self) { try await handler.run(context, "[]") }
        await database.shutdown()
    }
}

@Suite("Timeout guard and doorbell")
struct TimeoutGuardTests {
    @Test("a body that finishes in time returns its result")
    func inTime() async throws {
        try await TimeoutGuard.run(timeout: .seconds(5)) {}
        struct Expected: Error {}
        await #expect(throws: Expected.self) { try await TimeoutGuard.run(timeout: .seconds(5)) { throw Expected() } }
    }

    @Test("a body that outlives its timeout fails with job_timed_out, even if it ignores cancellation")
    func timeout() async throws {
        let stubborn = Atomic(false)
        let error = await #expect(throws: GuildhallError.self) {
            try await TimeoutGuard.run(timeout: .milliseconds(100)) {
                // Ignores cancellation on purpose: the guard must not wait for it.
                let deadline = ContinuousClock.now + .seconds(2)
                while ContinuousClock.now < deadline { try? await Task.sleep(for: .milliseconds(10)) }
                stubborn.store(true, ordering: .relaxed)
            }
        }
        #expect(error?.code == .jobTimedOut)
        let bodyEnded = stubborn.load(ordering: .relaxed)
        #expect(!bodyEnded, "the answer came before the body ended")
    }

    @Test("cancelling the caller ends the wait with CancellationError")
    func cancellation() async throws {
        let task = Task {
            try await TimeoutGuard.run(timeout: .seconds(30)) { try await Task.sleep(for: .seconds(30)) }
        }
        try await Task.sleep(for: .milliseconds(50))
        task.cancel()
        await #expect(throws: CancellationError.self) { try await task.value }
        let already = Task {
            withUnsafeCurrentTask { $0?.cancel() }
            try await TimeoutGuard.run(timeout: .seconds(30)) { try await Task.sleep(for: .seconds(30)) }
        }
        await #expect(throws: CancellationError.self) { try await already.value }
    }

    @Test("a ring wakes the waiter; a ring with no waiter is kept once; a wait without a ring times out")
    func doorbell() async throws {
        let bell = Doorbell()
        bell.ring()
        let started = ContinuousClock.now
        await bell.wait(timeout: .seconds(30))
        #expect(ContinuousClock.now - started < .seconds(10), "the kept ring answered at once")
        let waiting = Task { await bell.wait(timeout: .seconds(30)) }
        try await Task.sleep(for: .milliseconds(50))
        bell.ring()
        await waiting.value
        let quiet = ContinuousClock.now
        await bell.wait(timeout: .milliseconds(50))
        #expect(ContinuousClock.now - quiet >= .milliseconds(50))
    }
}
