
/// What a message replies to or forwards; the same shape in requests and responses.
public struct MessageReference: Codable, Hashable, Sendable {
    /// 0 reply (default), 1 forward.
    public var type: Int?
    public var messageID: Snowflake?
    public var channelID: Snowflake?
    public var guildID: Snowflake?
    /// In requests: fail (default) or send as a plain message when the target is gone.
    public var failIfNotExists: Bool?

    public init(
        type: Int? = nil, messageID: Snowflake?, channelID: Snowflake? = nil, guildID: Snowflake? = nil,
        failIfNotExists: Bool? = nil
    ) {
        self.type = type
        self.messageID = messageID
        self.channelID = channelID
        self.guildID = guildID
        self.failIfNotExists = failIfNotExists
    }

    /// A reply to `messageID`.
    public static func reply(to messageID: Snowflake, failIfNotExists: Bool? = false) -> MessageReference {
        MessageReference(messageID: messageID, failIfNotExists: failIfNotExists)
    }

    enum CodingKeys: String, CodingKey {
        case type
        case messageID = "message_id"
        case channelID = "channel_id"
        case guildID = "guild_id"
        case failIfNotExists = "fail_if_not_exists"
    }
}
