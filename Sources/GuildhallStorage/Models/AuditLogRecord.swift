import FluentKit
import Foundation
import GuildhallCore

/// One write to a guild's configuration: who, what, the before/after state and the request.
public final class AuditLogRecord: Model, @unchecked Sendable {
    public static let schema = "audit_log"

    @ID(key: .id) public var id: UUID?
    @Field(key: "guild_id") public var guildID: Int64
    @Field(key: "actor_id") public var actorID: Int64
    @Field(key: "action") public var action: String
    @OptionalField(key: "target") public var target: String?
    @OptionalField(key: "before") public var before: String?
    @OptionalField(key: "after") public var after: String?
    @OptionalField(key: "request_id") public var requestID: String?
    @Timestamp(key: "created_at", on: .create) public var createdAt: Date?

    public init() {}

    public init(guildID: Snowflake, actorID: Snowflake, action: String, target: String?, before: String?, after: String?, requestID: String?) {
        self.guildID = guildID.databaseValue
        self.actorID = actorID.databaseValue
        self.action = action
        self.target = target
        self.before = before
        self.after = after
        self.requestID = requestID
    }
}
