import Foundation
import GuildhallCore
import GuildhallDatabaseTestSupport
@testable import GuildhallJobs
import GuildhallStorage
import GuildhallTestSupport
import Testing

/// The durable scheduler on both engines, driven by a manual clock.
@Suite("Durable scheduler on SQLite and PostgreSQL")
struct JobSchedulerTests {
    struct Note: Codable, Sendable, Equatable {
        var text: String
    }

    static let kind = JobKind<Note>(uncheckedName: "test.note")

    struct Setup {
        let database: GuildhallDatabase
        let time: ManualJobClock
        let driver: InProcessJobDriver
        let queue: JobQueue
        let scheduler: JobScheduler

        static func make(_ engine: TestDatabase.Engine, owner: String = "s1") async throws -> Setup {
            let database = try await engine.openJobs()
            let time = ManualJobClock()
            let driver = try InProcessJobDriver(queue: "default", clock: time.clock)
            let store = ScheduleStore(database: database, clock: time.clock)
            let configuration = JobScheduler.Configuration(lookahead: .seconds(5), redeliverAfter: .seconds(60), owner: owner)
            return Setup(
                database: database, time: time, driver: driver,
                queue: try JobQueue(driver: driver, schedules: store, clock: time.clock),
                scheduler: try JobScheduler(store: store, driver: driver, configuration: configuration, clock: time.clock, logger: TestLogs.quiet)
            )
        }
    }

    @Test("a delayed job is handed over shortly before it is due and starts on time", arguments: TestDatabase.Engine.allCases)
    func delayed(engine: TestDatabase.Engine) async throws {
        let setup = try await Setup.make(engine)
        let due = setup.time.milliseconds + 30_000
        let outcome = try await setup.queue.schedule(Self.kind, Note(text: "hi"), guild: Snowflake(5), at: Date(milliseconds: due), key: "note-1")
        guard case .created = outcome else { Issue.record("expected a new schedule"); return }
        #expect(try await setup.scheduler.tick().handedOver == 0, "30 s away: it stays in the database")
        #expect(try await setup.driver.stats().total == 0)

        setup.time.advance(.seconds(26))
        let report = try await setup.scheduler.tick()
        #expect(report.claimed == 1 && report.handedOver == 1)
        #expect(try await setup.driver.stats() == JobQueueStats(ready: 0, delayed: 1, running: 0), "handed over with its due time")
        #expect(try await setup.driver.claim(worker: "w", limit: 1, lease: .seconds(30)).isEmpty, "not before it is due")
        setup.time.advance(.seconds(4))
        let delivery = try #require(try await setup.driver.claim(worker: "w", limit: 1, lease: .seconds(30)).first)
        #expect(delivery.envelope.dueAt == due && delivery.envelope.payload == "{\"text\":\"hi\"}" && delivery.envelope.guild == Snowflake(5))

        let row = try #require(try await setup.queue.schedules.find(key: "note-1"))
        #expect(row.state == "fired" && row.inflight?.runAt == due && row.runCount == 1)
        #expect(try await setup.scheduler.tick().claimed == 0, "nothing more to do")
        #expect(try await setup.queue.schedules.finishRun(scheduleID: row.id, runAt: due))
        #expect(try await !setup.queue.schedules.finishRun(scheduleID: row.id, runAt: due))
        #expect(try await setup.queue.schedules.find(key: "note-1")?.state == "done")
        await setup.database.shutdown()
    }

    @Test("the same key again keeps the schedule unless replaced; cancel stops it", arguments: TestDatabase.Engine.allCases)
    func keys(engine: TestDatabase.Engine) async throws {
        let setup = try await Setup.make(engine)
        let first = try await setup.queue.schedule(Self.kind, Note(text: "a"), at: Date(milliseconds: setup.time.milliseconds + 60_000), key: "k")
        let kept = try await setup.queue.schedule(Self.kind, Note(text: "b"), at: Date(milliseconds: setup.time.milliseconds + 1000), key: "k")
        #expect(kept == .existing(scheduleID: first.scheduleID))
        #expect(try await setup.queue.schedules.find(key: "k")?.payload == "{\"text\":\"a\"}")
        let replaced = try await setup.queue.schedule(Self.kind, Note(text: "c"), at: Date(milliseconds: setup.time.milliseconds + 1000), key: "k", replace: true)
        #expect(replaced == .replaced(scheduleID: first.scheduleID))
        #expect(try await setup.queue.schedules.find(key: "k")?.payload == "{\"text\":\"c\"}")
        #expect(try await setup.queue.cancelSchedule(key: "k"))
        #expect(try await !setup.queue.cancelSchedule(key: "k"))
        setup.time.advance(.seconds(2))
        #expect(try await setup.scheduler.tick().handedOver == 0, "a cancelled schedule does not run")
        await #expect(throws: GuildhallError.self) { _ = try await setup.queue.schedule(Self.kind, Note(text: "x"), at: Date(), key: "bad key") }
        #expect(try await setup.queue.schedules.find(key: "bad key") == nil)
        await setup.database.shutdown()
    }

    @Test("recurring schedules: interval and cron runs keep coming; an unchanged schedule is kept", arguments: TestDatabase.Engine.allCases)
    func recurring(engine: TestDatabase.Engine) async throws {
        let setup = try await Setup.make(engine)
        let start = setup.time.milliseconds
        let every = try await setup.queue.recurring(Self.kind, Note(text: "tick"), rule: try .interval(.seconds(10)), key: "every-10s")
        #expect(try await setup.queue.recurring(Self.kind, Note(text: "tick"), rule: try .interval(.seconds(10)), key: "every-10s") == .existing(scheduleID: every.scheduleID))
        _ = try await setup.queue.recurring(Self.kind, Note(text: "cron"), rule: try .cron("* * * * *"), key: "minutely")
        var handed: [Int64] = []
        for _ in 0..<30 {
            setup.time.advance(.seconds(2))
            _ = try await setup.scheduler.tick()
            while let delivery = try await setup.driver.claim(worker: "w", limit: 1, lease: .seconds(30)).first {
                if delivery.envelope.payload.contains("tick") { handed.append(delivery.envelope.dueAt - start) }
                _ = try await setup.driver.complete(delivery)
            }
        }
        #expect(handed == [10_000, 20_000, 30_000, 40_000, 50_000, 60_000], "every 10 s on the grid, each once")
        let minutely = try #require(try await setup.queue.schedules.find(key: "minutely"))
        #expect(minutely.runCount == 1, "one minute boundary in 60 s")
        let changed = try await setup.queue.recurring(Self.kind, Note(text: "tock"), rule: try .interval(.seconds(10)), key: "every-10s")
        #expect(changed == .replaced(scheduleID: every.scheduleID), "a changed payload replaces the schedule")
        await setup.database.shutdown()
    }

    @Test("a run lost from the queue is handed over again; a finished one is confirmed", arguments: TestDatabase.Engine.allCases)
    func redelivery(engine: TestDatabase.Engine) async throws {
        let setup = try await Setup.make(engine)
        let due = setup.time.milliseconds + 3000
        _ = try await setup.queue.schedule(Self.kind, Note(text: "lost"), at: Date(milliseconds: due), key: "lost")
        _ = try await setup.queue.schedule(Self.kind, Note(text: "done"), at: Date(milliseconds: due), key: "done")
        #expect(try await setup.scheduler.tick().handedOver == 2)

        // Simulate a Redis flush for "lost": a new, empty queue; and "done" ran but its
        // completion record was never written.
        let fresh = try InProcessJobDriver(queue: "default", clock: setup.time.clock)
        let doneEnvelope = try await { () -> JobEnvelope in
            setup.time.advance(.seconds(3))
            var found: JobEnvelope?
            for delivery in try await setup.driver.claim(worker: "w", limit: 5, lease: .seconds(30)) {
                if delivery.envelope.payload.contains("done") { found = delivery.envelope }
                _ = try await setup.driver.complete(delivery)
            }
            return try #require(found)
        }()
        _ = try await fresh.enqueue(doneEnvelope, dedupeWindow: .seconds(3600))
        let claimedDone = try #require(try await fresh.claim(worker: "w", limit: 1, lease: .seconds(30)).first)
        _ = try await fresh.complete(claimedDone)
        let scheduler = try JobScheduler(
            store: setup.queue.schedules, driver: fresh,
            configuration: .init(lookahead: .seconds(5), redeliverAfter: .seconds(60), owner: "s2"), clock: setup.time.clock, logger: TestLogs.quiet
        )
        setup.time.advance(.seconds(30))
        #expect(try await scheduler.tick().claimed == 0, "not stale yet")
        setup.time.advance(.seconds(31))
        let report = try await scheduler.tick()
        #expect(report.redelivered == 2 && report.confirmed == 1)
        #expect(try await setup.queue.schedules.find(key: "done")?.state == "done")
        #expect(try await setup.queue.schedules.find(key: "lost")?.state == "fired")
        let again = try #require(try await fresh.claim(worker: "w", limit: 5, lease: .seconds(30)).first)
        #expect(again.envelope.payload == "{\"text\":\"lost\"}" && again.envelope.dueAt == due, "the lost run came back with its due time")
        await setup.database.shutdown()
    }

    @Test("two schedulers ticking at once hand each run over once", arguments: TestDatabase.Engine.allCases)
    func twoSchedulers(engine: TestDatabase.Engine) async throws {
        let setup = try await Setup.make(engine, owner: "a")
        let other = try JobScheduler(
            store: setup.queue.schedules, driver: setup.driver,
            configuration: .init(lookahead: .seconds(5), redeliverAfter: .seconds(600), batchSize: 7, owner: "b"), clock: setup.time.clock, logger: TestLogs.quiet
        )
        for index in 0..<60 {
            _ = try await setup.queue.schedule(Self.kind, Note(text: "\(index)"), at: Date(milliseconds: setup.time.milliseconds + 1000), key: "n\(index)")
        }
        async let first = setup.scheduler.tick()
        async let second = other.tick()
        async let third = other.tick()
        var reports = try await [first, second, third]
        // Leftovers (a batch was full) go on the next ticks.
        for _ in 0..<10 {
            reports.append(try await setup.scheduler.tick())
            reports.append(try await other.tick())
        }
        #expect(reports.reduce(0) { $0 + $1.handedOver } == 60, "each row was leased by one scheduler at a time")
        setup.time.advance(.seconds(2))
        var seen: [String] = []
        while true {
            let batch = try await setup.driver.claim(worker: "w", limit: 50, lease: .seconds(30))
            if batch.isEmpty { break }
            seen += batch.map(\.envelope.payload)
        }
        #expect(seen.count == 60)
        #expect(Set(seen).count == 60, "no run handed over twice")
        await setup.database.shutdown()
    }

    @Test("a queue that cannot be reached leaves the row for the next tick")
    func queueDown() async throws {
        let setup = try await Setup.make(.sqlite)
        struct Unreachable: JobDriver {
            let name = "broken"
            let queue = "default"
            func enqueue(_ envelope: JobEnvelope, dedupeWindow: Duration?) async throws -> EnqueueOutcome { throw GuildhallError(.unavailable, "down") }
            func claim(worker: String, limit: Int, lease: Duration) async throws -> [JobDelivery] { throw GuildhallError(.unavailable, "down") }
            func heartbeat(_ delivery: JobDelivery, lease: Duration) async throws -> Bool { throw GuildhallError(.unavailable, "down") }
            func complete(_ delivery: JobDelivery) async throws -> Bool { throw GuildhallError(.unavailable, "down") }
            func retry(_ delivery: JobDelivery, envelope: JobEnvelope, dueAt: Int64) async throws -> Bool { throw GuildhallError(.unavailable, "down") }
            func release(_ delivery: JobDelivery) async throws -> Bool { throw GuildhallError(.unavailable, "down") }
            func reclaimExpired(limit: Int) async throws -> Int { throw GuildhallError(.unavailable, "down") }
            func contains(jobID: String) async throws -> Bool { throw GuildhallError(.unavailable, "down") }
            func stats() async throws -> JobQueueStats { throw GuildhallError(.unavailable, "down") }
        }
        let broken = try JobScheduler(store: setup.queue.schedules, driver: Unreachable(), clock: setup.time.clock, logger: TestLogs.quiet)
        _ = try await setup.queue.schedule(Self.kind, Note(text: "x"), at: Date(milliseconds: setup.time.milliseconds), key: "x")
        let report = try await broken.tick()
        #expect(report.failed == 1 && report.handedOver == 0)
        #expect(try await setup.queue.schedules.find(key: "x")?.state == "scheduled")
        #expect(try await setup.scheduler.tick().handedOver == 1, "the lease was given back: the next scheduler takes it at once")
        await setup.database.shutdown()
    }

    @Test("the scheduler loop ticks until cancelled; bad configurations are refused")
    func loop() async throws {
        let setup = try await Setup.make(.sqlite)
        let fast = try JobScheduler(
            store: setup.queue.schedules, driver: setup.driver,
            configuration: .init(lookahead: .seconds(5), tickInterval: .milliseconds(20), owner: "loop"), clock: setup.time.clock, logger: TestLogs.quiet
        )
        _ = try await setup.queue.schedule(Self.kind, Note(text: "loop"), at: Date(milliseconds: setup.time.milliseconds), key: "loop")
        let task = Task { await fast.run() }
        #expect(await waitUntil { (try? await setup.driver.stats().total) == 1 })
        task.cancel()
        await task.value
        for bad in [JobScheduler.Configuration(tickInterval: .zero), .init(batchSize: 0), .init(lease: .zero)] {
            #expect(throws: GuildhallError.self) { _ = try JobScheduler(store: setup.queue.schedules, driver: setup.driver, configuration: bad, logger: TestLogs.quiet) }
        }
        #expect(throws: GuildhallError.self) { _ = try JobScheduler(store: setup.queue.schedules, driver: setup.driver, dedupeWindow: .zero, logger: TestLogs.quiet) }
        await setup.database.shutdown()
    }

    @Test("finished one-off schedules are pruned after the retention")
    func prune() async throws {
        let setup = try await Setup.make(.sqlite)
        _ = try await setup.queue.schedule(Self.kind, Note(text: "old"), at: Date(milliseconds: setup.time.milliseconds), key: "old")
        _ = try await setup.queue.schedule(Self.kind, Note(text: "live"), at: Date(milliseconds: setup.time.milliseconds + 999_999), key: "live")
        try await setup.queue.cancelSchedule(key: "old")
        setup.time.advance(.seconds(100))
        #expect(try await setup.queue.schedules.prune(finishedBefore: setup.time.milliseconds - 50_000) == 1)
        #expect(try await setup.queue.schedules.find(key: "old") == nil)
        #expect(try await setup.queue.schedules.find(key: "live") != nil)
        await setup.database.shutdown()
    }
}
