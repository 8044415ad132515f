import FluentKit
import Foundation
import GuildhallCore
import GuildhallStorage
import SQLKit

/// The answer to scheduling a keyed job.
public enum ScheduleOutcome: Sendable, Equatable {
    case created(scheduleID: UUID)
    /// A schedule with this key existed and was left as it was.
    case existing(scheduleID: UUID)
    /// A schedule with this key existed and now has the new time, rule and payload.
    case replaced(scheduleID: UUID)

    public var scheduleID: UUID {
        switch self {
        case .created(let id), .existing(let id), .replaced(let id): return id
        }
    }
}

/// Delayed and recurring jobs in the database (`job_schedules`), and the claims that let
/// several schedulers share them: a row is leased with a conditional UPDATE (with
/// `FOR UPDATE SKIP LOCKED` on PostgreSQL), so exactly one scheduler moves each run.
public struct ScheduleStore: Sendable {
    public let storage: GuildhallDatabase
    private let clock: JobClock

    public init(database: GuildhallDatabase, clock: JobClock = .system) {
        self.storage = database
        self.clock = clock
    }

    static let columns: SQLQueryString = """
        id, schedule_key, queue, job_name, payload, guild_id, kind, cron_expression, interval_ms, state, next_run_ms, \
        inflight_run_ms, inflight_job_id, inflight_since_ms, run_count, last_run_ms, anchor_ms
        """

    /// Stores a schedule under `key`. An existing key is kept as it was unless `replace`,
    /// which gives it the new rule, first run and payload (and forgets an unconfirmed run).
    public func upsert(
        key: String, queue: String, jobName: String, payload: String, guild: Snowflake,
        rule: ScheduleRule, firstRunAt: Int64, replace: Bool, on database: (any Database)? = nil
    ) async throws -> ScheduleOutcome {
        try JobValidation.requireKey(key, what: "schedule key")
        try JobValidation.requireKey(queue, what: "queue name")
        try JobValidation.requireName(jobName)
        let sql = (database ?? storage.database) as! any SQLDatabase
        let now = clock.milliseconds()
        let cron: String? = if case .recurring(.cron(let expression)) = rule { expression.source } else { nil }
        let interval: Int64? = if case .recurring(.every(let every)) = rule { every.wholeMilliseconds } else { nil }
        do {
            let inserted = try await sql.raw("""
                INSERT INTO job_schedules (id, schedule_key, queue, job_name, payload, guild_id, kind, cron_expression, interval_ms, \
                state, next_run_ms, anchor_ms, run_count, created_ms, updated_ms) \
                VALUES (\(bind: UUID()), \(bind: key), \(bind: queue), \(bind: jobName), \(bind: payload), \(bind: guild.databaseValue), \
                \(bind: rule.kind), \(bind: cron), \(bind: interval), 'scheduled', \(bind: firstRunAt), \(bind: firstRunAt), 0, \(bind: now), \(bind: now)) \
                ON CONFLICT (schedule_key) DO NOTHING RETURNING id
                """).first()
            if let inserted { return .created(scheduleID: try inserted.decode(column: "id", as: UUID.self)) }
            guard replace else {
                let existing = try await sql.raw("SELECT id FROM job_schedules WHERE schedule_key = \(bind: key)").first()
                guard let existing else { throw GuildhallError(.conflict, "schedule '\(key)' vanished while it was being written; try again") }
                return .existing(scheduleID: try existing.decode(column: "id", as: UUID.self))
            }
            let updated = try await sql.raw("""
                UPDATE job_schedules SET queue = \(bind: queue), job_name = \(bind: jobName), payload = \(bind: payload), \
                guild_id = \(bind: guild.databaseValue), kind = \(bind: rule.kind), cron_expression = \(bind: cron), \
                interval_ms = \(bind: interval), state = 'scheduled', next_run_ms = \(bind: firstRunAt), anchor_ms = \(bind: firstRunAt), \
                inflight_run_ms = NULL, \
                inflight_job_id = NULL, inflight_since_ms = NULL, lease_owner = NULL, lease_until_ms = NULL, \
                updated_ms = \(bind: now) \
                WHERE schedule_key = \(bind: key) RETURNING id
                """).first()
            guard let updated else { throw GuildhallError(.conflict, "schedule '\(key)' vanished while it was being replaced; try again") }
            return .replaced(scheduleID: try updated.decode(column: "id", as: UUID.self))
        } catch let error as GuildhallError {
            throw error
        } catch {
            throw GuildhallError(.unavailable, "the database refused the schedule '\(key)'", underlying: error)
        }
    }

    /// Stops a schedule; true when it was active. Runs already handed over still run.
    @discardableResult
    public func cancel(key: String) async throws -> Bool {
        let now = clock.milliseconds()
        return try await !storage.sql.raw("""
            UPDATE job_schedules SET state = 'cancelled', next_run_ms = NULL, updated_ms = \(bind: now) \
            WHERE schedule_key = \(bind: key) AND state = 'scheduled' RETURNING id
            """).all().isEmpty
    }

    public func find(key: String) async throws -> ScheduleRow? {
        try await storage.sql.raw("SELECT \(Self.columns) FROM job_schedules WHERE schedule_key = \(bind: key)").first().map(Self.row)
    }

    public func find(id: UUID) async throws -> ScheduleRow? {
        try await storage.sql.raw("SELECT \(Self.columns) FROM job_schedules WHERE id = \(bind: id)").first().map(Self.row)
    }

    /// Leases up to `limit` rows of `queue` that need the scheduler: runs due before
    /// `horizon`, and handed-over runs unconfirmed since before `staleBefore`. A row leased
    /// by another scheduler is skipped until its lease ends.
    public func claim(queue: String, owner: String, now: Int64, horizon: Int64, staleBefore: Int64, lease: Duration, limit: Int) async throws -> [ScheduleRow] {
        let lock: SQLQueryString = storage.location.isPostgres ? " FOR UPDATE SKIP LOCKED" : ""
        let rows = try await storage.sql.raw("""
            UPDATE job_schedules SET lease_owner = \(bind: owner), lease_until_ms = \(bind: now + lease.wholeMilliseconds) \
            WHERE id IN (SELECT id FROM job_schedules \
              WHERE queue = \(bind: queue) AND (lease_until_ms IS NULL OR lease_until_ms < \(bind: now)) \
              AND ((state = 'scheduled' AND next_run_ms <= \(bind: horizon)) \
                OR (inflight_since_ms IS NOT NULL AND inflight_since_ms <= \(bind: staleBefore))) \
              ORDER BY next_run_ms LIMIT \(bind: limit)\(lock)) \
            AND (lease_until_ms IS NULL OR lease_until_ms < \(bind: now)) \
            RETURNING \(Self.columns)
            """).all()
        return try rows.map(Self.row)
    }

    /// Writes what the planner decided and drops the lease; false when the lease was lost
    /// (another scheduler took the row after ours ran out), in which case nothing changes.
    @discardableResult
    public func apply(_ row: ScheduleRow, owner: String) async throws -> Bool {
        let now = clock.milliseconds()
        return try await !storage.sql.raw("""
            UPDATE job_schedules SET state = \(bind: row.state), next_run_ms = \(bind: row.nextRunAt), \
            inflight_run_ms = \(bind: row.inflight?.runAt), inflight_job_id = \(bind: row.inflight?.jobID), \
            inflight_since_ms = \(bind: row.inflight?.since), run_count = \(bind: row.runCount), last_run_ms = \(bind: row.lastRunAt), \
            lease_owner = NULL, lease_until_ms = NULL, updated_ms = \(bind: now) \
            WHERE id = \(bind: row.id) AND lease_owner = \(bind: owner) RETURNING id
            """).all().isEmpty
    }

    /// Gives a lease back without changes (the queue was unreachable), so the next tick retries.
    public func releaseLease(id: UUID, owner: String) async throws {
        try await storage.sql.raw("""
            UPDATE job_schedules SET lease_owner = NULL, lease_until_ms = NULL WHERE id = \(bind: id) AND lease_owner = \(bind: owner)
            """).run()
    }

    /// Records that a handed-over run finished (or was dead-lettered): the row stops
    /// watching it, and a one-off schedule is done. True when the run was the one watched.
    @discardableResult
    public func finishRun(scheduleID: UUID, runAt: Int64) async throws -> Bool {
        let now = clock.milliseconds()
        return try await !storage.sql.raw("""
            UPDATE job_schedules SET inflight_run_ms = NULL, inflight_job_id = NULL, inflight_since_ms = NULL, \
            state = CASE WHEN kind = 'once' AND state = 'fired' THEN 'done' ELSE state END, updated_ms = \(bind: now) \
            WHERE id = \(bind: scheduleID) AND inflight_run_ms = \(bind: runAt) RETURNING id
            """).all().isEmpty
    }

    /// Deletes finished one-off and cancelled schedules last changed before `cutoff`.
    @discardableResult
    public func prune(finishedBefore cutoff: Int64) async throws -> Int {
        try await storage.sql.raw("""
            DELETE FROM job_schedules WHERE state IN ('done', 'cancelled') AND updated_ms < \(bind: cutoff) RETURNING id
            """).all().count
    }

    static func row(_ row: any SQLRow) throws -> ScheduleRow {
        let inflightRun = try row.decode(column: "inflight_run_ms", as: Int64?.self)
        var inflight: ScheduleRow.Inflight?
        if let inflightRun {
            inflight = .init(
                runAt: inflightRun,
                jobID: try row.decode(column: "inflight_job_id", as: String?.self) ?? "",
                since: try row.decode(column: "inflight_since_ms", as: Int64?.self) ?? 0
            )
        }
        let nextRun = try row.decode(column: "next_run_ms", as: Int64?.self)
        return ScheduleRow(
            id: try row.decode(column: "id", as: UUID.self),
            key: try row.decode(column: "schedule_key", as: String.self),
            queue: try row.decode(column: "queue", as: String.self),
            jobName: try row.decode(column: "job_name", as: String.self),
            payload: try row.decode(column: "payload", as: String.self),
            guild: Snowflake(databaseValue: try row.decode(column: "guild_id", as: Int64.self)),
            rule: try ScheduleRule.parse(
                kind: try row.decode(column: "kind", as: String.self),
                cron: try row.decode(column: "cron_expression", as: String?.self),
                intervalMilliseconds: try row.decode(column: "interval_ms", as: Int64?.self)
            ),
            state: try row.decode(column: "state", as: String.self),
            nextRunAt: nextRun,
            inflight: inflight,
            runCount: try row.decode(column: "run_count", as: Int64.self),
            lastRunAt: try row.decode(column: "last_run_ms", as: Int64?.self),
            anchor: try row.decode(column: "anchor_ms", as: Int64.self)
        )
    }
}
