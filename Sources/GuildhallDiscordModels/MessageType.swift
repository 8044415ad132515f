/// A message's `type`. Open: an unknown number decodes and round-trips.
public struct MessageType: DiscordIntEnum {
    public let rawValue: Int
    public init(rawValue: Int) { self.rawValue = rawValue }

    public static let `default`: MessageType = 0
    public static let recipientAdd: MessageType = 1
    public static let recipientRemove: MessageType = 2
    public static let call: MessageType = 3
    public static let channelNameChange: MessageType = 4
    public static let channelIconChange: MessageType = 5
    public static let channelPinnedMessage: MessageType = 6
    public static let userJoin: MessageType = 7
    public static let guildBoost: MessageType = 8
    public static let guildBoostTier1: MessageType = 9
    public static let guildBoostTier2: MessageType = 10
    public static let guildBoostTier3: MessageType = 11
    public static let channelFollowAdd: MessageType = 12
    public static let threadCreated: MessageType = 18
    public static let reply: MessageType = 19
    public static let chatInputCommand: MessageType = 20
    public static let threadStarterMessage: MessageType = 21
    public static let contextMenuCommand: MessageType = 23
    public static let autoModerationAction: MessageType = 24
    public static let pollResult: MessageType = 46

    public static let knownNames: [Int: String] = [
        0: "DEFAULT", 1: "RECIPIENT_ADD", 2: "RECIPIENT_REMOVE", 3: "CALL", 4: "CHANNEL_NAME_CHANGE",
        5: "CHANNEL_ICON_CHANGE", 6: "CHANNEL_PINNED_MESSAGE", 7: "USER_JOIN", 8: "GUILD_BOOST", 9: "GUILD_BOOST_TIER_1",
        10: "GUILD_BOOST_TIER_2", 11: "GUILD_BOOST_TIER_3", 12: "CHANNEL_FOLLOW_ADD", 14: "GUILD_DISCOVERY_DISQUALIFIED",
        15: "GUILD_DISCOVERY_REQUALIFIED", 16: "GUILD_DISCOVERY_GRACE_PERIOD_INITIAL_WARNING",
        17: "GUILD_DISCOVERY_GRACE_PERIOD_FINAL_WARNING", 18: "THREAD_CREATED", 19: "REPLY", 20: "CHAT_INPUT_COMMAND",
        21: "THREAD_STARTER_MESSAGE", 22: "GUILD_INVITE_REMINDER", 23: "CONTEXT_MENU_COMMAND", 24: "AUTO_MODERATION_ACTION",
        25: "ROLE_SUBSCRIPTION_PURCHASE", 26: "INTERACTION_PREMIUM_UPSELL", 27: "STAGE_START", 28: "STAGE_END",
        29: "STAGE_SPEAKER", 31: "STAGE_TOPIC", 32: "GUILD_APPLICATION_PREMIUM_SUBSCRIPTION",
        36: "GUILD_INCIDENT_ALERT_MODE_ENABLED", 37: "GUILD_INCIDENT_ALERT_MODE_DISABLED", 38: "GUILD_INCIDENT_REPORT_RAID",
        39: "GUILD_INCIDENT_REPORT_FALSE_ALARM", 46: "POLL_RESULT", 55: "HD_STREAMING_UPGRADED",
    ]

    /// Messages people write (plain or replies), as opposed to system notices: what leveling
    /// and automod look at.
    public var isUserContent: Bool { self == .default || self == .reply }
}
