import FluentKit
import Foundation
import GuildhallCore

/// A tenant: one Discord guild the bot has joined. Rows are never deleted when the bot
/// leaves (`left_at` is set instead), so a guild that re-invites the bot finds its data.
public final class GuildRecord: Model, @unchecked Sendable {
    public static let schema = "guilds"

    @ID(custom: "id", generatedBy: .user) public var id: Int64?
    @Field(key: "name") public var name: String
    @Field(key: "owner_id") public var ownerID: Int64
    @OptionalField(key: "left_at") public var leftAt: Date?
    /// Bumped by every settings write; caches keep only the newest version they have seen.
    @Field(key: "settings_version") public var settingsVersion: Int64
    @Timestamp(key: "created_at", on: .create) public var createdAt: Date?
    @Timestamp(key: "updated_at", on: .update) public var updatedAt: Date?

    public init() {}

    public init(id: Snowflake, name: String, ownerID: Snowflake) {
        self.id = id.databaseValue
        self.name = name
        self.ownerID = ownerID.databaseValue
        self.settingsVersion = 0
    }

    public var snowflake: Snowflake { Snowflake(databaseValue: id ?? 0) }
}
