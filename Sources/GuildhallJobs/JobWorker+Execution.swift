import Foundation
import GuildhallCore
import Logging

extension JobWorker {
    /// Runs one delivery to its end: success, retry, dead letter or release.
    func execute(_ delivery: JobDelivery) async {
        defer { finished(delivery) }
        let envelope = delivery.envelope
        var logger = self.logger
        logger[metadataKey: LogKey.jobID] = .string(envelope.id)
        logger[metadataKey: "job"] = .string(envelope.name)
        logger[metadataKey: "attempt"] = .stringConvertible(delivery.attempt)
        logger[metadataKey: LogKey.guildID] = .string(envelope.guild.description)
        let started = clock.milliseconds()
        JobMetrics.waited(job: envelope.name, milliseconds: started - envelope.dueAt)

        guard let handler = registry.handler(named: envelope.name) else {
            let error = GuildhallError(.jobUnknown, "no handler for job '\(envelope.name)' is registered in this process")
            await fail(delivery, error: error, policy: .standard, logger: logger)
            return
        }
        guard delivery.attempt <= handler.retry.maximumAttempts else {
            // Deliveries that never answered (dead workers, lost leases) count as attempts,
            // so a job that kills its worker every time still ends here.
            let reason = "delivered \(delivery.attempt) times; earlier deliveries ended without an answer (the worker died or lost its lease)"
            await deadLetter(delivery, lastError: envelope.lastError ?? reason, reason: reason, logger: logger)
            return
        }
        let context = JobContext(envelope: envelope, attempt: delivery.attempt, logger: logger, effects: effects)
        do {
            try await TimeoutGuard.run(timeout: handler.timeout) {
                try await handler.run(context, envelope.payload)
            }
        } catch {
            if Task.isCancelled {
                await release(delivery, logger: logger)
            } else {
                JobMetrics.ran(job: envelope.name, milliseconds: clock.milliseconds() - started)
                await fail(delivery, error: error, policy: handler.retry, logger: logger)
            }
            return
        }
        JobMetrics.ran(job: envelope.name, milliseconds: clock.milliseconds() - started)
        await finishScheduleRun(envelope, logger: logger)
        do {
            if try await driver.complete(delivery) {
                JobMetrics.finished(job: envelope.name, outcome: .succeeded)
                logger.debug("job succeeded")
            } else {
                JobMetrics.finished(job: envelope.name, outcome: .leaseLost)
                logger.warning("job finished after its lease was lost; another worker may run it again (its effects are claimed once)")
            }
        } catch {
            logger.warning("job finished but could not be acknowledged; it will run again when its lease ends", metadata: ["error": "\(error)"])
        }
    }

    /// After a failed attempt: retry with backoff, or dead-letter.
    func fail(_ delivery: JobDelivery, error: any Error, policy: RetryPolicy, logger: Logger) async {
        let description = Self.describe(error)
        switch policy.decide(afterAttempt: delivery.attempt, error: error, random: clock.random()) {
        case .retry(let delay):
            var envelope = delivery.envelope
            envelope.lastError = description
            logger.warning("job failed; retrying", metadata: ["error": "\(description)", "retry_in": "\(delay.compactDescription)"])
            do {
                _ = try await driver.retry(delivery, envelope: envelope, dueAt: clock.milliseconds() + delay.wholeMilliseconds)
                JobMetrics.finished(job: delivery.envelope.name, outcome: .retried)
            } catch {
                logger.warning("could not put the job back for its retry; it returns when its lease ends", metadata: ["error": "\(error)"])
            }
        case .deadLetter(let reason):
            await deadLetter(delivery, lastError: description, reason: reason, logger: logger)
        }
    }

    /// Records the dead letter first and acknowledges second: a crash in between leaves the
    /// job queued, and recording it again only updates the same row.
    func deadLetter(_ delivery: JobDelivery, lastError: String, reason: String, logger: Logger) async {
        do {
            try await deadLetters.record(delivery.envelope, attempts: delivery.attempt, lastError: lastError)
        } catch {
            logger.error("could not store a dead letter; the job stays queued and is tried again later", metadata: ["error": "\(error)"])
            var envelope = delivery.envelope
            envelope.lastError = lastError
            _ = try? await driver.retry(delivery, envelope: envelope, dueAt: clock.milliseconds() + configuration.lease.wholeMilliseconds)
            return
        }
        await finishScheduleRun(delivery.envelope, logger: logger)
        _ = try? await driver.complete(delivery)
        JobMetrics.finished(job: delivery.envelope.name, outcome: .deadLettered)
        logger.error("job dead-lettered", metadata: ["error": "\(lastError)", "reason": "\(reason)"])
    }

    /// Gives the job back to the queue (shutdown cut it short); done outside this task's
    /// cancellation so the release itself is not cancelled.
    func release(_ delivery: JobDelivery, logger: Logger) async {
        let driver = self.driver
        let released = await Task { try? await driver.release(delivery) }.value
        JobMetrics.finished(job: delivery.envelope.name, outcome: .released)
        logger.notice("job released to the queue unfinished", metadata: ["released": "\(released ?? false)"])
    }

    func finishScheduleRun(_ envelope: JobEnvelope, logger: Logger) async {
        guard let run = envelope.schedule, let id = UUID(uuidString: run.id) else { return }
        do {
            try await schedules.finishRun(scheduleID: id, runAt: run.runAt)
        } catch {
            // The scheduler hands the run over again later; the queue or the effect claims drop it.
            logger.warning("could not mark the schedule run finished", metadata: ["schedule_id": "\(run.id)", "error": "\(error)"])
        }
    }

    static func describe(_ error: any Error) -> String {
        String(String(describing: error).prefix(2000))
    }
}
