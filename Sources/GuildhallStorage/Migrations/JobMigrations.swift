import FluentKit
import SQLKit

// The job system's durable tables. Times are whole milliseconds since the Unix epoch in
// int64 columns: the scheduler compares and computes them in raw SQL, and integers mean
// the same thing on SQLite and PostgreSQL (Fluent stores `.datetime` differently on each).
//
// None of these tables has a foreign key to `guilds`: platform jobs belong to guild 0,
// which has no row, and a job's history must outlive the guild it ran for.

public struct CreateJobSchedules: AsyncMigration {
    public var name: String { "0006_create_job_schedules" }
    public init() {}

    public func prepare(on database: any Database) async throws {
        try await database.schema("job_schedules")
            .id()
            .field("schedule_key", .string, .required)
            .field("queue", .string, .required, .sql(.default("default")))
            .field("job_name", .string, .required)
            .field("payload", .string, .required)
            .field("guild_id", .int64, .required, .sql(.default(0)))
            .field("kind", .string, .required)
            .field("cron_expression", .string)
            .field("interval_ms", .int64)
            .field("state", .string, .required, .sql(.default("scheduled")))
            .field("next_run_ms", .int64)
            .field("anchor_ms", .int64, .required)
            .field("lease_owner", .string)
            .field("lease_until_ms", .int64)
            .field("inflight_run_ms", .int64)
            .field("inflight_job_id", .string)
            .field("inflight_since_ms", .int64)
            .field("run_count", .int64, .required, .sql(.default(0)))
            .field("last_run_ms", .int64)
            .field("created_ms", .int64, .required)
            .field("updated_ms", .int64, .required)
            .unique(on: "schedule_key", name: "uq_job_schedules_key")
            .create()
        // The scheduler's two questions: what is due on this queue, and which handed-over
        // runs have not been confirmed for a while.
        try await SchemaIndex.create("idx_job_schedules_due", on: "job_schedules", columns: ["queue", "state", "next_run_ms"], database: database)
        try await SchemaIndex.create("idx_job_schedules_inflight", on: "job_schedules", columns: ["queue", "inflight_since_ms"], database: database)
    }

    public func revert(on database: any Database) async throws {
        try await SchemaIndex.drop("idx_job_schedules_inflight", database: database)
        try await SchemaIndex.drop("idx_job_schedules_due", database: database)
        try await database.schema("job_schedules").delete()
    }
}

public struct CreateJobDeadLetters: AsyncMigration {
    public var name: String { "0007_create_job_dead_letters" }
    public init() {}

    public func prepare(on database: any Database) async throws {
        try await database.schema("job_dead_letters")
            .field("job_id", .string, .identifier(auto: false))
            .field("queue", .string, .required, .sql(.default("default")))
            .field("job_name", .string, .required)
            .field("payload", .string, .required)
            .field("guild_id", .int64, .required, .sql(.default(0)))
            .field("idempotency_key", .string)
            .field("schedule_id", .string)
            .field("schedule_run_ms", .int64)
            .field("attempts", .int64, .required)
            .field("last_error", .string, .required)
            .field("enqueued_ms", .int64, .required)
            .field("failed_ms", .int64, .required)
            .field("state", .string, .required, .sql(.default("dead")))
            .field("replay_count", .int64, .required, .sql(.default(0)))
            .field("replayed_ms", .int64)
            .create()
        try await SchemaIndex.create("idx_job_dead_letters_state_failed", on: "job_dead_letters", columns: ["state", "failed_ms"], database: database)
        try await SchemaIndex.create("idx_job_dead_letters_guild", on: "job_dead_letters", columns: ["guild_id"], database: database)
    }

    public func revert(on database: any Database) async throws {
        try await SchemaIndex.drop("idx_job_dead_letters_guild", database: database)
        try await SchemaIndex.drop("idx_job_dead_letters_state_failed", database: database)
        try await database.schema("job_dead_letters").delete()
    }
}

public struct CreateJobEffects: AsyncMigration {
    public var name: String { "0008_create_job_effects" }
    public init() {}

    public func prepare(on database: any Database) async throws {
        // One row per effect that happened: the primary key is the claim.
        try await database.schema("job_effects")
            .field("effect_key", .string, .identifier(auto: false))
            .field("job_id", .string, .required)
            .field("job_name", .string, .required)
            .field("guild_id", .int64, .required, .sql(.default(0)))
            .field("attempt", .int64, .required)
            .field("claimed_ms", .int64, .required)
            .create()
        try await SchemaIndex.create("idx_job_effects_claimed", on: "job_effects", columns: ["claimed_ms"], database: database)
        try await SchemaIndex.create("idx_job_effects_job", on: "job_effects", columns: ["job_id"], database: database)
    }

    public func revert(on database: any Database) async throws {
        try await SchemaIndex.drop("idx_job_effects_job", database: database)
        try await SchemaIndex.drop("idx_job_effects_claimed", database: database)
        try await database.schema("job_effects").delete()
    }
}
