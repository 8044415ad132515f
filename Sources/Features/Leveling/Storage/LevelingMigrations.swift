import FluentKit
import GuildhallStorage

/// Leveling's schema: each guild's configuration, the durable XP totals the worker writes
/// behind, and the snapshot `/xp restore` brings back after `/xp reset-all`.
public enum LevelingMigrations {
    public static var all: [any Migration] { [CreateLevelingTables()] }
}

public struct CreateLevelingTables: AsyncMigration {
    public var name: String { "0009_create_leveling" }
    public init() {}

    public func prepare(on database: any Database) async throws {
        try await database.schema("leveling_settings")
            .field("guild_id", .int64, .identifier(auto: false), .references("guilds", "id", onDelete: .cascade))
            .field("config", .string, .required)
            .field("version", .int64, .required, .sql(.default(0)))
            .field("updated_ms", .int64, .required, .sql(.default(0)))
            .create()
        try await database.schema("leveling_members")
            .field("guild_id", .int64, .required, .references("guilds", "id", onDelete: .cascade))
            .field("user_id", .int64, .required)
            .field("xp", .int64, .required, .sql(.default(0)))
            .field("level", .int64, .required, .sql(.default(0)))
            .field("updated_ms", .int64, .required, .sql(.default(0)))
            .compositeIdentifier(over: "guild_id", "user_id")
            .create()
        // The leaderboard and /rank read a guild's members by XP.
        try await SchemaIndex.create("idx_leveling_members_board", on: "leveling_members", columns: ["guild_id", "xp"], database: database)
        try await database.schema("leveling_reset_snapshots")
            .field("guild_id", .int64, .required, .references("guilds", "id", onDelete: .cascade))
            .field("user_id", .int64, .required)
            .field("xp", .int64, .required)
            .field("taken_ms", .int64, .required)
            .compositeIdentifier(over: "guild_id", "user_id")
            .create()
    }

    public func revert(on database: any Database) async throws {
        try await database.schema("leveling_reset_snapshots").delete()
        try await SchemaIndex.drop("idx_leveling_members_board", database: database)
        try await database.schema("leveling_members").delete()
        try await database.schema("leveling_settings").delete()
    }
}
