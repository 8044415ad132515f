import FluentKit
import Foundation
import GuildhallCore
import GuildhallPremium
import GuildhallStorage
import SQLKit

/// Giveaways' durable side. Every query names the guild, so one guild can never read or
/// change another's giveaways; every step of the lifecycle is a conditional update whose
/// row count says whether this caller made it.
public struct GiveawayStore: Sendable {
    let storage: GuildhallDatabase

    public init(database: GuildhallDatabase) {
        self.storage = database
    }

    private var sql: any SQLDatabase { storage.database as! any SQLDatabase }

    static let columns = [
        "id", "guild_id", "channel_id", "message_id", "prize", "winner_count", "tier", "requirements", "status", "starts_ms", "ends_ms",
        "created_by", "created_ms", "ended_ms", "end_claim", "winners", "announcement_id", "rerolls", "reroll_winners",
    ]

    /// What an entry attempt did.
    public enum EntryOutcome: Sendable, Equatable {
        case entered, alreadyEntered, closed
    }

    // MARK: Giveaways

    /// Stores a new giveaway and returns it with its id; nil when the guild already has
    /// `runningLimit` scheduled or running giveaways. The count and the insert are one
    /// statement, and on PostgreSQL the guild's creations also queue behind a lock for the
    /// transaction, so two creations at the same moment cannot both pass the limit.
    public func insert(
        _ draft: GiveawayDraft, guild: Snowflake, tier: PremiumTier, createdBy: Snowflake, status: GiveawayStatus, now: Int64, runningLimit: Int
    ) async throws -> Giveaway? {
        let requirements = try Self.encode(draft.requirements)
        let startsMS = draft.startsAt.map { Int64(($0 * 1_000).rounded()) }
        let endsMS = Int64((draft.endsAt * 1_000).rounded())
        let isPostgres = sql.dialect.name == "postgresql"
        let row = try await storage.database.transaction { database in
            let sql = database as! any SQLDatabase
            if isPostgres {
                // Released at commit; keyed by the guild, in a space of its own.
                _ = try await sql.raw("SELECT pg_advisory_xact_lock(\(bind: Self.createLockSpace), \(bind: Int32(truncatingIfNeeded: guild.rawValue)))").all()
            }
            return try await sql.raw("""
                INSERT INTO giveaways (guild_id, channel_id, prize, winner_count, tier, requirements, status, starts_ms, ends_ms, created_by, created_ms, rerolls, reroll_winners)
                SELECT \(bind: guild.databaseValue), \(bind: draft.channelID.databaseValue), \(bind: draft.prize), \(bind: Int64(draft.winners)),
                       \(bind: tier.rawValue), \(bind: requirements), \(bind: status.rawValue), \(bind: startsMS), \(bind: endsMS),
                       \(bind: createdBy.databaseValue), \(bind: now), 0, '[]'
                WHERE (SELECT COUNT(*) FROM giveaways WHERE guild_id = \(bind: guild.databaseValue) AND status IN ('scheduled', 'running')) < \(bind: Int64(runningLimit))
                RETURNING id
                """).first()
        }
        guard let row else { return nil }
        let id = try row.decode(column: "id", as: Int64.self)
        return Giveaway(
            id: id, guild: guild, channel: draft.channelID, prize: draft.prize, winnerCount: draft.winners, tier: tier, requirements: draft.requirements,
            status: status, startsAt: startsMS, endsAt: endsMS, createdBy: createdBy, createdAt: now
        )
    }

    /// The first key of the advisory lock that serialises one guild's creations.
    static let createLockSpace: Int32 = 0x6777_0001

    /// The giveaway `id` of `guild`; nil when there is none (or it is another guild's).
    public func find(_ id: Int64, guild: Snowflake) async throws -> Giveaway? {
        guard let row = try await sql.select().columns(Self.columns.map { SQLIdentifier($0) }).from("giveaways")
            .where("id", .equal, id).where("guild_id", .equal, guild.databaseValue).first() else { return nil }
        return try Self.giveaway(from: row)
    }

    /// The guild's giveaways, newest first; `statuses` narrows the list.
    public func list(guild: Snowflake, statuses: [GiveawayStatus]? = nil, limit: Int = 100) async throws -> [Giveaway] {
        var query = sql.select().columns(Self.columns.map { SQLIdentifier($0) }).from("giveaways").where("guild_id", .equal, guild.databaseValue)
        if let statuses { query = query.where("status", .in, statuses.map(\.rawValue)) }
        return try await query.orderBy("id", .descending).limit(limit).all().map(Self.giveaway(from:))
    }

    /// Giveaways that count against the plan's limit (scheduled or running).
    public func runningCount(guild: Snowflake) async throws -> Int {
        let row = try await sql.raw("""
            SELECT COUNT(*) AS n FROM giveaways WHERE guild_id = \(bind: guild.databaseValue) AND status IN ('scheduled', 'running')
            """).first()
        return Int(try row?.decode(column: "n", as: Int64.self) ?? 0)
    }

    /// Moves the giveaway from one of `from` to `to`, recording `claim` (and the end time
    /// for an ending); true only for the caller whose update changed the row.
    public func transition(
        _ id: Int64, guild: Snowflake, from: [GiveawayStatus], to: GiveawayStatus, claim: String?, now: Int64
    ) async throws -> Bool {
        let ended: Int64? = to == .ended || to == .cancelled ? now : nil
        let rows = try await sql.raw("""
            UPDATE giveaways SET status = \(bind: to.rawValue), end_claim = COALESCE(\(bind: claim), end_claim), ended_ms = COALESCE(\(bind: ended), ended_ms)
            WHERE id = \(bind: id) AND guild_id = \(bind: guild.databaseValue) AND status IN (\(binds: from.map(\.rawValue)))
            RETURNING id
            """).all()
        return !rows.isEmpty
    }

    public func setMessage(_ id: Int64, guild: Snowflake, message: Snowflake) async throws {
        try await sql.update("giveaways").set("message_id", to: message.databaseValue)
            .where("id", .equal, id).where("guild_id", .equal, guild.databaseValue).run()
    }

    /// Stores the ending's winners unless some were stored already; returns the winners that
    /// stand (so a retried ending announces what the first draw picked, never a new draw).
    public func storeWinners(_ id: Int64, guild: Snowflake, winners: [Snowflake]) async throws -> [Snowflake] {
        try await sql.raw("""
            UPDATE giveaways SET winners = \(bind: try Self.encode(winners.map(\.description)))
            WHERE id = \(bind: id) AND guild_id = \(bind: guild.databaseValue) AND winners IS NULL
            """).run()
        guard let stored = try await find(id, guild: guild)?.winners else {
            throw GuildhallError(.internalError, "giveaway \(id)'s winners were not stored")
        }
        return stored
    }

    public func setAnnouncement(_ id: Int64, guild: Snowflake, message: Snowflake) async throws {
        try await sql.update("giveaways").set("announcement_id", to: message.databaseValue)
            .where("id", .equal, id).where("guild_id", .equal, guild.databaseValue).run()
    }

    /// Records a reroll's winners if no other reroll came in since `seen` was read; false
    /// when one did (the caller draws again from the fresh row).
    public func recordReroll(_ id: Int64, guild: Snowflake, seen: Giveaway, winners: [Snowflake]) async throws -> Bool {
        let all = (seen.rerollWinners + winners).map(\.description)
        let rows = try await sql.raw("""
            UPDATE giveaways SET rerolls = rerolls + 1, reroll_winners = \(bind: try Self.encode(all))
            WHERE id = \(bind: id) AND guild_id = \(bind: guild.databaseValue) AND status = 'ended' AND rerolls = \(bind: Int64(seen.rerolls))
            RETURNING id
            """).all()
        return !rows.isEmpty
    }

    // MARK: Entries

    /// Enters `user` if the giveaway is running; one statement, so an entry can never land
    /// on a giveaway that is not taking them.
    public func addEntry(_ id: Int64, guild: Snowflake, user: Snowflake, now: Int64) async throws -> EntryOutcome {
        if try await addEntries([EntryRequest(giveaway: id, guild: guild, user: user, now: now)]) == [true] { return .entered }
        return try await hasEntry(id, user: user) ? .alreadyEntered : .closed
    }

    /// One entry to store: who entered which giveaway of which guild, when.
    struct EntryRequest: Sendable, Equatable {
        let giveaway: Int64
        let guild: Snowflake
        let user: Snowflake
        let now: Int64
    }

    private struct EntryKey: Hashable {
        let giveaway: Int64
        let user: Int64
    }

    /// Stores several entries in one statement (one round trip, one commit); for each,
    /// whether it was inserted. An entry is inserted only while its giveaway, in its guild,
    /// is running; false means already entered (earlier, or twice in this batch) or not
    /// running. One statement, so all or nothing.
    func addEntries(_ requests: [EntryRequest]) async throws -> [Bool] {
        guard !requests.isEmpty else { return [] }
        let values: [SQLQueryString] = requests.map { request in
            """
            (CAST(\(bind: request.giveaway) AS BIGINT), CAST(\(bind: request.guild.databaseValue) AS BIGINT), \
            CAST(\(bind: request.user.databaseValue) AS BIGINT), CAST(\(bind: request.now) AS BIGINT))
            """
        }
        // On PostgreSQL the giveaway's row is share-locked: an ending's claim waits for these
        // entries to commit (so its draw sees them), and entries that come after the claim
        // see it ended. SQLite runs one writer at a time, which gives the same order.
        let lock: SQLQueryString = sql.dialect.name == "postgresql" ? " FOR SHARE OF g" : ""
        let query: SQLQueryString = "WITH v (giveaway_id, guild_id, user_id, entered_ms) AS (VALUES " + values.joined(separator: ", ") + """
            )
            INSERT INTO giveaway_entries (giveaway_id, user_id, entered_ms)
            SELECT g.id, v.user_id, v.entered_ms FROM v JOIN giveaways g ON g.id = v.giveaway_id AND g.guild_id = v.guild_id
            WHERE g.status = 'running'
            """ + lock + """

            ON CONFLICT (giveaway_id, user_id) DO NOTHING
            RETURNING giveaway_id, user_id
            """
        var inserted = Set<EntryKey>()
        for row in try await sql.raw(query).all() {
            inserted.insert(EntryKey(giveaway: try row.decode(column: "giveaway_id", as: Int64.self), user: try row.decode(column: "user_id", as: Int64.self)))
        }
        // A pair asked twice in one batch was inserted once: only its first asker gets true.
        return requests.map { inserted.remove(EntryKey(giveaway: $0.giveaway, user: $0.user.databaseValue)) != nil }
    }

    /// Takes `user`'s entry back while the giveaway runs; true when there was one.
    public func removeEntry(_ id: Int64, guild: Snowflake, user: Snowflake) async throws -> Bool {
        let rows = try await sql.raw("""
            DELETE FROM giveaway_entries WHERE giveaway_id = \(bind: id) AND user_id = \(bind: user.databaseValue)
            AND EXISTS (SELECT 1 FROM giveaways WHERE id = \(bind: id) AND guild_id = \(bind: guild.databaseValue) AND status = 'running')
            RETURNING user_id
            """).all()
        return !rows.isEmpty
    }

    public func hasEntry(_ id: Int64, user: Snowflake) async throws -> Bool {
        try await sql.select().column("user_id").from("giveaway_entries")
            .where("giveaway_id", .equal, id).where("user_id", .equal, user.databaseValue).first() != nil
    }

    public func entryCount(_ id: Int64) async throws -> Int {
        let row = try await sql.raw("SELECT COUNT(*) AS n FROM giveaway_entries WHERE giveaway_id = \(bind: id)").first()
        return Int(try row?.decode(column: "n", as: Int64.self) ?? 0)
    }

    /// Entry counts of several giveaways in one query (lists show many at once).
    public func entryCounts(_ ids: [Int64]) async throws -> [Int64: Int] {
        guard !ids.isEmpty else { return [:] }
        let rows = try await sql.raw("SELECT giveaway_id, COUNT(*) AS n FROM giveaway_entries WHERE giveaway_id IN (\(binds: ids)) GROUP BY giveaway_id").all()
        var counts: [Int64: Int] = [:]
        for row in rows {
            counts[try row.decode(column: "giveaway_id", as: Int64.self)] = Int(try row.decode(column: "n", as: Int64.self))
        }
        return counts
    }

    /// Entrants in the order they entered (a page of them).
    public func entrants(_ id: Int64, offset: Int = 0, limit: Int = 100) async throws -> [(user: Snowflake, enteredAt: Int64)] {
        try await sql.select().columns("user_id", "entered_ms").from("giveaway_entries").where("giveaway_id", .equal, id)
            .orderBy("entered_ms").orderBy("user_id").offset(offset).limit(limit).all()
            .map { (Snowflake(databaseValue: try $0.decode(column: "user_id", as: Int64.self)), try $0.decode(column: "entered_ms", as: Int64.self)) }
    }

    /// Every entrant, for the draw.
    public func allEntrants(_ id: Int64) async throws -> [Snowflake] {
        try await sql.select().column("user_id").from("giveaway_entries").where("giveaway_id", .equal, id).all()
            .map { Snowflake(databaseValue: try $0.decode(column: "user_id", as: Int64.self)) }
    }

    // MARK: Settings and audit

    public func managerRole(guild: Snowflake) async throws -> Snowflake? {
        guard let row = try await sql.select().column("manager_role_id").from("giveaway_settings")
            .where("guild_id", .equal, guild.databaseValue).first() else { return nil }
        return try row.decode(column: "manager_role_id", as: Int64?.self).map(Snowflake.init(databaseValue:))
    }

    public func setManagerRole(_ role: Snowflake?, guild: Snowflake, now: Int64) async throws {
        try await sql.raw("""
            INSERT INTO giveaway_settings (guild_id, manager_role_id, updated_ms) VALUES (\(bind: guild.databaseValue), \(bind: role?.databaseValue), \(bind: now))
            ON CONFLICT (guild_id) DO UPDATE SET manager_role_id = excluded.manager_role_id, updated_ms = excluded.updated_ms
            """).run()
    }

    public func audit(guild: Snowflake, actor: Snowflake, action: String, target: String?, before: String?, after: String?, requestID: String?) async throws {
        try await AuditLogRecord(guildID: guild, actorID: actor, action: action, target: target, before: before, after: after, requestID: requestID)
            .save(on: storage.database)
    }

    // MARK: Rows

    static func giveaway(from row: any SQLRow) throws -> Giveaway {
        func snowflake(_ column: String) throws -> Snowflake { Snowflake(databaseValue: try row.decode(column: column, as: Int64.self)) }
        func optionalSnowflake(_ column: String) throws -> Snowflake? {
            try row.decode(column: column, as: Int64?.self).map(Snowflake.init(databaseValue:))
        }
        let statusText = try row.decode(column: "status", as: String.self)
        let tierText = try row.decode(column: "tier", as: String.self)
        guard let status = GiveawayStatus(rawValue: statusText), let tier = PremiumTier(rawValue: tierText) else {
            throw GuildhallError(.internalError, "a stored giveaway has status '\(statusText)' and tier '\(tierText)', which this build does not know")
        }
        let requirements = try JSONDecoder().decode(GiveawayDraft.Requirements.self, from: Data(try row.decode(column: "requirements", as: String.self).utf8))
        return Giveaway(
            id: try row.decode(column: "id", as: Int64.self), guild: try snowflake("guild_id"), channel: try snowflake("channel_id"),
            message: try optionalSnowflake("message_id"), prize: try row.decode(column: "prize", as: String.self),
            winnerCount: Int(try row.decode(column: "winner_count", as: Int64.self)), tier: tier, requirements: requirements, status: status,
            startsAt: try row.decode(column: "starts_ms", as: Int64?.self), endsAt: try row.decode(column: "ends_ms", as: Int64.self),
            createdBy: try snowflake("created_by"), createdAt: try row.decode(column: "created_ms", as: Int64.self),
            endedAt: try row.decode(column: "ended_ms", as: Int64?.self), endClaim: try row.decode(column: "end_claim", as: String?.self),
            winners: try row.decode(column: "winners", as: String?.self).map(Self.decodeIDs), announcement: try optionalSnowflake("announcement_id"),
            rerolls: Int(try row.decode(column: "rerolls", as: Int64.self)),
            rerollWinners: try Self.decodeIDs(try row.decode(column: "reroll_winners", as: String.self))
        )
    }

    static func decodeIDs(_ text: String) throws -> [Snowflake] {
        try JSONDecoder().decode([String].self, from: Data(text.utf8)).map {
            guard let id = Snowflake($0) else { throw GuildhallError(.internalError, "a stored winner id '\($0)' is not a snowflake") }
            return id
        }
    }

    static func encode(_ value: some Encodable) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        return String(decoding: try encoder.encode(value), as: UTF8.self)
    }
}
