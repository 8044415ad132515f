import FluentKit
import SQLKit

/// The platform's own schema, in the order it is applied. Feature modules append theirs.
public enum PlatformMigrations {
    public static var all: [any Migration] {
        [
            CreateGuilds(), CreateGuildModules(), CreateDashboardGrants(), CreateAuditLog(), CreatePremiumEntitlements(),
            CreateJobSchedules(), CreateJobDeadLetters(), CreateJobEffects(),
        ]
    }
}

/// Plain (non-unique) indexes are not part of Fluent's schema builder; SQLKit makes them
/// the same way on SQLite and PostgreSQL. Features' migrations use it too.
public enum SchemaIndex {
    public static func create(_ name: String, on table: String, columns: [String], database: any Database) async throws {
        guard let sql = database as? any SQLDatabase else { return }
        var builder = sql.create(index: name).on(table)
        for column in columns { builder = builder.column(column) }
        try await builder.run()
    }

    public static func drop(_ name: String, database: any Database) async throws {
        guard let sql = database as? any SQLDatabase else { return }
        try await sql.drop(index: name).ifExists().run()
    }
}

public struct CreateGuilds: AsyncMigration {
    public var name: String { "0001_create_guilds" }
    public init() {}

    public func prepare(on database: any Database) async throws {
        try await database.schema("guilds")
            .field("id", .int64, .identifier(auto: false))
            .field("name", .string, .required)
            .field("owner_id", .int64, .required)
            .field("left_at", .datetime)
            .field("settings_version", .int64, .required, .sql(.default(0)))
            .field("created_at", .datetime)
            .field("updated_at", .datetime)
            .create()
        try await SchemaIndex.create("idx_guilds_owner_id", on: "guilds", columns: ["owner_id"], database: database)
    }

    public func revert(on database: any Database) async throws {
        try await SchemaIndex.drop("idx_guilds_owner_id", database: database)
        try await database.schema("guilds").delete()
    }
}

public struct CreateGuildModules: AsyncMigration {
    public var name: String { "0002_create_guild_modules" }
    public init() {}

    public func prepare(on database: any Database) async throws {
        try await database.schema("guild_modules")
            .id()
            .field("guild_id", .int64, .required, .references("guilds", "id", onDelete: .cascade))
            .field("module", .string, .required)
            .field("enabled", .bool, .required, .sql(.default(false)))
            .field("config", .string, .required, .sql(.default("{}")))
            .field("updated_at", .datetime)
            .unique(on: "guild_id", "module", name: "uq_guild_modules_guild_module")
            .create()
    }

    public func revert(on database: any Database) async throws {
        try await database.schema("guild_modules").delete()
    }
}

public struct CreateDashboardGrants: AsyncMigration {
    public var name: String { "0003_create_dashboard_grants" }
    public init() {}

    public func prepare(on database: any Database) async throws {
        try await database.schema("dashboard_grants")
            .id()
            .field("guild_id", .int64, .required, .references("guilds", "id", onDelete: .cascade))
            .field("user_id", .int64, .required)
            .field("level", .string, .required)
            .field("granted_by", .int64, .required)
            .field("created_at", .datetime)
            .unique(on: "guild_id", "user_id", name: "uq_dashboard_grants_guild_user")
            .create()
        // The guild picker asks "which guilds may this user open?".
        try await SchemaIndex.create("idx_dashboard_grants_user_id", on: "dashboard_grants", columns: ["user_id"], database: database)
    }

    public func revert(on database: any Database) async throws {
        try await SchemaIndex.drop("idx_dashboard_grants_user_id", database: database)
        try await database.schema("dashboard_grants").delete()
    }
}

public struct CreateAuditLog: AsyncMigration {
    public var name: String { "0004_create_audit_log" }
    public init() {}

    public func prepare(on database: any Database) async throws {
        // The audit log outlives configuration changes, so deleting a guild row is refused
        // while it has entries (guild rows are never deleted; they get left_at).
        try await database.schema("audit_log")
            .id()
            .field("guild_id", .int64, .required, .references("guilds", "id", onDelete: .restrict))
            .field("actor_id", .int64, .required)
            .field("action", .string, .required)
            .field("target", .string)
            .field("before", .string)
            .field("after", .string)
            .field("request_id", .string)
            .field("created_at", .datetime)
            .create()
        try await SchemaIndex.create("idx_audit_log_guild_created", on: "audit_log", columns: ["guild_id", "created_at"], database: database)
    }

    public func revert(on database: any Database) async throws {
        try await SchemaIndex.drop("idx_audit_log_guild_created", database: database)
        try await database.schema("audit_log").delete()
    }
}

public struct CreatePremiumEntitlements: AsyncMigration {
    public var name: String { "0005_create_premium_entitlements" }
    public init() {}

    public func prepare(on database: any Database) async throws {
        try await database.schema("premium_entitlements")
            .id()
            .field("guild_id", .int64, .required, .references("guilds", "id", onDelete: .restrict))
            .field("source", .string, .required)
            .field("external_id", .string)
            .field("sku_id", .int64)
            .field("tier", .string, .required, .sql(.default("premium")))
            .field("starts_at", .datetime)
            .field("ends_at", .datetime)
            .field("revoked_at", .datetime)
            .field("created_at", .datetime)
            .field("updated_at", .datetime)
            .unique(on: "external_id", name: "uq_premium_entitlements_external_id")
            .create()
        try await SchemaIndex.create("idx_premium_entitlements_guild_ends", on: "premium_entitlements", columns: ["guild_id", "ends_at"], database: database)
    }

    public func revert(on database: any Database) async throws {
        try await SchemaIndex.drop("idx_premium_entitlements_guild_ends", database: database)
        try await database.schema("premium_entitlements").delete()
    }
}
