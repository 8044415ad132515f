import FluentKit
import Foundation

/// A delayed or recurring job kept durably until the scheduler hands it to the fast queue.
/// Times are milliseconds since the Unix epoch (see `JobMigrations.swift`).
public final class JobScheduleRecord: Model, @unchecked Sendable {
    public static let schema = "job_schedules"

    @ID(key: .id) public var id: UUID?
    /// Unique: scheduling the same key again finds this row instead of adding another.
    @Field(key: "schedule_key") public var scheduleKey: String
    @Field(key: "queue") public var queue: String
    @Field(key: "job_name") public var jobName: String
    @Field(key: "payload") public var payload: String
    @Field(key: "guild_id") public var guildID: Int64
    /// `once`, `cron` or `interval`.
    @Field(key: "kind") public var kind: String
    @OptionalField(key: "cron_expression") public var cronExpression: String?
    @OptionalField(key: "interval_ms") public var intervalMilliseconds: Int64?
    /// `scheduled` (waiting for `next_run_ms`), `fired` (a one-off run was handed over),
    /// `done` (a one-off run finished) or `cancelled`.
    @Field(key: "state") public var state: String
    @OptionalField(key: "next_run_ms") public var nextRunMilliseconds: Int64?
    /// The first run: interval schedules count their runs from it.
    @Field(key: "anchor_ms") public var anchorMilliseconds: Int64
    @OptionalField(key: "lease_owner") public var leaseOwner: String?
    @OptionalField(key: "lease_until_ms") public var leaseUntilMilliseconds: Int64?
    /// The run handed to the fast queue and not yet confirmed finished.
    @OptionalField(key: "inflight_run_ms") public var inflightRunMilliseconds: Int64?
    @OptionalField(key: "inflight_job_id") public var inflightJobID: String?
    @OptionalField(key: "inflight_since_ms") public var inflightSinceMilliseconds: Int64?
    @Field(key: "run_count") public var runCount: Int64
    @OptionalField(key: "last_run_ms") public var lastRunMilliseconds: Int64?
    @Field(key: "created_ms") public var createdMilliseconds: Int64
    @Field(key: "updated_ms") public var updatedMilliseconds: Int64

    public init() {}
}
