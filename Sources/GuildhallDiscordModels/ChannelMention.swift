
/// A channel mentioned in a crossposted message.
public struct ChannelMention: Codable, Hashable, Sendable {
    public var id: Snowflake
    public var guildID: Snowflake
    public var type: ChannelType
    public var name: String

    public init(id: Snowflake, guildID: Snowflake, type: ChannelType, name: String) {
        self.id = id
        self.guildID = guildID
        self.type = type
        self.name = name
    }

    enum CodingKeys: String, CodingKey {
        case id, type, name
        case guildID = "guild_id"
    }
}
