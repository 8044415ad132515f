import GuildhallCore
import Logging

/// Jobs the platform itself runs: a probe that operators and tests use to see the whole
/// path work (a claimed effect, optional sleeps and failures), and the daily pruning of
/// old effect claims and finished schedules.
public enum PlatformJobs {
    public struct ProbePayload: Codable, Sendable, Equatable {
        /// The effect the probe claims: `probe.<effectKey>` in `job_effects`.
        public var effectKey: String
        public var sleepBeforeEffectMilliseconds: Int
        public var sleepAfterEffectMilliseconds: Int
        /// Attempts up to this number fail with a transient error before doing anything.
        public var failAttempts: Int

        public init(effectKey: String, sleepBeforeEffectMilliseconds: Int = 0, sleepAfterEffectMilliseconds: Int = 0, failAttempts: Int = 0) {
            self.effectKey = effectKey
            self.sleepBeforeEffectMilliseconds = sleepBeforeEffectMilliseconds
            self.sleepAfterEffectMilliseconds = sleepAfterEffectMilliseconds
            self.failAttempts = failAttempts
        }

        enum CodingKeys: String, CodingKey {
            case effectKey = "effect_key", sleepBeforeEffectMilliseconds = "sleep_before_ms"
            case sleepAfterEffectMilliseconds = "sleep_after_ms", failAttempts = "fail_attempts"
        }
    }

    public struct PrunePayload: Codable, Sendable, Equatable {
        public var retentionDays: Int

        public init(retentionDays: Int = 30) {
            self.retentionDays = retentionDays
        }

        enum CodingKeys: String, CodingKey { case retentionDays = "retention_days" }
    }

    public static let probe = JobKind<ProbePayload>(
        uncheckedName: "platform.probe",
        retry: try! RetryPolicy(maximumAttempts: 3, initialDelay: .milliseconds(200), maximumDelay: .seconds(2)),
        timeout: .seconds(120)
    )

    public static let prune = JobKind<PrunePayload>(uncheckedName: "platform.prune", timeout: .seconds(300))

    /// The key of the daily prune schedule, and its rule (03:17 UTC).
    public static let pruneScheduleKey = "platform.prune.daily"
    public static let pruneRule = RecurrenceRule.cron(try! CronExpression("17 3 * * *"))

    /// The effect key a probe claims.
    public static func probeEffectKey(_ effectKey: String) -> String { "probe.\(effectKey)" }

    /// Adds the platform's handlers to `registry`.
    public static func register(in registry: inout JobRegistry, schedules: ScheduleStore) throws {
        try registry.register(probe) { context, payload in
            try await runProbe(context, payload)
        }
        try registry.register(prune) { context, payload in
            guard (1...3650).contains(payload.retentionDays) else {
                throw GuildhallError(.invalidInput, "retention must be 1 to 3650 days, got \(payload.retentionDays)")
            }
            let cutoff = JobClock.system.milliseconds() - Int64(payload.retentionDays) * 86_400_000
            let effects = try await context.effects.prune(claimedBefore: cutoff)
            let finished = try await schedules.prune(finishedBefore: cutoff)
            context.logger.info("pruned job history", metadata: ["effects": "\(effects)", "schedules": "\(finished)"])
        }
    }

    /// Makes sure the daily prune is scheduled (an unchanged schedule is left alone).
    public static func installSchedules(on queue: JobQueue) async throws {
        try await queue.recurring(prune, PrunePayload(), rule: pruneRule, key: pruneScheduleKey)
    }

    static func runProbe(_ context: JobContext, _ payload: ProbePayload) async throws {
        if payload.sleepBeforeEffectMilliseconds > 0 {
            try await Task.sleep(for: .milliseconds(payload.sleepBeforeEffectMilliseconds))
        }
        if context.attempt <= payload.failAttempts {
            throw GuildhallError(.unavailable, "probe fails attempt \(context.attempt) of \(payload.failAttempts) as asked")
        }
        let outcome = try await context.effects.once(probeEffectKey(payload.effectKey), by: context.claimant) { _ in }
        context.logger.info(outcome.wasPerformed ? "probe effect performed" : "probe effect already done", metadata: ["effect_key": "\(payload.effectKey)"])
        if payload.sleepAfterEffectMilliseconds > 0 {
            try await Task.sleep(for: .milliseconds(payload.sleepAfterEffectMilliseconds))
        }
    }
}
