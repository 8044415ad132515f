
/// VOICE_STATE_UPDATE: someone joined, left (`channelID` nil) or changed state in voice.
public struct GatewayVoiceState: Codable, Hashable, Sendable {
    public var guildID: Snowflake?
    public var channelID: Snowflake?
    public var userID: Snowflake
    public var member: GuildMember?
    public var sessionID: String
    public var deaf: Bool
    public var mute: Bool
    public var selfDeaf: Bool
    public var selfMute: Bool
    public var selfStream: Bool?
    public var selfVideo: Bool
    public var suppress: Bool
    public var requestToSpeakTimestamp: DiscordTimestamp?

    public init(
        guildID: Snowflake?, channelID: Snowflake?, userID: Snowflake, member: GuildMember? = nil, sessionID: String,
        deaf: Bool = false, mute: Bool = false, selfDeaf: Bool = false, selfMute: Bool = false, selfStream: Bool? = nil,
        selfVideo: Bool = false, suppress: Bool = false, requestToSpeakTimestamp: DiscordTimestamp? = nil
    ) {
        self.guildID = guildID
        self.channelID = channelID
        self.userID = userID
        self.member = member
        self.sessionID = sessionID
        self.deaf = deaf
        self.mute = mute
        self.selfDeaf = selfDeaf
        self.selfMute = selfMute
        self.selfStream = selfStream
        self.selfVideo = selfVideo
        self.suppress = suppress
        self.requestToSpeakTimestamp = requestToSpeakTimestamp
    }

    enum CodingKeys: String, CodingKey {
        case member, deaf, mute, suppress
        case guildID = "guild_id"
        case channelID = "channel_id"
        case userID = "user_id"
        case sessionID = "session_id"
        case selfDeaf = "self_deaf"
        case selfMute = "self_mute"
        case selfStream = "self_stream"
        case selfVideo = "self_video"
        case requestToSpeakTimestamp = "request_to_speak_timestamp"
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encodeIfPresent(guildID, forKey: .guildID)
        // A null channel means "left voice": always written.
        try container.encode(channelID, forKey: .channelID)
        try container.encode(userID, forKey: .userID)
        try container.encodeIfPresent(member, forKey: .member)
        try container.encode(sessionID, forKey: .sessionID)
        try container.encode(deaf, forKey: .deaf)
        try container.encode(mute, forKey: .mute)
        try container.encode(selfDeaf, forKey: .selfDeaf)
        try container.encode(selfMute, forKey: .selfMute)
        try container.encodeIfPresent(selfStream, forKey: .selfStream)
        try container.encode(selfVideo, forKey: .selfVideo)
        try container.encode(suppress, forKey: .suppress)
        try container.encode(requestToSpeakTimestamp, forKey: .requestToSpeakTimestamp)
    }
}
