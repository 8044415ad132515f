import Foundation
import GuildhallCore
import GuildhallDatabaseTestSupport
@testable import GuildhallJobs
import GuildhallStorage
import Logging
import Synchronization

/// Test job kinds and a worker around them. Every handler run is counted; the effect of a
/// `count` job is the claim `count.<key>` in the ledger.
enum TestJobs {
    static func fast(_ attempts: Int) -> RetryPolicy {
        try! RetryPolicy(maximumAttempts: attempts, initialDelay: .milliseconds(20), multiplier: 2, maximumDelay: .milliseconds(100))
    }

    static let count = JobKind<CountPayload>(uncheckedName: "test.count", retry: fast(3), timeout: .seconds(20))
    /// Sleeps `sleepMilliseconds` on its first attempt only, with a 1 s timeout.
    static let slowFirst = JobKind<CountPayload>(uncheckedName: "test.slow-first", retry: fast(3), timeout: .seconds(1))
    static let permanent = JobKind<CountPayload>(uncheckedName: "test.permanent", retry: fast(5), timeout: .seconds(5))
    /// Fails while the harness's outage switch is on.
    static let outage = JobKind<CountPayload>(uncheckedName: "test.outage", retry: fast(3), timeout: .seconds(5))

    static func effectKey(_ key: String) -> String { "count.\(key)" }
}

/// A dependency that is down until the test says it is back.
final class OutageSwitch: Sendable {
    private let down = Mutex(true)
    var isDown: Bool { down.withLock { $0 } }
    func recover() { down.withLock { $0 = false } }
}

/// Handler runs per job key.
final class RunLog: Sendable {
    private let runs = Mutex<[String: Int]>([:])

    func record(_ key: String) { runs.withLock { $0[key, default: 0] += 1 } }
    func count(_ key: String) -> Int { runs.withLock { $0[key] ?? 0 } }
    var total: Int { runs.withLock { $0.values.reduce(0, +) } }
}

struct WorkerHarness {
    let database: GuildhallDatabase
    let driver: any JobDriver
    let system: JobSystem
    let runs: RunLog
    let outage: OutageSwitch

    static func make(database: GuildhallDatabase, driver: any JobDriver, clock: JobClock = .system) throws -> WorkerHarness {
        let runs = RunLog()
        let outage = OutageSwitch()
        let system = try JobSystem.make(database: database, driver: driver, clock: clock) { registry in
            try registry.register(TestJobs.count) { context, payload in
                runs.record(payload.key)
                if payload.sleepMilliseconds > 0 { try await Task.sleep(for: .milliseconds(payload.sleepMilliseconds)) }
                if context.attempt <= payload.failAttempts {
                    throw GuildhallError(.unavailable, "failing attempt \(context.attempt) on purpose")
                }
                _ = try await context.effects.once(TestJobs.effectKey(payload.key), by: context.claimant) { _ in }
            }
            try registry.register(TestJobs.slowFirst) { context, payload in
                runs.record(payload.key)
                if context.attempt == 1 { try await Task.sleep(for: .milliseconds(payload.sleepMilliseconds)) }
                _ = try await context.effects.once(TestJobs.effectKey(payload.key), by: context.claimant) { _ in }
            }
            try registry.register(TestJobs.outage) { context, payload in
                runs.record(payload.key)
                if outage.isDown { throw GuildhallError(.unavailable, "the dependency of \(payload.key) is down") }
                _ = try await context.effects.once(TestJobs.effectKey(payload.key), by: context.claimant) { _ in }
            }
            try registry.register(TestJobs.permanent) { _, payload in
                runs.record(payload.key)
                throw GuildhallError.permanentJobFailure("\(payload.key) can never work")
            }
        }
        return WorkerHarness(database: database, driver: driver, system: system, runs: runs, outage: outage)
    }

    /// An SQLite database and the in-process driver on the system clock.
    static func inProcess() async throws -> WorkerHarness {
        try make(database: try await TestDatabase.open(.sqlite), driver: try InProcessJobDriver(queue: "default"))
    }

    func worker(concurrency: Int = 4, lease: Duration = .seconds(2), grace: Duration = .seconds(5), id: String = "w-\(UInt16.random(in: 0...9999))", logger: Logger = TestLogs.quiet) throws -> JobWorker {
        try system.worker(
            configuration: .init(concurrency: concurrency, lease: lease, pollInterval: .milliseconds(20), shutdownGrace: grace, statsInterval: .milliseconds(200), workerID: id),
            logger: logger
        )
    }

    func effects(_ key: String) async throws -> Int {
        try await effectCount(database, prefix: TestJobs.effectKey(key))
    }

    /// The recorded effect's attempt, or nil.
    func effectAttempt(_ key: String) async throws -> Int64? {
        try await JobEffectRecord.find(TestJobs.effectKey(key), on: database.database)?.attempt
    }
}

/// A worker running in a task, stopped gracefully by `stop()`.
struct RunningWorker {
    let worker: JobWorker
    let task: Task<Void, Never>

    static func start(_ worker: JobWorker) -> RunningWorker {
        RunningWorker(worker: worker, task: Task { await worker.run() })
    }

    func stop() async {
        worker.shutdown()
        await task.value
    }
}
