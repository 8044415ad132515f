import Foundation
import GuildhallCore
import GuildhallStorage
import Logging
import Synchronization

/// Runs jobs: claims up to `concurrency` at a time from the driver, runs each handler with
/// its timeout, retries failures by the job's policy, dead-letters what cannot succeed,
/// heartbeats the leases of running jobs and reclaims the leases of dead workers.
///
/// `shutdown()` starts a graceful stop: no new claims; running jobs get `shutdownGrace`
/// to finish; any still running after it are cancelled and released back to the queue.
public final class JobWorker: Sendable {
    public struct Configuration: Sendable, Equatable {
        public var concurrency: Int
        /// How long a claimed job stays leased without a heartbeat (the visibility timeout).
        public var lease: Duration
        public var pollInterval: Duration
        public var shutdownGrace: Duration
        /// How often gauges (queue depth, dead letters) are refreshed.
        public var statsInterval: Duration
        /// Unique among workers: it prefixes every lease token.
        public var workerID: String

        public init(
            concurrency: Int = 4, lease: Duration = .seconds(30), pollInterval: Duration = .milliseconds(100),
            shutdownGrace: Duration = .seconds(10), statsInterval: Duration = .seconds(5), workerID: String = JobWorker.defaultWorkerID()
        ) {
            self.concurrency = concurrency
            self.lease = lease
            self.pollInterval = pollInterval
            self.shutdownGrace = shutdownGrace
            self.statsInterval = statsInterval
            self.workerID = workerID
        }

        /// Heartbeats come three times per lease, so one late beat does not lose the job.
        public var heartbeatInterval: Duration { lease / 3 }
        /// Dead workers' leases are looked for twice per lease.
        public var reclaimInterval: Duration { lease / 2 }

        public func validate() throws {
            guard (1...1000).contains(concurrency) else {
                throw GuildhallError(.invalidConfiguration, "worker concurrency must be between 1 and 1000, got \(concurrency)")
            }
            guard lease >= .milliseconds(300) else {
                throw GuildhallError(.invalidConfiguration, "the job lease (visibility timeout) must be at least 300ms, got \(lease)")
            }
            guard pollInterval > .zero, shutdownGrace >= .zero, statsInterval > .zero else {
                throw GuildhallError(.invalidConfiguration, "worker intervals must be positive")
            }
            try JobValidation.requireKey(workerID, what: "worker id")
        }
    }

    struct State {
        var stopping = false
        var running: [String: JobDelivery] = [:]
    }

    public let configuration: Configuration
    let driver: any JobDriver
    let registry: JobRegistry
    let deadLetters: DeadLetterStore
    let schedules: ScheduleStore
    let effects: EffectLedger
    let clock: JobClock
    let logger: Logger
    let state = Mutex(State())
    let doorbell = Doorbell()

    public init(driver: any JobDriver, registry: JobRegistry, database: GuildhallDatabase, configuration: Configuration = Configuration(), clock: JobClock = .system, logger: Logger) throws {
        try configuration.validate()
        self.configuration = configuration
        self.driver = driver
        self.registry = registry
        self.deadLetters = DeadLetterStore(database: database, clock: clock)
        self.schedules = ScheduleStore(database: database, clock: clock)
        self.effects = EffectLedger(database: database, clock: clock)
        self.clock = clock
        var logger = logger
        logger[metadataKey: "worker_id"] = .string(configuration.workerID)
        logger[metadataKey: "queue"] = .string(driver.queue)
        self.logger = logger
    }

    /// `<host>-<pid>-<random>`: readable in logs and unique across restarts.
    public static func defaultWorkerID() -> String {
        let host = ProcessInfo.processInfo.hostName.split(separator: ".").first.map(String.init) ?? "host"
        let safeHost = String(host.unicodeScalars.filter { $0.isASCII && (CharacterSet.alphanumerics.contains($0) || $0 == "-") }.prefix(40))
        return "\(safeHost.isEmpty ? "host" : safeHost)-\(ProcessInfo.processInfo.processIdentifier)-\(UInt16.random(in: 0...UInt16.max))"
    }

    /// Jobs running in this worker now.
    public var runningCount: Int { state.withLock { $0.running.count } }

    public var isStopping: Bool { state.withLock { $0.stopping } }

    /// Starts a graceful stop; `run()` returns once running jobs finished or were released.
    public func shutdown() {
        state.withLock { $0.stopping = true }
        doorbell.ring()
    }

    /// Claims and runs jobs until `shutdown()` (graceful) or cancellation (running jobs are
    /// released at once).
    public func run() async {
        logger.info("job worker started", metadata: ["concurrency": "\(configuration.concurrency)", "driver": "\(driver.name)"])
        await withDiscardingTaskGroup { group in
            group.addTask { await self.maintain() }
            await claimLoop(group: &group)
            await drain()
            // Stops the maintenance loop, and cancels (so releases) whatever outlived the grace.
            group.cancelAll()
        }
        JobMetrics.running(queue: driver.queue, count: 0)
        logger.info("job worker stopped")
    }

    private func claimLoop(group: inout DiscardingTaskGroup) async {
        var failing = false
        while !isStopping, !Task.isCancelled {
            let free = configuration.concurrency - runningCount
            guard free > 0 else {
                await doorbell.wait(timeout: configuration.pollInterval)
                continue
            }
            let deliveries: [JobDelivery]
            do {
                deliveries = try await driver.claim(worker: configuration.workerID, limit: free, lease: configuration.lease)
                if failing {
                    failing = false
                    logger.notice("job queue reachable again")
                }
            } catch {
                if !failing {
                    failing = true
                    logger.warning("cannot claim jobs; retrying", metadata: ["error": "\(error)"])
                }
                await doorbell.wait(timeout: configuration.pollInterval)
                continue
            }
            state.withLock { state in
                for delivery in deliveries { state.running[delivery.token] = delivery }
            }
            JobMetrics.running(queue: driver.queue, count: runningCount)
            for delivery in deliveries {
                group.addTask { await self.execute(delivery) }
            }
            if deliveries.count < free {
                await doorbell.wait(timeout: configuration.pollInterval)
            }
        }
    }

    /// Waits, at most the shutdown grace, for running jobs to finish.
    private func drain() async {
        let deadline = ContinuousClock.now + configuration.shutdownGrace
        if runningCount > 0 {
            logger.info("waiting for running jobs to finish", metadata: ["running": "\(runningCount)", "grace": "\(configuration.shutdownGrace.compactDescription)"])
        }
        while runningCount > 0, ContinuousClock.now < deadline, !Task.isCancelled {
            await doorbell.wait(timeout: .milliseconds(50))
        }
        if runningCount > 0 {
            logger.warning("shutdown grace over; releasing unfinished jobs to the queue", metadata: ["running": "\(runningCount)"])
        }
    }

    func finished(_ delivery: JobDelivery) {
        _ = state.withLock { $0.running.removeValue(forKey: delivery.token) }
        JobMetrics.running(queue: driver.queue, count: runningCount)
        doorbell.ring()
    }
}
