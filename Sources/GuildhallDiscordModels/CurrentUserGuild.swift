
/// One item of `GET /users/@me/guilds`: a partial guild with the user's guild-level
/// permissions, which the dashboard uses to list the guilds a user may manage.
public struct CurrentUserGuild: Codable, Hashable, Sendable {
    public var id: Snowflake
    public var name: String
    public var icon: String?
    public var banner: String?
    public var owner: Bool
    public var permissions: Permissions
    public var features: [String]
    public var approximateMemberCount: Int?
    public var approximatePresenceCount: Int?

    public init(
        id: Snowflake, name: String, icon: String? = nil, banner: String? = nil, owner: Bool, permissions: Permissions,
        features: [String] = [], approximateMemberCount: Int? = nil, approximatePresenceCount: Int? = nil
    ) {
        self.id = id
        self.name = name
        self.icon = icon
        self.banner = banner
        self.owner = owner
        self.permissions = permissions
        self.features = features
        self.approximateMemberCount = approximateMemberCount
        self.approximatePresenceCount = approximatePresenceCount
    }

    /// Owners, administrators and MANAGE_GUILD holders may manage the guild's bot settings.
    public var canManage: Bool {
        owner || permissions.contains(.administrator) || permissions.contains(.manageGuild)
    }

    enum CodingKeys: String, CodingKey {
        case id, name, icon, banner, owner, permissions, features
        case approximateMemberCount = "approximate_member_count"
        case approximatePresenceCount = "approximate_presence_count"
    }
}
