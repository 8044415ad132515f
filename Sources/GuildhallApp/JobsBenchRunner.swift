import FluentKit
import Foundation
import GuildhallCore
import GuildhallJobs
import GuildhallRedis
import GuildhallStorage
import Logging
import SQLKit
import Synchronization

/// `guildhall bench jobs`: the worker retry simulation. Enqueues jobs (plus duplicate
/// enqueues of some), lets a worker run them while a share of attempts fail on purpose,
/// then checks in the database that every job's effect happened exactly once or that the
/// job is in the dead letters, never both and never neither.
public struct JobsBenchRunner: Sendable {
    public enum Driver: String, Sendable, CaseIterable { case redis, inProcess = "in-process" }

    public var jobs = 10_000
    public var failureRate = 0.3
    public var duplicates = 1_000
    public var concurrency = 32
    public var maximumAttempts = 5
    public var driver = Driver.redis
    /// Unset: a private redis-server on a free loopback port.
    public var redisURL: String?
    /// Unset: a throwaway SQLite file.
    public var database: DatabaseLocation?
    public var seed: UInt64 = 2090

    public init() {}

    static let kind = JobKind<BenchPayload>(uncheckedName: "bench.work", timeout: .seconds(30))

    struct BenchPayload: Codable, Sendable {
        let n: Int
    }

    /// What the run counted, for the report and for tests.
    public struct Figures: Sendable, Equatable {
        public var jobs = 0
        public var enqueues = 0
        public var duplicatesSuppressed = 0
        public var attempts = 0
        public var injectedFailures = 0
        public var retries = 0
        public var deadLetters = 0
        public var effects = 0
        public var effectsAlreadyDone = 0
        public var missing = 0
        public var both = 0
        public var enqueueSeconds = 0.0
        public var runSeconds = 0.0

        /// Every job either took effect once or is dead-lettered.
        public var exactlyOnce: Bool {
            missing == 0 && both == 0 && effects + deadLetters == jobs && effectsAlreadyDone == 0
        }
    }

    struct Counters {
        var attempts = 0
        var failures = 0
        var performed = 0
        var alreadyDone = 0
    }

    public func validate() throws {
        guard jobs > 0, jobs <= 1_000_000, duplicates >= 0, (0.0..<1.0).contains(failureRate), (1...1000).contains(concurrency), (1...50).contains(maximumAttempts) else {
            throw GuildhallError(.invalidInput, "bench jobs: jobs 1-1000000, duplicates >= 0, failure rate in [0, 1), concurrency 1-1000, attempts 1-50")
        }
    }

    public func run() async throws -> String {
        try validate()
        var logger = Logger(label: "bench")
        logger.logLevel = .critical
        var server: LocalRedisServer?
        var client: RedisClient?
        if driver == .redis {
            if redisURL == nil { server = try LocalRedisServer.start() }
            client = RedisClient(configuration: try RedisConfiguration(url: redisURL ?? server!.url), logger: logger)
        }
        defer { server?.stop() }
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("guildhall-bench-\(UUID().uuidString.prefix(8))")
        let location = database ?? .sqliteFile(path: folder.appendingPathComponent("bench.sqlite").path)
        defer { try? FileManager.default.removeItem(at: folder) }
        let storage = try GuildhallDatabase(location: location, migrations: FeatureCatalog.migrations, logger: logger)
        let run = "b\(UInt32.random(in: 0...UInt32.max))"
        do {
            try await storage.migrate()
            let figures = try await measure(storage: storage, client: client, run: run, logger: logger)
            try await cleanUp(storage: storage, client: client, run: run)
            await client?.close()
            await storage.shutdown()
            let report = format(figures, location: location, redis: client == nil ? nil : (redisURL ?? server!.url))
            guard figures.exactlyOnce else { throw GuildhallError(.internalError, report + "\nVERIFICATION FAILED: effects were not exactly once") }
            return report
        } catch {
            try? await cleanUp(storage: storage, client: client, run: run)
            await client?.close()
            await storage.shutdown()
            throw error
        }
    }

    func measure(storage: GuildhallDatabase, client: RedisClient?, run: String, logger: Logger) async throws -> Figures {
        let queueName = "bench-\(run)"
        let jobDriver: any JobDriver = try client.map { try RedisJobDriver(client: $0, queue: queueName) } ?? InProcessJobDriver(queue: queueName)
        // Short backoff (2 ms doubling to 50 ms) so the run measures the machinery, not the waiting.
        let benchKind = try JobKind<BenchPayload>(
            Self.kind.name,
            retry: try RetryPolicy(maximumAttempts: maximumAttempts, initialDelay: .milliseconds(2), multiplier: 2, maximumDelay: .milliseconds(50)),
            timeout: Self.kind.timeout
        )
        let counters = Mutex(Counters())
        let failureRate = self.failureRate, seed = self.seed
        let system = try JobSystem.make(database: storage, driver: jobDriver) { registry in
            try registry.register(benchKind) { context, payload in
                counters.withLock { $0.attempts += 1 }
                if Self.fails(seed: seed, n: payload.n, attempt: context.attempt, rate: failureRate) {
                    counters.withLock { $0.failures += 1 }
                    throw GuildhallError(.unavailable, "injected transient failure")
                }
                let outcome = try await context.effects.once("\(run).\(payload.n)", by: context.claimant) { _ in }
                counters.withLock { outcome.wasPerformed ? ($0.performed += 1) : ($0.alreadyDone += 1) }
            }
        }
        let queue = try JobQueue(driver: jobDriver, schedules: system.schedules, dedupeWindow: .seconds(3600))
        var figures = Figures(jobs: jobs)

        // Enqueue every job once, then `duplicates` more times a random one, 16 at a time.
        var generator = SplitMix(seed: seed)
        let order = (0..<jobs).map { $0 } + (0..<duplicates).map { _ in Int(generator.next() % UInt64(jobs)) }
        let enqueueStart = ContinuousClock.now
        let duplicateCount = try await withThrowingTaskGroup(of: Int.self) { group in
            for lane in 0..<16 {
                group.addTask {
                    var suppressed = 0
                    for index in stride(from: lane, to: order.count, by: 16) {
                        let n = order[index]
                        if try await queue.enqueue(benchKind, BenchPayload(n: n), idempotencyKey: "\(run).\(n)").isDuplicate { suppressed += 1 }
                    }
                    return suppressed
                }
            }
            return try await group.reduce(0, +)
        }
        figures.enqueueSeconds = Self.seconds(ContinuousClock.now - enqueueStart)
        figures.enqueues = order.count
        figures.duplicatesSuppressed = duplicateCount

        let worker = try system.worker(configuration: .init(concurrency: concurrency, lease: .seconds(30), pollInterval: .milliseconds(5), statsInterval: .seconds(5)), logger: logger)
        let runStart = ContinuousClock.now
        let working = Task { await worker.run() }
        let deadline = ContinuousClock.now + .seconds(1800)
        while ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(20))
            if try await jobDriver.stats().total == 0 { break }
        }
        figures.runSeconds = Self.seconds(ContinuousClock.now - runStart)
        worker.shutdown()
        await working.value

        let counted = counters.withLock { $0 }
        figures.attempts = counted.attempts
        figures.injectedFailures = counted.failures
        figures.effectsAlreadyDone = counted.alreadyDone
        try await verify(storage: storage, run: run, queue: queueName, figures: &figures)
        figures.retries = figures.injectedFailures - figures.deadLetters
        return figures
    }

    /// Reads the truth back from the database: the effect rows and the dead letters.
    func verify(storage: GuildhallDatabase, run: String, queue: String, figures: inout Figures) async throws {
        let prefix = "\(run)."
        let effectRows = try await storage.sql.raw("SELECT effect_key FROM job_effects WHERE effect_key LIKE \(bind: prefix + "%")").all()
        var done = Set<Int>()
        for row in effectRows {
            let key = try row.decode(column: "effect_key", as: String.self)
            if let n = Int(key.dropFirst(prefix.count)) { done.insert(n) }
        }
        let letters = try await JobDeadLetterRecord.query(on: storage.database).filter(\.$queue == queue).all()
        var dead = Set<Int>()
        for letter in letters {
            if let payload = try? JSONDecoder().decode(BenchPayload.self, from: Data(letter.payload.utf8)) { dead.insert(payload.n) }
        }
        figures.effects = effectRows.count
        figures.deadLetters = letters.count
        figures.both = done.intersection(dead).count
        figures.missing = (0..<jobs).filter { !done.contains($0) && !dead.contains($0) }.count
    }

    func cleanUp(storage: GuildhallDatabase, client: RedisClient?, run: String) async throws {
        guard database != nil || redisURL != nil else { return } // private server and file: nothing shared
        try await storage.sql.raw("DELETE FROM job_effects WHERE effect_key LIKE \(bind: run + ".%")").run()
        try await storage.sql.raw("DELETE FROM job_dead_letters WHERE queue = \(bind: "bench-\(run)")").run()
        guard let client else { return }
        let queueName = "bench-\(run)"
        var keys = try JobKeys.all.filter { $0.parts == ["queue"] }.map { try $0.key(guild: Keyspace.platform, queueName).rawValue }
        for n in 0..<jobs {
            keys.append(try JobKeys.dedupe.key(guild: Keyspace.platform, parts: [queueName, "0", Self.kind.name, "\(run).\(n)"]).rawValue)
            if keys.count >= 1000 {
                _ = try await client.send(["DEL"] + keys)
                keys.removeAll()
            }
        }
        if !keys.isEmpty { _ = try await client.send(["DEL"] + keys) }
    }

    func format(_ figures: Figures, location: DatabaseLocation, redis: String?) -> String {
        let completed = Double(figures.jobs) / max(figures.runSeconds, 0.000_001)
        let attemptsPerSecond = Double(figures.attempts) / max(figures.runSeconds, 0.000_001)
        let enqueueRate = Double(figures.enqueues) / max(figures.enqueueSeconds, 0.000_001)
        return """
        guildhall bench jobs
          machine              : \(MachineDescription.current())
          driver               : \(driver.rawValue)\(redis.map { " (\($0))" } ?? "")
          database             : \(location)
          workload             : \(figures.jobs) jobs, \(Int(failureRate * 100))% of attempts fail on purpose, at most \(maximumAttempts) attempts, \(duplicates) duplicate enqueues, concurrency \(concurrency)
          enqueue              : \(figures.enqueues) enqueues in \(String(format: "%.2f", figures.enqueueSeconds)) s (\(Int(enqueueRate.rounded())) /s)
          duplicates suppressed: \(figures.duplicatesSuppressed) of \(duplicates)
          processing           : \(String(format: "%.2f", figures.runSeconds)) s, \(Int(completed.rounded())) jobs/s, \(Int(attemptsPerSecond.rounded())) attempts/s
          attempts             : \(figures.attempts) (\(figures.injectedFailures) injected failures)
          retries              : \(figures.retries)
          dead letters         : \(figures.deadLetters)
          effects              : \(figures.effects) claimed once, \(figures.effectsAlreadyDone) repeat claims refused
          exactly once         : \(figures.exactlyOnce ? "yes" : "NO") (\(figures.effects) effects + \(figures.deadLetters) dead letters = \(figures.effects + figures.deadLetters) of \(figures.jobs) jobs; missing \(figures.missing), both \(figures.both))
        """
    }

    /// Whether attempt `attempt` of job `n` fails: a fixed function of the seed, so a run
    /// can be repeated.
    static func fails(seed: UInt64, n: Int, attempt: Int, rate: Double) -> Bool {
        var generator = SplitMix(seed: seed ^ (UInt64(n) &* 0x9E37_79B9_7F4A_7C15) ^ (UInt64(attempt) &* 0xBF58_476D_1CE4_E5B9))
        return Double(generator.next() >> 11) / Double(1 << 53) < rate
    }

    static func seconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
    }
}

/// SplitMix64: a small, fast, seedable generator for the bench's choices.
struct SplitMix {
    private var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
