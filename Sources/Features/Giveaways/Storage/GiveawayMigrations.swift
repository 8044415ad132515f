import FluentKit
import GuildhallStorage

/// Giveaways' schema: each giveaway with its lifecycle columns (the claims are conditional
/// updates on `status`, `winners` and `rerolls`), its entries, and each guild's manager role.
public enum GiveawayMigrations {
    public static var all: [any Migration] { [CreateGiveawayTables()] }
}

public struct CreateGiveawayTables: AsyncMigration {
    public var name: String { "0010_create_giveaways" }
    public init() {}

    public func prepare(on database: any Database) async throws {
        try await database.schema("giveaways")
            .field("id", .int64, .identifier(auto: true))
            .field("guild_id", .int64, .required, .references("guilds", "id", onDelete: .cascade))
            .field("channel_id", .int64, .required)
            .field("message_id", .int64)
            .field("prize", .string, .required)
            .field("winner_count", .int64, .required)
            // The plan when it was made: a downgrade lets it run to its end on these limits.
            .field("tier", .string, .required)
            .field("requirements", .string, .required)
            .field("status", .string, .required)
            .field("starts_ms", .int64)
            .field("ends_ms", .int64, .required)
            .field("created_by", .int64, .required)
            .field("created_ms", .int64, .required)
            .field("ended_ms", .int64)
            // Which job (or person) claimed the ending; only that claimant carries it on.
            .field("end_claim", .string)
            .field("winners", .string)
            .field("announcement_id", .int64)
            .field("rerolls", .int64, .required, .sql(.default(0)))
            .field("reroll_winners", .string, .required, .sql(.default("[]")))
            .create()
        try await SchemaIndex.create("idx_giveaways_guild_status", on: "giveaways", columns: ["guild_id", "status"], database: database)
        try await database.schema("giveaway_entries")
            .field("giveaway_id", .int64, .required, .references("giveaways", "id", onDelete: .cascade))
            .field("user_id", .int64, .required)
            .field("entered_ms", .int64, .required)
            .compositeIdentifier(over: "giveaway_id", "user_id")
            .create()
        try await database.schema("giveaway_settings")
            .field("guild_id", .int64, .identifier(auto: false), .references("guilds", "id", onDelete: .cascade))
            .field("manager_role_id", .int64)
            .field("updated_ms", .int64, .required, .sql(.default(0)))
            .create()
    }

    public func revert(on database: any Database) async throws {
        try await database.schema("giveaway_settings").delete()
        try await database.schema("giveaway_entries").delete()
        try await SchemaIndex.drop("idx_giveaways_guild_status", database: database)
        try await database.schema("giveaways").delete()
    }
}
