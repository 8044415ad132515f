import FluentKit
import Foundation

/// One effect a job had on the world. Its key is the primary key, so a second claim of the
/// same effect finds the row and does nothing.
public final class JobEffectRecord: Model, @unchecked Sendable {
    public static let schema = "job_effects"

    @ID(custom: "effect_key", generatedBy: .user) public var id: String?
    @Field(key: "job_id") public var jobID: String
    @Field(key: "job_name") public var jobName: String
    @Field(key: "guild_id") public var guildID: Int64
    @Field(key: "attempt") public var attempt: Int64
    @Field(key: "claimed_ms") public var claimedMilliseconds: Int64

    public init() {}
}
