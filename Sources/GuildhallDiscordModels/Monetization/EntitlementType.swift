/// An entitlement's `type`. Since late 2024 Discord-managed subscriptions use PURCHASE (1);
/// the spec lists APPLICATION_SUBSCRIPTION (8) and QUEST_REWARD (10).
public struct EntitlementType: DiscordIntEnum {
    public let rawValue: Int
    public init(rawValue: Int) { self.rawValue = rawValue }

    public static let purchase: EntitlementType = 1
    public static let premiumSubscription: EntitlementType = 2
    public static let developerGift: EntitlementType = 3
    public static let testModePurchase: EntitlementType = 4
    public static let freePurchase: EntitlementType = 5
    public static let userGift: EntitlementType = 6
    public static let premiumPurchase: EntitlementType = 7
    public static let applicationSubscription: EntitlementType = 8
    public static let questReward: EntitlementType = 10

    public static let knownNames: [Int: String] = [
        1: "PURCHASE", 2: "PREMIUM_SUBSCRIPTION", 3: "DEVELOPER_GIFT", 4: "TEST_MODE_PURCHASE", 5: "FREE_PURCHASE",
        6: "USER_GIFT", 7: "PREMIUM_PURCHASE", 8: "APPLICATION_SUBSCRIPTION", 10: "QUEST_REWARD",
    ]
}
