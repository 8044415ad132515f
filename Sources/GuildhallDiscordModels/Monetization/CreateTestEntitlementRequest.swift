
/// `POST /applications/{id}/entitlements`: a test entitlement for a guild or a user.
public struct CreateTestEntitlementRequest: Codable, Hashable, Sendable {
    public struct OwnerType: DiscordIntEnum {
        public let rawValue: Int
        public init(rawValue: Int) { self.rawValue = rawValue }

        public static let guild: OwnerType = 1
        public static let user: OwnerType = 2

        public static let knownNames: [Int: String] = [1: "GUILD", 2: "USER"]
    }

    public var skuID: Snowflake
    public var ownerID: Snowflake
    public var ownerType: OwnerType

    public init(skuID: Snowflake, ownerID: Snowflake, ownerType: OwnerType) {
        self.skuID = skuID
        self.ownerID = ownerID
        self.ownerType = ownerType
    }

    enum CodingKeys: String, CodingKey {
        case skuID = "sku_id"
        case ownerID = "owner_id"
        case ownerType = "owner_type"
    }
}
