import FluentKit
import Foundation
import GuildhallCore
import GuildhallDatabaseTestSupport
import GuildhallFixtures
import GuildhallStorage
import SQLKit
import Testing

/// All migrations forward, back and forward again on both engines, and the schema they
/// leave checked table by table: indexes, unique constraints and foreign keys.
@Suite("Migrations on SQLite and PostgreSQL")
struct MigrationTests {
    static let platformTables: Set<String> = [
        "guilds", "guild_modules", "dashboard_grants", "audit_log", "premium_entitlements",
        "job_schedules", "job_dead_letters", "job_effects",
    ]

    @Test("forward, back, forward again", arguments: TestDatabase.Engine.allCases)
    func roundTrip(engine: TestDatabase.Engine) async throws {
        let database = try await TestDatabase.open(engine, migrate: false)
        defer { Task { await database.shutdown() } }
        let names = PlatformMigrations.all.map(\.name)

        #expect(try await database.pendingMigrations() == names)
        #expect(try await database.migrate() == names)
        #expect(try await database.pendingMigrations().isEmpty)
        #expect(try await database.migrate().isEmpty, "a second migrate has nothing to do")
        try await expectPlatformSchema(database)

        #expect(try await database.revertAll() == names.reversed())
        let inspector = SchemaInspector(database: database)
        #expect(try await inspector.tables().intersection(Self.platformTables).isEmpty, "revert drops every platform table")
        #expect(try await database.revertAll().isEmpty, "a second revert has nothing to do")

        #expect(try await database.migrate() == names)
        try await expectPlatformSchema(database)
        await database.shutdown()
    }

    func expectPlatformSchema(_ database: GuildhallDatabase) async throws {
        let inspector = SchemaInspector(database: database)
        let tables = try await inspector.tables()
        #expect(Self.platformTables.isSubset(of: tables), "missing: \(Self.platformTables.subtracting(tables))")

        // Unique constraints are indexes on both engines, but SQLite names them itself
        // (sqlite_autoindex_…), so they are found by their columns; plain indexes by name too.
        func index(_ table: String, _ columns: [String]) async throws -> SchemaInspector.Index? {
            try await inspector.indexes(on: table).first { $0.columns == columns }
        }
        let expected: [(table: String, columns: [String], unique: Bool, name: String?)] = [
            ("guilds", ["owner_id"], false, "idx_guilds_owner_id"),
            ("guild_modules", ["guild_id", "module"], true, nil),
            ("dashboard_grants", ["guild_id", "user_id"], true, nil),
            ("dashboard_grants", ["user_id"], false, "idx_dashboard_grants_user_id"),
            ("audit_log", ["guild_id", "created_at"], false, "idx_audit_log_guild_created"),
            ("premium_entitlements", ["external_id"], true, nil),
            ("premium_entitlements", ["guild_id", "ends_at"], false, "idx_premium_entitlements_guild_ends"),
            ("job_schedules", ["schedule_key"], true, nil),
            ("job_schedules", ["queue", "state", "next_run_ms"], false, "idx_job_schedules_due"),
            ("job_schedules", ["queue", "inflight_since_ms"], false, "idx_job_schedules_inflight"),
            ("job_dead_letters", ["state", "failed_ms"], false, "idx_job_dead_letters_state_failed"),
            ("job_dead_letters", ["guild_id"], false, "idx_job_dead_letters_guild"),
            ("job_effects", ["claimed_ms"], false, "idx_job_effects_claimed"),
            ("job_effects", ["job_id"], false, "idx_job_effects_job"),
        ]
        for item in expected {
            let found = try #require(try await index(item.table, item.columns), "no index on \(item.table)\(item.columns)")
            #expect(found.unique == item.unique, "\(item.table)\(item.columns)")
            if let name = item.name { #expect(found.name == name) }
        }

        let expectedForeignKeys: [(String, String)] = [
            ("guild_modules", "CASCADE"), ("dashboard_grants", "CASCADE"),
            ("audit_log", "RESTRICT"), ("premium_entitlements", "RESTRICT"),
        ]
        for (table, onDelete) in expectedForeignKeys {
            let keys = try await inspector.foreignKeys(on: table)
            #expect(keys == [SchemaInspector.ForeignKey(column: "guild_id", referencedTable: "guilds", referencedColumn: "id", onDelete: onDelete)], "\(table): \(keys)")
        }
        #expect(try await inspector.foreignKeys(on: "guilds").isEmpty)
        // Job tables reference no guild row on purpose: platform jobs belong to guild 0,
        // which has none, and job history outlives the guilds it ran for.
        for table in ["job_schedules", "job_dead_letters", "job_effects"] {
            #expect(try await inspector.foreignKeys(on: table).isEmpty, "\(table)")
        }
    }

    @Test("foreign keys, unique constraints and defaults are enforced", arguments: TestDatabase.Engine.allCases)
    func constraints(engine: TestDatabase.Engine) async throws {
        let database = try await TestDatabase.open(engine)
        var factory = MockFactory(seed: 11)
        let guild = factory.guild()
        let db = database.database

        // A module row for a guild that does not exist is refused.
        await #expect(throws: (any Error).self) {
            try await GuildModuleRecord(guildID: guild.id, module: "leveling", enabled: true).create(on: db)
        }
        try await GuildRecord(id: guild.id, name: guild.name, ownerID: guild.ownerID).create(on: db)
        try await GuildModuleRecord(guildID: guild.id, module: "leveling", enabled: true).create(on: db)
        // One row per (guild, module).
        await #expect(throws: (any Error).self) {
            try await GuildModuleRecord(guildID: guild.id, module: "leveling", enabled: false).create(on: db)
        }
        // Defaults fill columns a raw insert leaves out.
        try await database.sql.raw("""
            INSERT INTO guild_modules (id, guild_id, module) VALUES (\(bind: UUID()), \(bind: guild.id.databaseValue), 'giveaways')
            """).run()
        let defaulted = try #require(try await GuildModuleRecord.query(on: db).filter(\.$module == "giveaways").first())
        #expect(defaulted.enabled == false)
        #expect(defaulted.config == "{}")
        let stored = try #require(try await GuildRecord.find(guild.id.databaseValue, on: db))
        #expect(stored.settingsVersion == 0)

        // The audit log keeps its guild: deleting a guild with entries is refused.
        try await AuditLogRecord(guildID: guild.id, actorID: guild.ownerID, action: "test", target: nil, before: nil, after: nil, requestID: nil).create(on: db)
        await #expect(throws: (any Error).self) { try await stored.delete(on: db) }

        // Dashboard grants: one per (guild, user).
        let viewer = guild.members(.member)[0].userID
        try await DashboardGrantRecord(guildID: guild.id, userID: viewer, level: .viewer, grantedBy: guild.ownerID).create(on: db)
        await #expect(throws: (any Error).self) {
            try await DashboardGrantRecord(guildID: guild.id, userID: viewer, level: .admin, grantedBy: guild.ownerID).create(on: db)
        }
        let grant = try #require(try await DashboardGrantRecord.query(on: db).filter(\.$userID == viewer.databaseValue).first())
        #expect(grant.level == .viewer)

        // Entitlements: Discord's id is unique; operator grants may leave it empty.
        try await PremiumEntitlementRecord(guildID: guild.id, source: .discord, externalID: "ent-1", skuID: factory.snowflake(), tier: "premium", startsAt: Date(), endsAt: nil).create(on: db)
        await #expect(throws: (any Error).self) {
            try await PremiumEntitlementRecord(guildID: guild.id, source: .discord, externalID: "ent-1", skuID: nil, tier: "premium", startsAt: nil, endsAt: nil).create(on: db)
        }
        try await PremiumEntitlementRecord(guildID: guild.id, source: .operatorGrant, externalID: nil, skuID: nil, tier: "premium", startsAt: nil, endsAt: Date()).create(on: db)
        try await PremiumEntitlementRecord(guildID: guild.id, source: .operatorGrant, externalID: nil, skuID: nil, tier: "premium", startsAt: nil, endsAt: Date()).create(on: db)
        let sources = try await PremiumEntitlementRecord.query(on: db).all().map(\.source)
        #expect(sources.sorted { $0.rawValue < $1.rawValue } == [.discord, .operatorGrant, .operatorGrant])
        await database.shutdown()
    }

    @Test("job tables: keys are unique and defaults fill what a raw insert leaves out", arguments: TestDatabase.Engine.allCases)
    func jobConstraints(engine: TestDatabase.Engine) async throws {
        let database = try await TestDatabase.open(engine)
        let sql = database.sql
        try await sql.raw("""
            INSERT INTO job_schedules (id, schedule_key, job_name, payload, kind, anchor_ms, created_ms, updated_ms) \
            VALUES (\(bind: UUID()), 'k', 'test.job', '{}', 'once', 1, 1, 1)
            """).run()
        await #expect(throws: (any Error).self) {
            try await sql.raw("""
                INSERT INTO job_schedules (id, schedule_key, job_name, payload, kind, anchor_ms, created_ms, updated_ms) \
                VALUES (\(bind: UUID()), 'k', 'other', '{}', 'once', 1, 1, 1)
                """).run()
        }
        let schedule = try #require(try await JobScheduleRecord.query(on: database.database).first())
        #expect(schedule.queue == "default" && schedule.state == "scheduled" && schedule.guildID == 0 && schedule.runCount == 0)
        #expect(schedule.nextRunMilliseconds == nil && schedule.anchorMilliseconds == 1)

        try await sql.raw("""
            INSERT INTO job_dead_letters (job_id, job_name, payload, attempts, last_error, enqueued_ms, failed_ms) \
            VALUES ('j1', 'test.job', '{}', 3, 'boom', 1, 2)
            """).run()
        await #expect(throws: (any Error).self) {
            try await sql.raw("INSERT INTO job_dead_letters (job_id, job_name, payload, attempts, last_error, enqueued_ms, failed_ms) VALUES ('j1', 'x', '{}', 1, 'e', 1, 2)").run()
        }
        let letter = try #require(try await JobDeadLetterRecord.find("j1", on: database.database))
        #expect(letter.queue == "default" && letter.state == "dead" && letter.replayCount == 0 && letter.guildID == 0)

        try await sql.raw("INSERT INTO job_effects (effect_key, job_id, job_name, attempt, claimed_ms) VALUES ('e1', 'j1', 'test.job', 1, 5)").run()
        await #expect(throws: (any Error).self) {
            try await sql.raw("INSERT INTO job_effects (effect_key, job_id, job_name, attempt, claimed_ms) VALUES ('e1', 'j2', 'test.job', 1, 5)").run()
        }
        let effect = try #require(try await JobEffectRecord.find("e1", on: database.database))
        #expect(effect.guildID == 0 && effect.jobID == "j1")
        await database.shutdown()
    }

    @Test("snowflakes above Int64.max survive the round trip", arguments: TestDatabase.Engine.allCases)
    func largeSnowflakes(engine: TestDatabase.Engine) async throws {
        let database = try await TestDatabase.open(engine)
        let id = Snowflake(UInt64.max - 12345)
        let owner = Snowflake(UInt64(Int64.max) + 99)
        try await GuildRecord(id: id, name: "Edge", ownerID: owner).create(on: database.database)
        let loaded = try #require(try await GuildRecord.find(id.databaseValue, on: database.database))
        #expect(loaded.snowflake == id)
        #expect(Snowflake(databaseValue: loaded.ownerID) == owner)
        await database.shutdown()
    }

    @Test("ping answers on both engines", arguments: TestDatabase.Engine.allCases)
    func ping(engine: TestDatabase.Engine) async throws {
        let database = try await TestDatabase.open(engine, migrate: false)
        try await database.ping()
        await database.shutdown()
    }
}
