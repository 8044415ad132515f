import FluentKit
import Foundation
import GuildhallCore
import GuildhallStorage
import SQLKit

/// A job that could not succeed, as operators see it.
public struct DeadLetter: Sendable, Equatable, Codable {
    public var jobID: String
    public var queue: String
    public var jobName: String
    public var payload: String
    public var guild: Snowflake
    public var idempotencyKey: String?
    public var attempts: Int
    public var lastError: String
    public var enqueuedAt: Int64
    public var failedAt: Int64
    /// `dead`, or `replayed` once an operator sent it back.
    public var state: String
    public var replayCount: Int
    public var replayedAt: Int64?

    enum CodingKeys: String, CodingKey {
        case jobID = "job_id", queue, jobName = "job", payload, guild = "guild_id", idempotencyKey = "idempotency_key"
        case attempts, lastError = "last_error", enqueuedAt = "enqueued_ms", failedAt = "failed_ms", state
        case replayCount = "replay_count", replayedAt = "replayed_ms"
    }
}

/// The answer to a replay.
public struct ReplayOutcome: Sendable, Equatable {
    public let jobID: String
    /// The one-off schedule that carries the job back to its queue, due now.
    public let scheduleID: UUID
    public let queue: String
}

/// Dead letters in the database (`job_dead_letters`). Recording is idempotent per job id:
/// a job dead-lettered twice (its worker died between the record and the acknowledgement)
/// keeps one row with the latest error.
public struct DeadLetterStore: Sendable {
    public let storage: GuildhallDatabase
    private let clock: JobClock

    public init(database: GuildhallDatabase, clock: JobClock = .system) {
        self.storage = database
        self.clock = clock
    }

    public func record(_ envelope: JobEnvelope, attempts: Int, lastError: String) async throws {
        let now = clock.milliseconds()
        let error = String(lastError.prefix(4000))
        try await storage.sql.raw("""
            INSERT INTO job_dead_letters (job_id, queue, job_name, payload, guild_id, idempotency_key, schedule_id, schedule_run_ms, \
            attempts, last_error, enqueued_ms, failed_ms, state, replay_count) \
            VALUES (\(bind: envelope.id), \(bind: envelope.queue), \(bind: envelope.name), \(bind: envelope.payload), \
            \(bind: envelope.guild.databaseValue), \(bind: envelope.idempotencyKey), \(bind: envelope.schedule?.id), \
            \(bind: envelope.schedule?.runAt), \(bind: Int64(attempts)), \(bind: error), \(bind: envelope.enqueuedAt), \(bind: now), 'dead', 0) \
            ON CONFLICT (job_id) DO UPDATE SET attempts = excluded.attempts, last_error = excluded.last_error, \
            failed_ms = excluded.failed_ms, state = 'dead'
            """).run()
    }

    /// Newest first. `includeReplayed` also lists letters already sent back.
    public func list(limit: Int = 50, includeReplayed: Bool = false) async throws -> [DeadLetter] {
        guard (1...1000).contains(limit) else {
            throw GuildhallError(.invalidInput, "the dead-letter list limit must be between 1 and 1000, got \(limit)")
        }
        var query = JobDeadLetterRecord.query(on: storage.database).sort(\.$failedMilliseconds, .descending).sort(\.$id).limit(limit)
        if !includeReplayed { query = query.filter(\.$state == "dead") }
        return try await query.all().map(Self.letter)
    }

    public func find(jobID: String) async throws -> DeadLetter? {
        try await JobDeadLetterRecord.find(jobID, on: storage.database).map(Self.letter)
    }

    /// How many letters wait for an operator.
    public func count() async throws -> Int {
        try await JobDeadLetterRecord.query(on: storage.database).filter(\.$state == "dead").count()
    }

    /// Sends a dead job back: the letter becomes `replayed` (a conditional update, so two
    /// operators replaying at once send it once) and a one-off schedule due now carries the
    /// job to its queue with its attempts reset, in the same transaction. The scheduler of
    /// any running worker (or `serve`) hands it over within its next tick.
    public func replay(jobID: String) async throws -> ReplayOutcome {
        let now = clock.milliseconds()
        let schedules = ScheduleStore(database: storage, clock: clock)
        do {
            return try await storage.database.transaction { database in
                let sql = database as! any SQLDatabase
                let changed = try await sql.raw("""
                    UPDATE job_dead_letters SET state = 'replayed', replay_count = replay_count + 1, replayed_ms = \(bind: now) \
                    WHERE job_id = \(bind: jobID) AND state = 'dead' RETURNING queue, job_name, payload, guild_id, replay_count
                    """).first()
                guard let changed else {
                    let exists = try await JobDeadLetterRecord.find(jobID, on: database) != nil
                    throw exists
                        ? GuildhallError(.conflict, "dead letter \(jobID) was already replayed")
                        : GuildhallError(.notFound, "no dead letter has job id \(jobID)")
                }
                let queue = try changed.decode(column: "queue", as: String.self)
                let count = try changed.decode(column: "replay_count", as: Int64.self)
                let outcome = try await schedules.upsert(
                    key: "replay.\(jobID).\(count)", queue: queue,
                    jobName: try changed.decode(column: "job_name", as: String.self),
                    payload: try changed.decode(column: "payload", as: String.self),
                    guild: Snowflake(databaseValue: try changed.decode(column: "guild_id", as: Int64.self)),
                    rule: .once, firstRunAt: now, replace: true, on: database
                )
                return ReplayOutcome(jobID: jobID, scheduleID: outcome.scheduleID, queue: queue)
            }
        } catch let error as GuildhallError {
            throw error
        } catch {
            throw GuildhallError(.unavailable, "the database refused the replay of \(jobID); nothing was changed", underlying: error)
        }
    }

    static func letter(_ record: JobDeadLetterRecord) -> DeadLetter {
        DeadLetter(
            jobID: record.id ?? "", queue: record.queue, jobName: record.jobName, payload: record.payload,
            guild: Snowflake(databaseValue: record.guildID), idempotencyKey: record.idempotencyKey,
            attempts: Int(record.attempts), lastError: record.lastError, enqueuedAt: record.enqueuedMilliseconds,
            failedAt: record.failedMilliseconds, state: record.state, replayCount: Int(record.replayCount),
            replayedAt: record.replayedMilliseconds
        )
    }
}
