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
            let current = try await sql.select().column("version").from("leveling_settings").where("guild_id", .equal, guild.databaseValue).first()
                .map { try $0.decode(column: "version", as: Int64.self) } ?? 0
            let version = current + 1
            try await sql.insert(into: "leveling_settings")
                .columns("guild_id", "config", "version", "updated_ms")
                .values(SQLBind(guild.databaseValue), SQLBind(config.encoded()), SQLBind(version), SQLBind(Self.nowMS()))
                .onConflict(with: ["guild_id"]) { $0.set(excludedValueOf: "config").set(excludedValueOf: "version").set(excludedValueOf: "updated_ms") }
                .run()
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

    /// The snapshot of the last reset-all (empty when there is none).
    public func snapshot(guild: Snowflake) async throws -> [(user: Snowflake, xp: Int64)] {
        try await sql.select().columns("user_id", "xp").from("leveling_reset_snapshots").where("guild_id", .equal, guild.databaseValue)
            .orderBy("user_id").all().map {
                (Snowflake(databaseValue: try $0.decode(column: "user_id", as: Int64.self)), try $0.decode(column: "xp", as: Int64.self))
            }
    }

    /// Forgets the snapshot once it has been restored.
    public func dropSnapshot(guild: Snowflake) async throws {
        try await sql.delete(from: "leveling_reset_snapshots").where("guild_id", .equal, guild.databaseValue).run()
    }

    /// Guilds that ever switched leveling on (the write-behind looks at these).
    public func levelingGuilds() async throws -> [Snowflake] {
        try await sql.select().column("guild_id").from("guild_modules").where("module", .equal, "leveling").all().map {
            Snowflake(databaseValue: try $0.decode(column: "guild_id", as: Int64.self))
        }
    }
}
