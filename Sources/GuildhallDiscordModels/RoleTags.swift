
/// What a role is tied to. Discord marks the boolean tags by sending the key with `null`
/// (present = true, absent = false), which synthesized Codable cannot express.
public struct RoleTags: Hashable, Sendable {
    public var botID: Snowflake?
    public var integrationID: Snowflake?
    public var subscriptionListingID: Snowflake?
    public var isPremiumSubscriber: Bool
    public var isAvailableForPurchase: Bool
    public var isGuildConnections: Bool

    public init(
        botID: Snowflake? = nil, integrationID: Snowflake? = nil, subscriptionListingID: Snowflake? = nil,
        isPremiumSubscriber: Bool = false, isAvailableForPurchase: Bool = false, isGuildConnections: Bool = false
    ) {
        self.botID = botID
        self.integrationID = integrationID
        self.subscriptionListingID = subscriptionListingID
        self.isPremiumSubscriber = isPremiumSubscriber
        self.isAvailableForPurchase = isAvailableForPurchase
        self.isGuildConnections = isGuildConnections
    }

    enum CodingKeys: String, CodingKey {
        case botID = "bot_id"
        case integrationID = "integration_id"
        case subscriptionListingID = "subscription_listing_id"
        case premiumSubscriber = "premium_subscriber"
        case availableForPurchase = "available_for_purchase"
        case guildConnections = "guild_connections"
    }
}

extension RoleTags: Codable {
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        botID = try container.decodeIfPresent(Snowflake.self, forKey: .botID)
        integrationID = try container.decodeIfPresent(Snowflake.self, forKey: .integrationID)
        subscriptionListingID = try container.decodeIfPresent(Snowflake.self, forKey: .subscriptionListingID)
        isPremiumSubscriber = container.contains(.premiumSubscriber)
        isAvailableForPurchase = container.contains(.availableForPurchase)
        isGuildConnections = container.contains(.guildConnections)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encodeIfPresent(botID, forKey: .botID)
        try container.encodeIfPresent(integrationID, forKey: .integrationID)
        try container.encodeIfPresent(subscriptionListingID, forKey: .subscriptionListingID)
        if isPremiumSubscriber { try container.encodeNil(forKey: .premiumSubscriber) }
        if isAvailableForPurchase { try container.encodeNil(forKey: .availableForPurchase) }
        if isGuildConnections { try container.encodeNil(forKey: .guildConnections) }
    }
}
