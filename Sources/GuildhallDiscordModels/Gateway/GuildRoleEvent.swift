
/// GUILD_ROLE_CREATE and GUILD_ROLE_UPDATE.
public struct GuildRoleEvent: Codable, Hashable, Sendable {
    public var guildID: Snowflake
    public var role: Role

    public init(guildID: Snowflake, role: Role) {
        self.guildID = guildID
        self.role = role
    }

    enum CodingKeys: String, CodingKey {
        case role
        case guildID = "guild_id"
    }
}

/// GUILD_ROLE_DELETE.
public struct GuildRoleDeleteEvent: Codable, Hashable, Sendable {
    public var guildID: Snowflake
    public var roleID: Snowflake

    public init(guildID: Snowflake, roleID: Snowflake) {
        self.guildID = guildID
        self.roleID = roleID
    }

    enum CodingKeys: String, CodingKey {
        case guildID = "guild_id"
        case roleID = "role_id"
    }
}
