
/// GUILD_MEMBER_ADD and GUILD_MEMBER_UPDATE: a member object with the guild's id beside
/// its fields (`{"guild_id": …, "user": …, "roles": …}`).
public struct GuildMemberEvent: Codable, Hashable, Sendable {
    public var guildID: Snowflake
    public var member: GuildMember

    public init(guildID: Snowflake, member: GuildMember) {
        self.guildID = guildID
        self.member = member
    }

    enum CodingKeys: String, CodingKey {
        case guildID = "guild_id"
    }

    public init(from decoder: any Decoder) throws {
        guildID = try decoder.container(keyedBy: CodingKeys.self).decode(Snowflake.self, forKey: .guildID)
        member = try GuildMember(from: decoder)
    }

    public func encode(to encoder: any Encoder) throws {
        try member.encode(to: encoder)
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(guildID, forKey: .guildID)
    }
}

/// GUILD_MEMBER_REMOVE (left, kicked or banned), GUILD_BAN_ADD and GUILD_BAN_REMOVE: a guild and a user.
public struct GuildUserEvent: Codable, Hashable, Sendable {
    public var guildID: Snowflake
    public var user: User

    public init(guildID: Snowflake, user: User) {
        self.guildID = guildID
        self.user = user
    }

    enum CodingKeys: String, CodingKey {
        case user
        case guildID = "guild_id"
    }
}
