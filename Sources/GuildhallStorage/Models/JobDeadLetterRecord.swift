import FluentKit
import Foundation

/// A job that exhausted its attempts (or failed in a way never retried), with its last
/// error, kept until an operator replays it.
public final class JobDeadLetterRecord: Model, @unchecked Sendable {
    public static let schema = "job_dead_letters"

    @ID(custom: "job_id", generatedBy: .user) public var id: String?
    @Field(key: "queue") public var queue: String
    @Field(key: "job_name") public var jobName: String
    @Field(key: "payload") public var payload: String
    @Field(key: "guild_id") public var guildID: Int64
    @OptionalField(key: "idempotency_key") public var idempotencyKey: String?
    @OptionalField(key: "schedule_id") public var scheduleID: String?
    @OptionalField(key: "schedule_run_ms") public var scheduleRunMilliseconds: Int64?
    @Field(key: "attempts") public var attempts: Int64
    @Field(key: "last_error") public var lastError: String
    @Field(key: "enqueued_ms") public var enqueuedMilliseconds: Int64
    @Field(key: "failed_ms") public var failedMilliseconds: Int64
    /// `dead` or `replayed`.
    @Field(key: "state") public var state: String
    @Field(key: "replay_count") public var replayCount: Int64
    @OptionalField(key: "replayed_ms") public var replayedMilliseconds: Int64?

    public init() {}
}
