
/// `PATCH /guilds/{id}/members/{id}`. Absent fields stay as they are; `.null` clears the
/// nickname, disconnects from voice, or ends a timeout.
public struct ModifyGuildMemberRequest: Hashable, Sendable {
    public var nick: NullableField<String>
    public var roles: [Snowflake]?
    public var mute: Bool?
    public var deaf: Bool?
    public var channelID: NullableField<Snowflake>
    /// At most 28 days ahead (`RoleHierarchy.maximumTimeout`).
    public var communicationDisabledUntil: NullableField<DiscordTimestamp>
    public var flags: Int?

    public init(
        nick: NullableField<String> = .absent, roles: [Snowflake]? = nil, mute: Bool? = nil, deaf: Bool? = nil,
        channelID: NullableField<Snowflake> = .absent, communicationDisabledUntil: NullableField<DiscordTimestamp> = .absent,
        flags: Int? = nil
    ) {
        self.nick = nick
        self.roles = roles
        self.mute = mute
        self.deaf = deaf
        self.channelID = channelID
        self.communicationDisabledUntil = communicationDisabledUntil
        self.flags = flags
    }

    /// Times the member out until `until`.
    public static func timeout(until: DiscordTimestamp) -> ModifyGuildMemberRequest {
        ModifyGuildMemberRequest(communicationDisabledUntil: .value(until))
    }

    /// Ends a running timeout (`"communication_disabled_until": null`).
    public static let removeTimeout = ModifyGuildMemberRequest(communicationDisabledUntil: .null)

    enum CodingKeys: String, CodingKey {
        case nick, roles, mute, deaf, flags
        case channelID = "channel_id"
        case communicationDisabledUntil = "communication_disabled_until"
    }
}

extension ModifyGuildMemberRequest: Codable {
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        nick = try container.decodeNullableField(String.self, forKey: .nick)
        roles = try container.decodeIfPresent([Snowflake].self, forKey: .roles)
        mute = try container.decodeIfPresent(Bool.self, forKey: .mute)
        deaf = try container.decodeIfPresent(Bool.self, forKey: .deaf)
        channelID = try container.decodeNullableField(Snowflake.self, forKey: .channelID)
        communicationDisabledUntil = try container.decodeNullableField(DiscordTimestamp.self, forKey: .communicationDisabledUntil)
        flags = try container.decodeIfPresent(Int.self, forKey: .flags)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(nick, forKey: .nick)
        try container.encodeIfPresent(roles, forKey: .roles)
        try container.encodeIfPresent(mute, forKey: .mute)
        try container.encodeIfPresent(deaf, forKey: .deaf)
        try container.encode(channelID, forKey: .channelID)
        try container.encode(communicationDisabledUntil, forKey: .communicationDisabledUntil)
        try container.encodeIfPresent(flags, forKey: .flags)
    }
}
