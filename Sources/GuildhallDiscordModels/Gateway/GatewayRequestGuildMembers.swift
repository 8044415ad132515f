
/// Request Guild Members (op 8): asks for a guild's members, answered with
/// GUILD_MEMBERS_CHUNK dispatches. Either `query` (with `limit`) or `userIDs`.
public struct GatewayRequestGuildMembers: Codable, Sendable, Hashable {
    public var guildID: Snowflake
    /// Username prefix; "" with limit 0 asks for every member (GUILD_MEMBERS intent).
    public var query: String?
    public var limit: Int
    public var presences: Bool?
    public var userIDs: [Snowflake]?
    /// Echoed in the chunks (at most 32 bytes).
    public var nonce: String?

    public init(guildID: Snowflake, query: String? = "", limit: Int = 0, presences: Bool? = nil, userIDs: [Snowflake]? = nil, nonce: String? = nil) {
        self.guildID = guildID
        self.query = query
        self.limit = limit
        self.presences = presences
        self.userIDs = userIDs
        self.nonce = nonce
    }

    enum CodingKeys: String, CodingKey {
        case query, limit, presences, nonce
        case guildID = "guild_id"
        case userIDs = "user_ids"
    }
}

/// Update Voice State (op 4): joins, moves or leaves a voice channel (`channelID` nil leaves).
public struct GatewayVoiceStateUpdate: Codable, Sendable, Hashable {
    public var guildID: Snowflake
    public var channelID: Snowflake?
    public var selfMute: Bool
    public var selfDeaf: Bool

    public init(guildID: Snowflake, channelID: Snowflake?, selfMute: Bool = false, selfDeaf: Bool = false) {
        self.guildID = guildID
        self.channelID = channelID
        self.selfMute = selfMute
        self.selfDeaf = selfDeaf
    }

    enum CodingKeys: String, CodingKey {
        case guildID = "guild_id"
        case channelID = "channel_id"
        case selfMute = "self_mute"
        case selfDeaf = "self_deaf"
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(guildID, forKey: .guildID)
        // A null channel is how a client leaves voice, so it is always written.
        try container.encode(channelID, forKey: .channelID)
        try container.encode(selfMute, forKey: .selfMute)
        try container.encode(selfDeaf, forKey: .selfDeaf)
    }
}
