
/// A user's or guild's right to a SKU (FACTS.md §7). Entitlements are not deleted when a
/// subscription ends: `ends_at` is set instead, so activity is a question of time.
public struct Entitlement: Codable, Hashable, Sendable {
    public var id: Snowflake
    public var skuID: Snowflake
    public var applicationID: Snowflake
    public var userID: Snowflake?
    /// Set for guild subscriptions.
    public var guildID: Snowflake?
    public var type: EntitlementType
    public var deleted: Bool
    /// Absent for test entitlements, which last until deleted.
    public var startsAt: DiscordTimestamp?
    public var endsAt: DiscordTimestamp?
    /// One-time consumables only.
    public var consumed: Bool?
    public var subscriptionID: Snowflake?

    public init(
        id: Snowflake, skuID: Snowflake, applicationID: Snowflake, userID: Snowflake? = nil, guildID: Snowflake? = nil,
        type: EntitlementType, deleted: Bool = false, startsAt: DiscordTimestamp? = nil, endsAt: DiscordTimestamp? = nil,
        consumed: Bool? = nil, subscriptionID: Snowflake? = nil
    ) {
        self.id = id
        self.skuID = skuID
        self.applicationID = applicationID
        self.userID = userID
        self.guildID = guildID
        self.type = type
        self.deleted = deleted
        self.startsAt = startsAt
        self.endsAt = endsAt
        self.consumed = consumed
        self.subscriptionID = subscriptionID
    }

    /// Not deleted, started (or no start), not yet ended (or no end), not consumed.
    public func isActive(at now: DiscordTimestamp) -> Bool {
        if deleted || consumed == true { return false }
        if let startsAt, startsAt > now { return false }
        if let endsAt, endsAt <= now { return false }
        return true
    }

    enum CodingKeys: String, CodingKey {
        case id, type, deleted, consumed
        case skuID = "sku_id"
        case applicationID = "application_id"
        case userID = "user_id"
        case guildID = "guild_id"
        case startsAt = "starts_at"
        case endsAt = "ends_at"
        case subscriptionID = "subscription_id"
    }
}
