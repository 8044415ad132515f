
/// A guild as `GET /guilds/{id}` and GUILD_CREATE send it. The GUILD_CREATE-only fields
/// (`joined_at`, `large`, `member_count`, `members`, `channels`, `threads`) are optional; a
/// GUILD_CREATE for a guild in an outage is an `UnavailableGuild` instead.
public struct Guild: Codable, Hashable, Sendable {
    public var id: Snowflake
    public var name: String
    public var icon: String?
    public var splash: String?
    public var discoverySplash: String?
    /// True when the requesting user owns the guild (only on some endpoints).
    public var owner: Bool?
    public var ownerID: Snowflake
    /// The requesting user's guild-level permissions (only on some endpoints).
    public var permissions: Permissions?
    public var afkChannelID: Snowflake?
    public var afkTimeout: Int?
    public var widgetEnabled: Bool?
    public var widgetChannelID: Snowflake?
    public var verificationLevel: Int?
    public var defaultMessageNotifications: Int?
    public var explicitContentFilter: Int?
    public var roles: [Role]
    public var emojis: [Emoji]?
    public var features: [String]?
    public var mfaLevel: Int?
    public var applicationID: Snowflake?
    public var systemChannelID: Snowflake?
    public var systemChannelFlags: Int?
    public var rulesChannelID: Snowflake?
    public var maxPresences: Int?
    public var maxMembers: Int?
    public var vanityURLCode: String?
    public var description: String?
    public var banner: String?
    public var premiumTier: Int?
    public var premiumSubscriptionCount: Int?
    public var preferredLocale: String?
    public var publicUpdatesChannelID: Snowflake?
    public var safetyAlertsChannelID: Snowflake?
    public var approximateMemberCount: Int?
    public var approximatePresenceCount: Int?
    public var nsfwLevel: Int?
    public var premiumProgressBarEnabled: Bool?
    // GUILD_CREATE only:
    public var joinedAt: DiscordTimestamp?
    public var large: Bool?
    public var unavailable: Bool?
    public var memberCount: Int?
    public var members: [GuildMember]?
    public var channels: [Channel]?
    public var threads: [Channel]?
    /// Who is in voice when the guild arrives (their `guild_id` is left out).
    public var voiceStates: [GatewayVoiceState]?

    public init(
        id: Snowflake, name: String, icon: String? = nil, splash: String? = nil, discoverySplash: String? = nil,
        owner: Bool? = nil, ownerID: Snowflake, permissions: Permissions? = nil, afkChannelID: Snowflake? = nil,
        afkTimeout: Int? = nil, widgetEnabled: Bool? = nil, widgetChannelID: Snowflake? = nil, verificationLevel: Int? = nil,
        defaultMessageNotifications: Int? = nil, explicitContentFilter: Int? = nil, roles: [Role], emojis: [Emoji]? = nil,
        features: [String]? = nil, mfaLevel: Int? = nil, applicationID: Snowflake? = nil, systemChannelID: Snowflake? = nil,
        systemChannelFlags: Int? = nil, rulesChannelID: Snowflake? = nil, maxPresences: Int? = nil, maxMembers: Int? = nil,
        vanityURLCode: String? = nil, description: String? = nil, banner: String? = nil, premiumTier: Int? = nil,
        premiumSubscriptionCount: Int? = nil, preferredLocale: String? = nil, publicUpdatesChannelID: Snowflake? = nil,
        safetyAlertsChannelID: Snowflake? = nil, approximateMemberCount: Int? = nil, approximatePresenceCount: Int? = nil,
        nsfwLevel: Int? = nil, premiumProgressBarEnabled: Bool? = nil, joinedAt: DiscordTimestamp? = nil,
        large: Bool? = nil, unavailable: Bool? = nil, memberCount: Int? = nil, members: [GuildMember]? = nil,
        channels: [Channel]? = nil, threads: [Channel]? = nil, voiceStates: [GatewayVoiceState]? = nil
    ) {
        self.id = id
        self.name = name
        self.icon = icon
        self.splash = splash
        self.discoverySplash = discoverySplash
        self.owner = owner
        self.ownerID = ownerID
        self.permissions = permissions
        self.afkChannelID = afkChannelID
        self.afkTimeout = afkTimeout
        self.widgetEnabled = widgetEnabled
        self.widgetChannelID = widgetChannelID
        self.verificationLevel = verificationLevel
        self.defaultMessageNotifications = defaultMessageNotifications
        self.explicitContentFilter = explicitContentFilter
        self.roles = roles
        self.emojis = emojis
        self.features = features
        self.mfaLevel = mfaLevel
        self.applicationID = applicationID
        self.systemChannelID = systemChannelID
        self.systemChannelFlags = systemChannelFlags
        self.rulesChannelID = rulesChannelID
        self.maxPresences = maxPresences
        self.maxMembers = maxMembers
        self.vanityURLCode = vanityURLCode
        self.description = description
        self.banner = banner
        self.premiumTier = premiumTier
        self.premiumSubscriptionCount = premiumSubscriptionCount
        self.preferredLocale = preferredLocale
        self.publicUpdatesChannelID = publicUpdatesChannelID
        self.safetyAlertsChannelID = safetyAlertsChannelID
        self.approximateMemberCount = approximateMemberCount
        self.approximatePresenceCount = approximatePresenceCount
        self.nsfwLevel = nsfwLevel
        self.premiumProgressBarEnabled = premiumProgressBarEnabled
        self.joinedAt = joinedAt
        self.large = large
        self.unavailable = unavailable
        self.memberCount = memberCount
        self.members = members
        self.channels = channels
        self.threads = threads
        self.voiceStates = voiceStates
    }

    /// The @everyone role (its id is the guild's id).
    public var everyoneRole: Role? { roles.first { $0.id == id } }

    public func role(_ id: Snowflake) -> Role? { roles.first { $0.id == id } }

    public func channel(_ id: Snowflake) -> Channel? {
        channels?.first { $0.id == id } ?? threads?.first { $0.id == id }
    }

    public func member(_ userID: Snowflake) -> GuildMember? { members?.first { $0.user?.id == userID } }

    enum CodingKeys: String, CodingKey {
        case id, name, icon, splash, owner, permissions, roles, emojis, features, description, banner, large, unavailable
        case members, channels, threads
        case voiceStates = "voice_states"
        case discoverySplash = "discovery_splash"
        case ownerID = "owner_id"
        case afkChannelID = "afk_channel_id"
        case afkTimeout = "afk_timeout"
        case widgetEnabled = "widget_enabled"
        case widgetChannelID = "widget_channel_id"
        case verificationLevel = "verification_level"
        case defaultMessageNotifications = "default_message_notifications"
        case explicitContentFilter = "explicit_content_filter"
        case mfaLevel = "mfa_level"
        case applicationID = "application_id"
        case systemChannelID = "system_channel_id"
        case systemChannelFlags = "system_channel_flags"
        case rulesChannelID = "rules_channel_id"
        case maxPresences = "max_presences"
        case maxMembers = "max_members"
        case vanityURLCode = "vanity_url_code"
        case premiumTier = "premium_tier"
        case premiumSubscriptionCount = "premium_subscription_count"
        case preferredLocale = "preferred_locale"
        case publicUpdatesChannelID = "public_updates_channel_id"
        case safetyAlertsChannelID = "safety_alerts_channel_id"
        case approximateMemberCount = "approximate_member_count"
        case approximatePresenceCount = "approximate_presence_count"
        case nsfwLevel = "nsfw_level"
        case premiumProgressBarEnabled = "premium_progress_bar_enabled"
        case joinedAt = "joined_at"
        case memberCount = "member_count"
    }
}
