import Foundation
import GuildhallCore
import Logging

/// Moves durable schedule runs into the fast queue shortly before they are due. Several
/// schedulers (one per worker process) can run at once: each tick leases the rows it
/// works on, so each run is handed over by one of them; and each hand-over carries a key
/// fixed by the run, so a repeat (after a crash mid-tick) is a duplicate the queue drops.
public final class JobScheduler: Sendable {
    public struct Configuration: Sendable, Equatable {
        public var lookahead: Duration
        public var tickInterval: Duration
        public var redeliverAfter: Duration
        public var lease: Duration
        public var batchSize: Int
        public var owner: String

        public init(
            lookahead: Duration = .seconds(5), tickInterval: Duration = .seconds(1), redeliverAfter: Duration = .seconds(60),
            lease: Duration = .seconds(30), batchSize: Int = 100, owner: String = JobWorker.defaultWorkerID()
        ) {
            self.lookahead = lookahead
            self.tickInterval = tickInterval
            self.redeliverAfter = redeliverAfter
            self.lease = lease
            self.batchSize = batchSize
            self.owner = owner
        }

        public func validate() throws {
            guard lookahead >= .zero, tickInterval > .zero, redeliverAfter > .zero, lease > .zero, (1...10_000).contains(batchSize) else {
                throw GuildhallError(.invalidConfiguration, "scheduler intervals must be positive and the batch size between 1 and 10000")
            }
        }

        var settings: SchedulePlanner.Settings {
            SchedulePlanner.Settings(lookahead: lookahead.wholeMilliseconds, redeliverAfter: redeliverAfter.wholeMilliseconds)
        }
    }

    /// What one tick did.
    public struct TickReport: Sendable, Equatable {
        public var claimed = 0
        public var handedOver = 0
        public var redelivered = 0
        /// Runs found finished while checking on them (their completion was not recorded).
        public var confirmed = 0
        public var failed = 0
    }

    public let configuration: Configuration
    private let store: ScheduleStore
    private let driver: any JobDriver
    private let dedupeWindow: Duration
    private let clock: JobClock
    private let logger: Logger

    public init(store: ScheduleStore, driver: any JobDriver, configuration: Configuration = Configuration(), dedupeWindow: Duration = JobQueue.defaultDedupeWindow, clock: JobClock = .system, logger: Logger) throws {
        try configuration.validate()
        _ = try InProcessJobDriver.checkedWindow(dedupeWindow)
        self.configuration = configuration
        self.store = store
        self.driver = driver
        self.dedupeWindow = dedupeWindow
        self.clock = clock
        var logger = logger
        logger[metadataKey: "queue"] = .string(driver.queue)
        self.logger = logger
    }

    /// Ticks every `tickInterval` (at once again when a batch came back full) until cancelled.
    public func run() async {
        logger.info("job scheduler started", metadata: ["lookahead": "\(configuration.lookahead.compactDescription)"])
        var failing = false
        while !Task.isCancelled {
            var full = false
            do {
                let report = try await tick()
                full = report.claimed >= configuration.batchSize
                if failing {
                    failing = false
                    logger.notice("job scheduler recovered")
                }
            } catch {
                if !failing {
                    failing = true
                    logger.warning("job scheduler tick failed; retrying", metadata: ["error": "\(error)"])
                }
            }
            if full { continue }
            do { try await Task.sleep(for: configuration.tickInterval) } catch { break }
        }
        logger.info("job scheduler stopped")
    }

    /// One pass: lease the rows that need attention, hand their runs over, write them back.
    @discardableResult
    public func tick() async throws -> TickReport {
        let now = clock.milliseconds()
        let rows = try await store.claim(
            queue: driver.queue, owner: configuration.owner, now: now, horizon: now + configuration.lookahead.wholeMilliseconds,
            staleBefore: now - configuration.redeliverAfter.wholeMilliseconds, lease: configuration.lease, limit: configuration.batchSize
        )
        var report = TickReport(claimed: rows.count)
        for row in rows {
            await process(row, now: now, report: &report)
        }
        return report
    }

    private func process(_ row: ScheduleRow, now: Int64, report: inout TickReport) async {
        var plan = SchedulePlanner.plan(row, now: now, settings: configuration.settings)
        do {
            for send in plan.sends {
                let outcome = try await driver.enqueue(row.envelope(runAt: send.runAt, now: now), dedupeWindow: dedupeWindow)
                JobMetrics.scheduled(queue: driver.queue, redelivery: send.isRedelivery)
                if send.isRedelivery {
                    report.redelivered += 1
                    // A duplicate the queue no longer holds has finished; only its record was lost.
                    if outcome.isDuplicate, plan.row.inflight?.runAt == send.runAt, try await !driver.contains(jobID: outcome.jobID) {
                        plan.row.inflight = nil
                        if case .once = row.rule, plan.row.state == "fired" { plan.row.state = "done" }
                        report.confirmed += 1
                    } else if !outcome.isDuplicate {
                        logger.notice("schedule run handed over again: the queue had lost it", metadata: ["schedule": "\(row.key)", "run_ms": "\(send.runAt)"])
                    }
                } else {
                    report.handedOver += 1
                }
            }
            if try await !store.apply(plan.row, owner: configuration.owner) {
                logger.warning("schedule lease lost before its update; another scheduler has the row", metadata: ["schedule": "\(row.key)"])
            }
        } catch {
            report.failed += 1
            logger.warning("could not hand a schedule run to the queue; retrying next tick", metadata: ["schedule": "\(row.key)", "error": "\(error)"])
            try? await store.releaseLease(id: row.id, owner: configuration.owner)
        }
    }
}
