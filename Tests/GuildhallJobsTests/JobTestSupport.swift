import Foundation
import GuildhallBackends
import GuildhallCore
import GuildhallDatabaseTestSupport
@testable import GuildhallJobs
import GuildhallRedis
import GuildhallStorage
import GuildhallTestSupport
import Logging
import Synchronization

/// A wall clock the test moves by hand, with a fixed "random" number for jitter.
final class ManualJobClock: Sendable {
    private let now: Atomic<Int64>
    private let randomValue: Mutex<Double>

    init(start: Int64 = 4_000_000_000_000, random: Double = 0.5) {
        now = Atomic(start)
        randomValue = Mutex(random)
    }

    var milliseconds: Int64 { now.load(ordering: .relaxed) }

    func advance(_ duration: Duration) {
        now.add(duration.wholeMilliseconds, ordering: .relaxed)
    }

    func set(random: Double) {
        randomValue.withLock { $0 = random }
    }

    var clock: JobClock {
        JobClock(milliseconds: { self.now.load(ordering: .relaxed) }, random: { self.randomValue.withLock { $0 } })
    }
}

/// The two drivers every contract test runs against. Each test gets its own queue name, so
/// tests sharing the test command's Redis never see each other's jobs.
enum DriverKind: String, CaseIterable, CustomStringConvertible, Sendable {
    case inProcess = "in-process"
    case redis

    var description: String { rawValue }

    func make(clock: JobClock, queue: String = TestEnvironment.uniqueName(prefix: "q")) async throws -> (any JobDriver, @Sendable () async -> Void) {
        switch self {
        case .inProcess:
            return (try InProcessJobDriver(queue: queue, clock: clock), {})
        case .redis:
            let client = RedisClient(configuration: try RedisConfiguration(url: try TestEnvironment.redisURL()), logger: Logger(label: "test"))
            let driver = try RedisJobDriver(client: client, queue: queue, clock: clock)
            return (driver, {
                let keys = (try? JobKeys.all.filter { $0.parts == ["queue"] }.map { try $0.key(guild: Keyspace.platform, queue).rawValue }) ?? []
                _ = try? await client.send(["DEL"] + keys)
                await client.close()
            })
        }
    }
}

/// Builds envelopes for driver tests.
enum Envelopes {
    static func make(_ id: String = UUID().uuidString.lowercased(), name: String = "test.job", guild: Snowflake = Snowflake(42), key: String? = nil, queue: String, due: Int64, payload: String = "{}") -> JobEnvelope {
        JobEnvelope(id: id, name: name, guild: guild, idempotencyKey: key ?? id, payload: payload, queue: queue, enqueuedAt: due, dueAt: due)
    }
}

/// Payloads and kinds used across the worker tests.
struct CountPayload: Codable, Sendable, Equatable {
    var key: String
    var failAttempts = 0
    var sleepMilliseconds = 0
}

enum TestLogs {
    /// Accepts every level and keeps nothing: log messages and metadata are still built,
    /// so the code that builds them runs under test.
    static var quiet: Logger {
        LogRecorder().logger(label: "jobs-test")
    }
}


/// A driver that passes through to another until told to fail some operations.
final class FaultyDriver: JobDriver {
    enum Operation: Hashable, Sendable { case enqueue, claim, heartbeat, complete, retry, release, reclaim, contains, stats }

    let inner: any JobDriver
    private let failing = Mutex<Set<Operation>>([])
    private let beforeEnqueue = Mutex<(@Sendable () async throws -> Void)?>(nil)

    init(_ inner: any JobDriver) { self.inner = inner }

    var name: String { "faulty" }
    var queue: String { inner.queue }

    func fail(_ operations: Set<Operation>) { failing.withLock { $0 = operations } }

    /// Runs `hook` before every enqueue (to change the world in the middle of a tick).
    func onEnqueue(_ hook: @escaping @Sendable () async throws -> Void) { beforeEnqueue.withLock { $0 = hook } }

    private func check(_ operation: Operation) throws {
        if failing.withLock({ $0.contains(operation) }) { throw GuildhallError(.unavailable, "\(operation) is down on purpose") }
    }

    func enqueue(_ envelope: JobEnvelope, dedupeWindow: Duration?) async throws -> EnqueueOutcome {
        try check(.enqueue)
        if let hook = beforeEnqueue.withLock({ $0 }) { try await hook() }
        return try await inner.enqueue(envelope, dedupeWindow: dedupeWindow)
    }
    func claim(worker: String, limit: Int, lease: Duration) async throws -> [JobDelivery] {
        try check(.claim)
        return try await inner.claim(worker: worker, limit: limit, lease: lease)
    }
    func heartbeat(_ delivery: JobDelivery, lease: Duration) async throws -> Bool {
        try check(.heartbeat)
        return try await inner.heartbeat(delivery, lease: lease)
    }
    func complete(_ delivery: JobDelivery) async throws -> Bool {
        try check(.complete)
        return try await inner.complete(delivery)
    }
    func retry(_ delivery: JobDelivery, envelope: JobEnvelope, dueAt: Int64) async throws -> Bool {
        try check(.retry)
        return try await inner.retry(delivery, envelope: envelope, dueAt: dueAt)
    }
    func release(_ delivery: JobDelivery) async throws -> Bool {
        try check(.release)
        return try await inner.release(delivery)
    }
    func reclaimExpired(limit: Int) async throws -> Int {
        try check(.reclaim)
        return try await inner.reclaimExpired(limit: limit)
    }
    func contains(jobID: String) async throws -> Bool {
        try check(.contains)
        return try await inner.contains(jobID: jobID)
    }
    func stats() async throws -> JobQueueStats {
        try check(.stats)
        return try await inner.stats()
    }
}

extension TestDatabase.Engine {
    /// A fresh, migrated database for a test; shut it down at the end.
    func openJobs() async throws -> GuildhallDatabase {
        try await TestDatabase.open(self)
    }
}

/// Counts effect rows whose key starts with `prefix`.
func effectCount(_ database: GuildhallDatabase, prefix: String) async throws -> Int {
    try await database.sql.raw("SELECT effect_key FROM job_effects WHERE effect_key LIKE \(bind: prefix + "%")").all().count
}

/// A counter that closures can share.
final class Tally: Sendable {
    private let value = Atomic(0)

    func add() { value.add(1, ordering: .relaxed) }
    var count: Int { value.load(ordering: .relaxed) }
}
