
/// Discord's role-hierarchy rules (FACTS.md §5.2) as a pure value over one guild's roles:
/// who ranks above whom, who may act on whom, which roles an actor may hand out, and how long
/// a timeout may be.
public struct RoleHierarchy: Hashable, Sendable {
    /// Timeouts end at most 28 days ahead.
    public static let maximumTimeout: Duration = .seconds(28 * 86_400)

    public let guild: GuildPermissions

    public init(_ guild: GuildPermissions) {
        self.guild = guild
    }

    public init(guild: Guild) {
        self.init(GuildPermissions(guild: guild))
    }

    /// True when `role` ranks strictly above `other`: a greater position, or the same position
    /// and a lower id (Discord's tie-break, as discord.js applies it).
    public static func ranks(_ role: Role, above other: Role) -> Bool {
        role.position != other.position ? role.position > other.position : role.id < other.id
    }

    /// The subject's highest role; @everyone (position 0) when they hold none the guild knows.
    public func highestRole(of subject: PermissionSubject) -> Role {
        var highest = everyoneRole
        for roleID in subject.roleIDs {
            if let role = guild.roles[roleID], Self.ranks(role, above: highest) { highest = role }
        }
        return highest
    }

    /// True when `subject`'s highest role is strictly above `other`'s.
    public func outranks(_ subject: PermissionSubject, _ other: PermissionSubject) -> Bool {
        Self.ranks(highestRole(of: subject), above: highestRole(of: other))
    }

    private var everyoneRole: Role {
        guild.roles[guild.guildID] ?? Role(id: guild.guildID, name: "@everyone", position: 0, permissions: [])
    }
}
