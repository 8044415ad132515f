
/// A message, as REST returns it and MESSAGE_CREATE carries it (there with `guild_id` and a
/// partial `member` without `user`). Decoded on the gateway's hot path, so it keeps to
/// synthesized Codable.
public struct Message: Codable, Hashable, Sendable {
    public var id: Snowflake
    public var channelID: Snowflake
    public var guildID: Snowflake?
    public var author: User
    /// The author as a guild member (gateway events in guilds; no `user` inside).
    public var member: GuildMember?
    /// Empty without the MESSAGE_CONTENT intent, except for messages that mention the bot.
    public var content: String
    public var timestamp: DiscordTimestamp
    public var editedTimestamp: DiscordTimestamp?
    public var tts: Bool
    public var mentionEveryone: Bool
    public var mentions: [User]
    public var mentionRoles: [Snowflake]
    public var mentionChannels: [ChannelMention]?
    public var attachments: [Attachment]
    public var embeds: [Embed]
    public var reactions: [Reaction]?
    public var nonce: MessageNonce?
    public var pinned: Bool
    public var webhookID: Snowflake?
    public var type: MessageType
    public var applicationID: Snowflake?
    /// The message this one replies to or forwards.
    public var messageReference: MessageReference?
    public var flags: MessageFlags?
    public var components: [MessageComponent]?
    public var position: Int?

    public init(
        id: Snowflake, channelID: Snowflake, guildID: Snowflake? = nil, author: User, member: GuildMember? = nil,
        content: String, timestamp: DiscordTimestamp, editedTimestamp: DiscordTimestamp? = nil, tts: Bool = false,
        mentionEveryone: Bool = false, mentions: [User] = [], mentionRoles: [Snowflake] = [],
        mentionChannels: [ChannelMention]? = nil, attachments: [Attachment] = [], embeds: [Embed] = [],
        reactions: [Reaction]? = nil, nonce: MessageNonce? = nil, pinned: Bool = false, webhookID: Snowflake? = nil,
        type: MessageType = .default, applicationID: Snowflake? = nil, messageReference: MessageReference? = nil,
        flags: MessageFlags? = nil, components: [MessageComponent]? = nil, position: Int? = nil
    ) {
        self.id = id
        self.channelID = channelID
        self.guildID = guildID
        self.author = author
        self.member = member
        self.content = content
        self.timestamp = timestamp
        self.editedTimestamp = editedTimestamp
        self.tts = tts
        self.mentionEveryone = mentionEveryone
        self.mentions = mentions
        self.mentionRoles = mentionRoles
        self.mentionChannels = mentionChannels
        self.attachments = attachments
        self.embeds = embeds
        self.reactions = reactions
        self.nonce = nonce
        self.pinned = pinned
        self.webhookID = webhookID
        self.type = type
        self.applicationID = applicationID
        self.messageReference = messageReference
        self.flags = flags
        self.components = components
        self.position = position
    }

    /// The id of the message this one points at (reply, crosspost or forward), if any.
    public var referencedMessageID: Snowflake? { messageReference?.messageID }

    /// The id of the message this one replies to, only for replies.
    public var repliedToMessageID: Snowflake? { type == .reply ? messageReference?.messageID : nil }

    /// Sent by a webhook or another bot rather than a person.
    public var isFromBot: Bool { author.isBot || webhookID != nil }

    enum CodingKeys: String, CodingKey {
        case id, author, member, content, timestamp, tts, mentions, attachments, embeds, reactions, nonce, pinned, type
        case flags, components, position
        case channelID = "channel_id"
        case guildID = "guild_id"
        case editedTimestamp = "edited_timestamp"
        case mentionEveryone = "mention_everyone"
        case mentionRoles = "mention_roles"
        case mentionChannels = "mention_channels"
        case webhookID = "webhook_id"
        case applicationID = "application_id"
        case messageReference = "message_reference"
    }
}
