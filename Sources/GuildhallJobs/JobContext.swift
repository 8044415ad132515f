import GuildhallCore
import Logging

/// What a handler knows about the job it runs, and the tools to make its effect happen once.
public struct JobContext: Sendable {
    public let jobID: String
    public let name: String
    public let guild: Snowflake
    /// 1 for the first run; every delivery counts, including ones lost to a dead worker.
    public let attempt: Int
    public let idempotencyKey: String
    public let queue: String
    public let enqueuedAt: Int64
    public let dueAt: Int64
    /// Carries job_id, job, attempt and guild_id.
    public let logger: Logger
    /// Claims effects in the database so a job that runs twice changes the world once.
    public let effects: EffectLedger

    public init(envelope: JobEnvelope, attempt: Int, logger: Logger, effects: EffectLedger) {
        self.jobID = envelope.id
        self.name = envelope.name
        self.guild = envelope.guild
        self.attempt = attempt
        self.idempotencyKey = envelope.idempotencyKey
        self.queue = envelope.queue
        self.enqueuedAt = envelope.enqueuedAt
        self.dueAt = envelope.dueAt
        self.logger = logger
        self.effects = effects
    }

    /// The claim this job makes for `effect` (one job may have several effects).
    public var claimant: EffectClaimant {
        EffectClaimant(jobID: jobID, jobName: name, guild: guild, attempt: attempt)
    }
}
