
/// MESSAGE_DELETE.
public struct MessageDeleteEvent: Codable, Hashable, Sendable {
    public var id: Snowflake
    public var channelID: Snowflake
    public var guildID: Snowflake?

    public init(id: Snowflake, channelID: Snowflake, guildID: Snowflake? = nil) {
        self.id = id
        self.channelID = channelID
        self.guildID = guildID
    }

    enum CodingKeys: String, CodingKey {
        case id
        case channelID = "channel_id"
        case guildID = "guild_id"
    }
}

/// MESSAGE_DELETE_BULK.
public struct MessageDeleteBulkEvent: Codable, Hashable, Sendable {
    public var ids: [Snowflake]
    public var channelID: Snowflake
    public var guildID: Snowflake?

    public init(ids: [Snowflake], channelID: Snowflake, guildID: Snowflake? = nil) {
        self.ids = ids
        self.channelID = channelID
        self.guildID = guildID
    }

    enum CodingKeys: String, CodingKey {
        case ids
        case channelID = "channel_id"
        case guildID = "guild_id"
    }
}
