
/// MESSAGE_REACTION_ADD and MESSAGE_REACTION_REMOVE (the removal carries no `member`,
/// `message_author_id` or `burst_colors`).
public struct MessageReactionEvent: Codable, Hashable, Sendable {
    public var userID: Snowflake
    public var channelID: Snowflake
    public var messageID: Snowflake
    public var guildID: Snowflake?
    public var member: GuildMember?
    /// Partial: `id` nil for a unicode emoji.
    public var emoji: Emoji
    public var messageAuthorID: Snowflake?
    /// True for a super reaction.
    public var burst: Bool?
    public var burstColors: [String]?
    /// 0 normal, 1 burst.
    public var type: Int?

    public init(
        userID: Snowflake, channelID: Snowflake, messageID: Snowflake, guildID: Snowflake? = nil, member: GuildMember? = nil,
        emoji: Emoji, messageAuthorID: Snowflake? = nil, burst: Bool? = false, burstColors: [String]? = nil, type: Int? = 0
    ) {
        self.userID = userID
        self.channelID = channelID
        self.messageID = messageID
        self.guildID = guildID
        self.member = member
        self.emoji = emoji
        self.messageAuthorID = messageAuthorID
        self.burst = burst
        self.burstColors = burstColors
        self.type = type
    }

    enum CodingKeys: String, CodingKey {
        case member, emoji, burst, type
        case userID = "user_id"
        case channelID = "channel_id"
        case messageID = "message_id"
        case guildID = "guild_id"
        case messageAuthorID = "message_author_id"
        case burstColors = "burst_colors"
    }
}
