import FluentKit
import Foundation
import GuildhallCore

/// A reason a guild has premium: a Discord app subscription or an operator's grant.
/// Ended entitlements stay (with `ends_at`/`revoked_at`) so history and grace periods work.
public final class PremiumEntitlementRecord: Model, @unchecked Sendable {
    public static let schema = "premium_entitlements"

    public enum Source: String, Codable, Sendable, CaseIterable {
        case discord, operatorGrant = "operator"
    }

    @ID(key: .id) public var id: UUID?
    @Field(key: "guild_id") public var guildID: Int64
    @Enum(key: "source") public var source: Source
    /// Discord's entitlement id for subscriptions; nil for operator grants.
    @OptionalField(key: "external_id") public var externalID: String?
    @OptionalField(key: "sku_id") public var skuID: Int64?
    @Field(key: "tier") public var tier: String
    @OptionalField(key: "starts_at") public var startsAt: Date?
    @OptionalField(key: "ends_at") public var endsAt: Date?
    @OptionalField(key: "revoked_at") public var revokedAt: Date?
    @Timestamp(key: "created_at", on: .create) public var createdAt: Date?
    @Timestamp(key: "updated_at", on: .update) public var updatedAt: Date?

    public init() {}

    public init(guildID: Snowflake, source: Source, externalID: String?, skuID: Snowflake?, tier: String, startsAt: Date?, endsAt: Date?) {
        self.guildID = guildID.databaseValue
        self.source = source
        self.externalID = externalID
        self.skuID = skuID?.databaseValue
        self.tier = tier
        self.startsAt = startsAt
        self.endsAt = endsAt
    }
}
