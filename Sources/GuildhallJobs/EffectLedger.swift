import FluentKit
import GuildhallCore
import GuildhallStorage
import SQLKit

/// Who claims an effect: the job, for the record.
public struct EffectClaimant: Sendable, Equatable {
    public let jobID: String
    public let jobName: String
    public let guild: Snowflake
    public let attempt: Int

    public init(jobID: String, jobName: String, guild: Snowflake, attempt: Int) {
        self.jobID = jobID
        self.jobName = jobName
        self.guild = guild
        self.attempt = attempt
    }
}

/// The answer of `EffectLedger.once`.
public enum EffectOutcome<Value: Sendable>: Sendable {
    /// This call claimed the effect and ran it; the claim and the effect committed together.
    case performed(Value)
    /// The effect was claimed before (by this job's earlier run, or a duplicate): nothing ran.
    case alreadyDone

    public var wasPerformed: Bool {
        if case .performed = self { return true }
        return false
    }
}

/// Exactly-once effects on top of at-least-once delivery. A handler names each effect by
/// a key that means "this change" (e.g. `giveaway-42-winners`); the ledger inserts the key
/// with `ON CONFLICT DO NOTHING` and looks at the row count. Only the insert that made the
/// row runs the effect, in the same transaction, so a rollback also frees the claim.
public struct EffectLedger: Sendable {
    public let storage: GuildhallDatabase
    private let clock: JobClock

    public init(database: GuildhallDatabase, clock: JobClock = .system) {
        self.storage = database
        self.clock = clock
    }

    /// Claims `key` and runs `effect` on the same transaction. When `effect` throws, nothing
    /// is kept, the claim included, and the job's retry may try again.
    public func once<Value: Sendable>(
        _ key: String, by claimant: EffectClaimant,
        _ effect: @escaping @Sendable (any Database) async throws -> Value
    ) async throws -> EffectOutcome<Value> {
        try Self.requireKey(key)
        do {
            return try await storage.database.transaction { database in
                guard try await insertClaim(key, by: claimant, on: database) else { return .alreadyDone }
                do {
                    return .performed(try await effect(database))
                } catch {
                    throw EffectFailure(error: error)
                }
            }
        } catch let failure as EffectFailure {
            // The effect's own error, as it threw it (the transaction rolled back).
            throw failure.error
        } catch let error as GuildhallError {
            throw error
        } catch {
            throw GuildhallError(.unavailable, "the database refused the effect '\(key)'; nothing was changed", underlying: error)
        }
    }

    /// Claims `key` on its own, for an effect outside the database (a Discord message):
    /// true when this call made the claim. Claim first, act second, and `release` the claim
    /// when the action fails, so a retry may act again.
    public func claim(_ key: String, by claimant: EffectClaimant) async throws -> Bool {
        try Self.requireKey(key)
        do {
            return try await insertClaim(key, by: claimant, on: storage.database)
        } catch {
            throw GuildhallError(.unavailable, "the database refused the claim of '\(key)'", underlying: error)
        }
    }

    /// Gives up a claim (after the external action it guarded failed); true when one existed.
    @discardableResult
    public func release(_ key: String) async throws -> Bool {
        try Self.requireKey(key)
        let sql = storage.sql
        return try await !sql.raw("DELETE FROM job_effects WHERE effect_key = \(bind: key) RETURNING effect_key").all().isEmpty
    }

    public func isClaimed(_ key: String) async throws -> Bool {
        try await JobEffectRecord.find(key, on: storage.database) != nil
    }

    /// Deletes claims older than `cutoff` (ms since the epoch); returns how many. A claim
    /// only needs to outlive every possible redelivery of its job.
    @discardableResult
    public func prune(claimedBefore cutoff: Int64) async throws -> Int {
        try await storage.sql.raw("DELETE FROM job_effects WHERE claimed_ms < \(bind: cutoff) RETURNING effect_key").all().count
    }

    /// A conditional state change on a feature's own table, e.g. a giveaway from `running`
    /// to `ended`: `UPDATE table SET column = to WHERE key_column = key AND column = from`.
    /// True when this call changed the row; false when someone else did it first.
    public static func transition(
        table: String, keyColumn: String, key: some Encodable & Sendable,
        stateColumn: String, from: String, to: String, on database: any Database
    ) async throws -> Bool {
        for identifier in [table, keyColumn, stateColumn] where !isIdentifier(identifier) {
            throw GuildhallError(.invalidInput, "'\(identifier)' is not a plain SQL identifier (lowercase letters, digits and _)")
        }
        guard let sql = database as? any SQLDatabase else {
            throw GuildhallError(.internalError, "the database does not speak SQL")
        }
        let rows = try await sql.raw("""
            UPDATE \(ident: table) SET \(ident: stateColumn) = \(bind: to) \
            WHERE \(ident: keyColumn) = \(bind: key) AND \(ident: stateColumn) = \(bind: from) RETURNING \(ident: keyColumn)
            """).all()
        return rows.count == 1
    }

    private func insertClaim(_ key: String, by claimant: EffectClaimant, on database: any Database) async throws -> Bool {
        let sql = database as! any SQLDatabase
        let rows = try await sql.raw("""
            INSERT INTO job_effects (effect_key, job_id, job_name, guild_id, attempt, claimed_ms) \
            VALUES (\(bind: key), \(bind: claimant.jobID), \(bind: claimant.jobName), \(bind: claimant.guild.databaseValue), \
            \(bind: Int64(claimant.attempt)), \(bind: clock.milliseconds())) \
            ON CONFLICT (effect_key) DO NOTHING RETURNING effect_key
            """).all()
        return rows.count == 1
    }

    /// Carries an effect's error through the transaction, apart from the ledger's own errors.
    private struct EffectFailure: Error {
        let error: any Error
    }

    static func requireKey(_ key: String) throws {
        guard !key.isEmpty, key.utf8.count <= 200, !key.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) else {
            throw GuildhallError(.invalidInput, "an effect key must be 1 to 200 bytes without control characters")
        }
    }

    static func isIdentifier(_ text: String) -> Bool {
        guard let first = text.utf8.first, text.utf8.count <= 63, first == 0x5F || (0x61...0x7A).contains(first) else { return false }
        return text.utf8.allSatisfy { $0 == 0x5F || (0x61...0x7A).contains($0) || (0x30...0x39).contains($0) }
    }
}
