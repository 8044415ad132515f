import FluentKit
import Foundation
import GuildhallCore
import GuildhallDiscordModels
import GuildhallStorage
import Logging
import Metrics

/// A guild's plan right now, and why.
public struct PremiumStatus: Sendable, Equatable {
    public enum Source: String, Sendable { case discord, `operator`, none }

    public var tier: PremiumTier
    public var source: Source
    /// When the entitlement in force ends (nil: it does not end).
    public var endsAt: Date?
    /// Set while an ended entitlement still counts: premium until this moment.
    public var graceUntil: Date?
    /// What the plan allows, from the plan table the service was given.
    public var limits: TierLimits

    public init(tier: PremiumTier, source: Source, endsAt: Date? = nil, graceUntil: Date? = nil, limits: TierLimits? = nil) {
        self.limits = limits ?? TierLimits(tier: tier)
        self.tier = tier
        self.source = source
        self.endsAt = endsAt
        self.graceUntil = graceUntil
    }
}

/// Premium: entitlements from Discord's app subscriptions (gateway events and a periodic
/// sync) and operators' grants, in one table (`premium_entitlements`). A guild is premium
/// while an entitlement is in force, and for a grace period after it ends. Nothing here
/// deletes data: features read the limits and pause what exceeds them.
public struct PremiumService: Sendable {
    public static let defaultGrace: Duration = .seconds(3 * 86_400)

    let database: GuildhallDatabase
    let grace: Duration
    let logger: Logger
    let clock: @Sendable () -> Date
    /// The registered features' limits on each plan.
    public let plans: PlanTable

    public init(
        database: GuildhallDatabase, plans: PlanTable, grace: Duration = PremiumService.defaultGrace, logger: Logger,
        clock: @escaping @Sendable () -> Date = { Date() }
    ) {
        self.plans = plans
        self.database = database
        self.grace = grace
        self.logger = logger
        self.clock = clock
    }

    // MARK: Reading

    public func status(guild: Snowflake) async throws -> PremiumStatus {
        let now = clock()
        let graceSeconds = Double(grace.components.seconds)
        let records = try await PremiumEntitlementRecord.query(on: database.database)
            .filter(\.$guildID == guild.databaseValue).filter(\.$revokedAt == nil).all()
            .filter { ($0.startsAt ?? .distantPast) <= now }
        // The entitlement that lasts longest decides; one without an end beats every other.
        guard let best = records.max(by: { ($0.endsAt ?? .distantFuture) < ($1.endsAt ?? .distantFuture) }) else {
            return PremiumStatus(tier: .free, source: .none, limits: plans.limits(for: .free))
        }
        let source: PremiumStatus.Source = best.source == .discord ? .discord : .operator
        guard let ends = best.endsAt, ends <= now else {
            let tier = PremiumTier(rawValue: best.tier) ?? .premium
            return PremiumStatus(tier: tier, source: source, endsAt: best.endsAt, limits: plans.limits(for: tier))
        }
        let graceEnd = ends.addingTimeInterval(graceSeconds)
        guard graceEnd > now else { return PremiumStatus(tier: .free, source: .none, endsAt: ends, limits: plans.limits(for: .free)) }
        let tier = PremiumTier(rawValue: best.tier) ?? .premium
        return PremiumStatus(tier: tier, source: source, endsAt: ends, graceUntil: graceEnd, limits: plans.limits(for: tier))
    }

    /// Whether the guild's plan allows `limit`. A refusal is logged with the guild and the
    /// limit, as the protocol asks.
    public func allows(_ limit: PlanLimit, guild: Snowflake) async throws -> Bool {
        let status = try await status(guild: guild)
        guard status.limits.allows(limit) else {
            logger.notice("premium check refused", metadata: [LogKey.guildID: "\(guild)", LogKey.feature: "\(limit)", "tier": "\(status.tier.rawValue)"])
            Counter(label: "guildhall_premium_refusals_total", dimensions: [("feature", limit.description)]).increment()
            return false
        }
        return true
    }

    /// Throws `forbidden` when the plan does not allow `limit`, naming it as people read it.
    public func require(_ limit: PlanLimit, guild: Snowflake) async throws {
        guard try await allows(limit, guild: guild) else {
            throw GuildhallError(.forbidden, "\(plans.row(limit)?.title ?? limit.description) needs Guildhall Premium")
        }
    }

    // MARK: Discord's entitlements

    /// Records an entitlement from ENTITLEMENT_CREATE or UPDATE, or from the sync. User
    /// subscriptions (no guild) are not a guild's plan and are ignored.
    @discardableResult
    public func record(_ entitlement: Entitlement) async throws -> Bool {
        guard let guild = entitlement.guildID else { return false }
        guard try await GuildRecord.find(guild.databaseValue, on: database.database) != nil else {
            // ENTITLEMENT_CREATE can come before the guild's GUILD_CREATE: the sync records it later.
            logger.notice("entitlement for a guild Guildhall has not seen yet; the next sync records it", metadata: [
                LogKey.guildID: "\(guild)", "entitlement_id": "\(entitlement.id)",
            ])
            return false
        }
        let existing = try await PremiumEntitlementRecord.query(on: database.database)
            .filter(\.$source == .discord).filter(\.$externalID == entitlement.id.description).first()
        let record = existing ?? PremiumEntitlementRecord(
            guildID: guild, source: .discord, externalID: entitlement.id.description, skuID: entitlement.skuID, tier: PremiumTier.premium.rawValue,
            startsAt: nil, endsAt: nil
        )
        record.startsAt = entitlement.startsAt?.date
        record.endsAt = entitlement.endsAt?.date
        record.revokedAt = entitlement.deleted ? clock() : nil
        try await record.save(on: database.database)
        logger.info("entitlement recorded", metadata: [
            LogKey.guildID: "\(guild)", "entitlement_id": "\(entitlement.id)", "ends_at": "\(entitlement.endsAt?.iso8601 ?? "-")",
            "deleted": "\(entitlement.deleted)",
        ])
        return true
    }

    /// ENTITLEMENT_DELETE: Discord took it back (a refund); it stops counting at once.
    public func revoke(_ entitlement: Entitlement) async throws {
        var deleted = entitlement
        deleted.deleted = true
        try await record(deleted)
    }

    /// Records every entitlement of a full listing. Only called with a listing that was
    /// fetched whole: a failed fetch never reaches here, so it never downgrades anyone.
    public func sync(_ entitlements: [Entitlement]) async throws -> Int {
        var recorded = 0
        for entitlement in entitlements where try await record(entitlement) { recorded += 1 }
        logger.info("entitlements synced", metadata: ["listed": "\(entitlements.count)", "guild_entitlements": "\(recorded)"])
        return recorded
    }

    // MARK: Operators

    /// An operator's grant until `until`; replaces an earlier operator grant of the guild.
    public func grant(guild: Snowflake, until: Date) async throws {
        guard until > clock() else { throw GuildhallError(.invalidInput, "the grant must end in the future") }
        guard try await GuildRecord.find(guild.databaseValue, on: database.database) != nil else {
            throw GuildhallError(.notFound, "guild \(guild) is not known to Guildhall: the bot must have joined it")
        }
        try await database.database.transaction { database in
            let previous = try await PremiumEntitlementRecord.query(on: database)
                .filter(\.$guildID == guild.databaseValue).filter(\.$source == .operatorGrant).filter(\.$revokedAt == nil).all()
            for record in previous {
                record.revokedAt = clock()
                try await record.save(on: database)
            }
            try await PremiumEntitlementRecord(
                guildID: guild, source: .operatorGrant, externalID: nil, skuID: nil, tier: PremiumTier.premium.rawValue, startsAt: clock(), endsAt: until
            ).save(on: database)
        }
        logger.notice("operator premium grant", metadata: [LogKey.guildID: "\(guild)", "until": "\(until)"])
    }

    /// Ends the guild's operator grants now (Discord's own entitlements are untouched).
    /// Returns how many were ended.
    @discardableResult
    public func revokeGrants(guild: Snowflake) async throws -> Int {
        let records = try await PremiumEntitlementRecord.query(on: database.database)
            .filter(\.$guildID == guild.databaseValue).filter(\.$source == .operatorGrant).filter(\.$revokedAt == nil).all()
        for record in records {
            record.revokedAt = clock()
            try await record.save(on: database.database)
        }
        logger.notice("operator premium grants revoked", metadata: [LogKey.guildID: "\(guild)", "count": "\(records.count)"])
        return records.count
    }
}
