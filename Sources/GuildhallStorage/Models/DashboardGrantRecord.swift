import FluentKit
import Foundation
import GuildhallCore

/// Dashboard access given by a guild's owner to someone without MANAGE_GUILD.
public final class DashboardGrantRecord: Model, @unchecked Sendable {
    public static let schema = "dashboard_grants"

    /// What a grant lets its holder do on the dashboard.
    public enum Level: String, Codable, Sendable, CaseIterable {
        case admin, editor, viewer
    }

    @ID(key: .id) public var id: UUID?
    @Field(key: "guild_id") public var guildID: Int64
    @Field(key: "user_id") public var userID: Int64
    @Enum(key: "level") public var level: Level
    @Field(key: "granted_by") public var grantedBy: Int64
    @Timestamp(key: "created_at", on: .create) public var createdAt: Date?

    public init() {}

    public init(guildID: Snowflake, userID: Snowflake, level: Level, grantedBy: Snowflake) {
        self.guildID = guildID.databaseValue
        self.userID = userID.databaseValue
        self.level = level
        self.grantedBy = grantedBy.databaseValue
    }
}
