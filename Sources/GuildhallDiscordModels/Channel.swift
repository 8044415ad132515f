
/// A guild channel, thread or DM. Only `id` and `type` are always present.
public struct Channel: Codable, Hashable, Sendable {
    public var id: Snowflake
    public var type: ChannelType
    public var guildID: Snowflake?
    public var position: Int?
    public var permissionOverwrites: [PermissionOverwrite]?
    public var name: String?
    public var topic: String?
    public var nsfw: Bool?
    public var lastMessageID: Snowflake?
    public var bitrate: Int?
    public var userLimit: Int?
    /// Slowmode in seconds.
    public var rateLimitPerUser: Int?
    public var recipients: [User]?
    public var icon: String?
    public var ownerID: Snowflake?
    public var applicationID: Snowflake?
    /// The category of a channel, or the channel a thread lives in.
    public var parentID: Snowflake?
    public var lastPinTimestamp: DiscordTimestamp?
    public var threadMetadata: ThreadMetadata?
    public var messageCount: Int?
    public var memberCount: Int?
    public var totalMessageSent: Int?
    public var defaultAutoArchiveDuration: Int?
    /// The invoker's permissions in this channel (interaction `resolved` channels only).
    public var permissions: Permissions?
    public var flags: Int?

    public init(
        id: Snowflake, type: ChannelType, guildID: Snowflake? = nil, position: Int? = nil,
        permissionOverwrites: [PermissionOverwrite]? = nil, name: String? = nil, topic: String? = nil, nsfw: Bool? = nil,
        lastMessageID: Snowflake? = nil, bitrate: Int? = nil, userLimit: Int? = nil, rateLimitPerUser: Int? = nil,
        recipients: [User]? = nil, icon: String? = nil, ownerID: Snowflake? = nil, applicationID: Snowflake? = nil,
        parentID: Snowflake? = nil, lastPinTimestamp: DiscordTimestamp? = nil, threadMetadata: ThreadMetadata? = nil,
        messageCount: Int? = nil, memberCount: Int? = nil, totalMessageSent: Int? = nil,
        defaultAutoArchiveDuration: Int? = nil, permissions: Permissions? = nil, flags: Int? = nil
    ) {
        self.id = id
        self.type = type
        self.guildID = guildID
        self.position = position
        self.permissionOverwrites = permissionOverwrites
        self.name = name
        self.topic = topic
        self.nsfw = nsfw
        self.lastMessageID = lastMessageID
        self.bitrate = bitrate
        self.userLimit = userLimit
        self.rateLimitPerUser = rateLimitPerUser
        self.recipients = recipients
        self.icon = icon
        self.ownerID = ownerID
        self.applicationID = applicationID
        self.parentID = parentID
        self.lastPinTimestamp = lastPinTimestamp
        self.threadMetadata = threadMetadata
        self.messageCount = messageCount
        self.memberCount = memberCount
        self.totalMessageSent = totalMessageSent
        self.defaultAutoArchiveDuration = defaultAutoArchiveDuration
        self.permissions = permissions
        self.flags = flags
    }

    enum CodingKeys: String, CodingKey {
        case id, type, position, name, topic, nsfw, bitrate, recipients, icon, permissions, flags
        case guildID = "guild_id"
        case permissionOverwrites = "permission_overwrites"
        case lastMessageID = "last_message_id"
        case userLimit = "user_limit"
        case rateLimitPerUser = "rate_limit_per_user"
        case ownerID = "owner_id"
        case applicationID = "application_id"
        case parentID = "parent_id"
        case lastPinTimestamp = "last_pin_timestamp"
        case threadMetadata = "thread_metadata"
        case messageCount = "message_count"
        case memberCount = "member_count"
        case totalMessageSent = "total_message_sent"
        case defaultAutoArchiveDuration = "default_auto_archive_duration"
    }
}
