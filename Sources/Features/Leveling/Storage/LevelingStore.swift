import FluentKit
import Foundation
import GuildhallCore
import GuildhallStorage
import SQLKit

/// One row of a leaderboard.
public struct LeaderboardEntry: Sendable, Equatable, Codable {
    public var rank: Int
    public var userID: Snowflake
    public var xp: Int64
    public var level: Int

    public init(rank: Int, userID: Snowflake, xp: Int64, level: Int) {
        self.rank = rank
        self.userID = userID
        self.xp = xp
        self.level = level
    }

    enum CodingKeys: String, CodingKey { case rank, userID = "user_id", xp, level }
}

/// Leveling's durable side: configurations, the totals the write-behind keeps, and the
/// reset snapshot. Every query is scoped by guild.
public struct LevelingStore: Sendable {
    let storage: GuildhallDatabase

    public init(database: GuildhallDatabase) {
        self.storage = database
    }

    private var sql: any SQLDatabase { storage.database as! any SQLDatabase }

    static func nowMS() -> Int64 { Int64(Date().timeIntervalSince1970 * 1_000) }

    // MARK: Configuration

    /// The stored configuration and its version; nil when the guild never saved one.
    public func config(guild: Snowflake) async throws -> (config: LevelingConfig, version: Int64)? {
        guard let row = try await sql.select().columns("config", "version").from("leveling_settings")
            .where("guild_id", .equal, guild.databaseValue).first() else { return nil }
        let text = try row.decode(column: "config", as: String.self)
        guard let config = LevelingConfig(encoded: text) else {
            throw GuildhallError(.internalError, "guild \(guild)'s stored leveling configuration does not parse")
        }
        return (config, try row.decode(column: "version", as: Int64.self))
    }

    /// Writes a configuration with its audit entry in one transaction; returns the new version.
    public func saveConfig(_ config: LevelingConfig, guild: Snowflake, actor: Snowflake, before: LevelingConfig, requestID: String?) async throws -> Int64 {
        try await storage.database.transaction { database in
            let sql = database as! any SQLDatabase
            // One statement bumps the version, so two saves at once get two versions (the
            // row's lock orders them on PostgreSQL; SQLite has one writer).
            guard let row = try await sql.raw("""
                INSERT INTO leveling_settings (guild_id, config, version, updated_ms)
                VALUES (\(bind: guild.databaseValue), \(bind: config.encoded()), 1, \(bind: Self.nowMS()))
                ON CONFLICT (guild_id) DO UPDATE SET config = excluded.config, version = leveling_settings.version + 1, updated_ms = excluded.updated_ms
                RETURNING version
                """).first() else {
                throw GuildhallError(.internalError, "saving guild \(guild)'s leveling settings returned no version")
            }
            let version = try row.decode(column: "version", as: Int64.self)
            try await AuditLogRecord(
                guildID: guild, actorID: actor, action: "leveling.settings", target: "leveling", before: before.encoded(), after: config.encoded(),
                requestID: requestID
            ).save(on: database)
            return version
        }
    }

    /// An audit entry for an XP change made by a command or the API.
    public func audit(guild: Snowflake, actor: Snowflake, action: String, target: String?, before: String?, after: String?, requestID: String?) async throws {
        try await AuditLogRecord(guildID: guild, actorID: actor, action: action, target: target, before: before, after: after, requestID: requestID)
            .save(on: storage.database)
    }

    // MARK: Totals

    /// Upserts absolute totals (so writing a batch twice changes nothing).
    public func write(_ totals: [(user: Snowflake, xp: Int64)], guild: Snowflake) async throws {
        guard !totals.isEmpty else { return }
        let now = Self.nowMS()
        for start in stride(from: 0, to: totals.count, by: 500) {
            let chunk = totals[start..<min(totals.count, start + 500)]
            var insert = sql.insert(into: "leveling_members").columns("guild_id", "user_id", "xp", "level", "updated_ms")
            for total in chunk {
                insert = insert.values(
                    SQLBind(guild.databaseValue), SQLBind(total.user.databaseValue), SQLBind(total.xp),
                    SQLBind(Int64(LevelingRules.level(forTotalXP: total.xp))), SQLBind(now)
                )
            }
            try await insert.onConflict(with: ["guild_id", "user_id"]) {
                $0.set(excludedValueOf: "xp").set(excludedValueOf: "level").set(excludedValueOf: "updated_ms")
            }.run()
        }
    }

    /// Every durable total of a guild, in pages (for the rebuild).
    public func totals(guild: Snowflake, after: Snowflake?, limit: Int) async throws -> [(user: Snowflake, xp: Int64)] {
        var query = sql.select().columns("user_id", "xp").from("leveling_members").where("guild_id", .equal, guild.databaseValue)
        if let after { query = query.where("user_id", .greaterThan, after.databaseValue) }
        return try await query.orderBy("user_id").limit(limit).all().map {
            (Snowflake(databaseValue: try $0.decode(column: "user_id", as: Int64.self)), try $0.decode(column: "xp", as: Int64.self))
        }
    }

    /// The durable total of one member (nil: never earned any).
    public func total(of user: Snowflake, guild: Snowflake) async throws -> Int64? {
        try await sql.select().column("xp").from("leveling_members").where("guild_id", .equal, guild.databaseValue)
            .where("user_id", .equal, user.databaseValue).first().map { try $0.decode(column: "xp", as: Int64.self) }
    }

    /// One page of the leaderboard: highest XP first, ties by user id.
    public func leaderboard(guild: Snowflake, offset: Int, limit: Int) async throws -> [LeaderboardEntry] {
        let rows = try await sql.select().columns("user_id", "xp").from("leveling_members")
            .where("guild_id", .equal, guild.databaseValue).where("xp", .greaterThan, 0)
            .orderBy("xp", .descending).orderBy("user_id", .ascending).offset(offset).limit(limit).all()
        return try rows.enumerated().map { index, row in
            let xp = try row.decode(column: "xp", as: Int64.self)
            return LeaderboardEntry(
                rank: offset + index + 1, userID: Snowflake(databaseValue: try row.decode(column: "user_id", as: Int64.self)), xp: xp,
                level: LevelingRules.level(forTotalXP: xp)
            )
        }
    }

    /// How many members of the guild have XP.
    public func rankedCount(guild: Snowflake) async throws -> Int {
        let row = try await sql.select().column(SQLFunction("COUNT", args: SQLLiteral.all), as: "n").from("leveling_members")
            .where("guild_id", .equal, guild.databaseValue).where("xp", .greaterThan, 0).first()
        return Int(try row?.decode(column: "n", as: Int64.self) ?? 0)
    }

    /// The member's place on the leaderboard for a total of `xp` (ties by user id).
    public func rank(of user: Snowflake, xp: Int64, guild: Snowflake) async throws -> Int {
        let row = try await sql.select().column(SQLFunction("COUNT", args: SQLLiteral.all), as: "n").from("leveling_members")
            .where("guild_id", .equal, guild.databaseValue).where("user_id", .notEqual, user.databaseValue)
            .where(group: { group in
                group.where("xp", .greaterThan, xp).orWhere(group: { inner in
                    inner.where("xp", .equal, xp).where("user_id", .lessThan, user.databaseValue)
                })
            }).first()
        return Int(try row?.decode(column: "n", as: Int64.self) ?? 0) + 1
    }

    // MARK: Reset and restore

    /// Moves every total into the snapshot (replacing the previous one) and empties the
    /// guild's totals, in one transaction; returns the members it moved.
    public func resetAll(guild: Snowflake) async throws -> [Snowflake] {
        try await storage.database.transaction { database in
            let sql = database as! any SQLDatabase
            let rows = try await sql.select().columns("user_id", "xp").from("leveling_members").where("guild_id", .equal, guild.databaseValue)
                .where("xp", .greaterThan, 0).all()
            try await sql.delete(from: "leveling_reset_snapshots").where("guild_id", .equal, guild.databaseValue).run()
            let now = Self.nowMS()
            var users: [Snowflake] = []
            for start in stride(from: 0, to: rows.count, by: 500) {
                var insert = sql.insert(into: "leveling_reset_snapshots").columns("guild_id", "user_id", "xp", "taken_ms")
                for row in rows[start..<min(rows.count, start + 500)] {
                    let user = try row.decode(column: "user_id", as: Int64.self)
                    users.append(Snowflake(databaseValue: user))
                    insert = insert.values(SQLBind(guild.databaseValue), SQLBind(user), SQLBind(try row.decode(column: "xp", as: Int64.self)), SQLBind(now))
                }
                try await insert.run()
            }
            try await sql.delete(from: "leveling_members").where("guild_id", .equal, guild.databaseValue).run()
            return users
        }
    }

    /// Deletes every durable total of the guild (the second half of a reset-all).
    public func deleteTotals(guild: Snowflake) async throws {
        try await sql.delete(from: "leveling_members").where("guild_id", .equal, guild.databaseValue).run()
    }

    /// Takes the snapshot out of the database (read and deleted in one transaction), so two
    /// restores at once cannot both apply it.
    public func takeSnapshot(guild: Snowflake) async throws -> [(user: Snowflake, xp: Int64)] {
        try await storage.database.transaction { database in
            let sql = database as! any SQLDatabase
            let rows = try await sql.raw("""
                DELETE FROM leveling_reset_snapshots WHERE guild_id = \(bind: guild.databaseValue) RETURNING user_id, xp
                """).all()
            return try rows.map {
                (Snowflake(databaseValue: try $0.decode(column: "user_id", as: Int64.self)), try $0.decode(column: "xp", as: Int64.self))
            }.sorted { $0.user < $1.user }
        }
    }

    /// Puts snapshot entries back (a restore that could not finish keeps what it did not apply).
    public func putBackSnapshot(_ entries: [(user: Snowflake, xp: Int64)], guild: Snowflake) async throws {
        guard !entries.isEmpty else { return }
        let now = Self.nowMS()
        for start in stride(from: 0, to: entries.count, by: 500) {
            var insert = sql.insert(into: "leveling_reset_snapshots").columns("guild_id", "user_id", "xp", "taken_ms")
            for entry in entries[start..<min(entries.count, start + 500)] {
                insert = insert.values(SQLBind(guild.databaseValue), SQLBind(entry.user.databaseValue), SQLBind(entry.xp), SQLBind(now))
            }
            try await insert.onConflict(with: ["guild_id", "user_id"]) { $0.set(excludedValueOf: "xp") }.run()
        }
    }

    /// Undoes `resetAll` when the cache could not be cleared: the snapshot goes back into
    /// the totals, in one transaction.
    public func undoReset(guild: Snowflake) async throws {
        try await storage.database.transaction { database in
            let sql = database as! any SQLDatabase
            try await sql.raw("""
                INSERT INTO leveling_members (guild_id, user_id, xp, level, updated_ms)
                SELECT guild_id, user_id, xp, 0, taken_ms FROM leveling_reset_snapshots WHERE guild_id = \(bind: guild.databaseValue)
                ON CONFLICT (guild_id, user_id) DO UPDATE SET xp = excluded.xp
                """).run()
            try await sql.delete(from: "leveling_reset_snapshots").where("guild_id", .equal, guild.databaseValue).run()
        }
    }

    /// Guilds that ever switched leveling on (the write-behind looks at these).
    public func levelingGuilds() async throws -> [Snowflake] {
        try await sql.select().column("guild_id").from("guild_modules").where("module", .equal, "leveling").all().map {
            Snowflake(databaseValue: try $0.decode(column: "guild_id", as: Int64.self))
        }
    }
}
