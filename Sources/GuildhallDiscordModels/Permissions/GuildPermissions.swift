
/// Discord's permission algorithm for one guild (FACTS.md §5.1), as a pure value: the guild's
/// owner and roles in, a member's effective permissions out.
public struct GuildPermissions: Hashable, Sendable {
    public let guildID: Snowflake
    public let ownerID: Snowflake
    public let roles: [Snowflake: Role]

    public init(guildID: Snowflake, ownerID: Snowflake, roles: [Role]) {
        self.guildID = guildID
        self.ownerID = ownerID
        var byID: [Snowflake: Role] = [:]
        for role in roles { byID[role.id] = role }
        self.roles = byID
    }

    public init(guild: Guild) {
        self.init(guildID: guild.id, ownerID: guild.ownerID, roles: guild.roles)
    }

    /// The @everyone role's permissions (its id is the guild's id); empty when it is unknown.
    public var everyonePermissions: Permissions { roles[guildID]?.permissions ?? [] }

    public func isOwner(_ subject: PermissionSubject) -> Bool { subject.userID == ownerID }

    /// Guild-level permissions: the owner holds all; otherwise @everyone's permissions OR'ed
    /// with every role's, and all of them when that includes ADMINISTRATOR. Role ids the guild
    /// does not know (deleted roles) count for nothing. With `now`, a running timeout leaves
    /// only VIEW_CHANNEL and READ_MESSAGE_HISTORY (owners and administrators are exempt).
    public func basePermissions(of subject: PermissionSubject, at now: DiscordTimestamp? = nil) -> Permissions {
        let permissions = unrestrictedBasePermissions(of: subject)
        if permissions == .all { return .all }
        if let now, subject.isTimedOut(at: now) { return permissions.intersection(.keptDuringTimeout) }
        return permissions
    }

    /// True when the subject is the owner or holds ADMINISTRATOR through a role.
    public func isAdministrator(_ subject: PermissionSubject) -> Bool {
        unrestrictedBasePermissions(of: subject) == .all
    }

    func unrestrictedBasePermissions(of subject: PermissionSubject) -> Permissions {
        if isOwner(subject) { return .all }
        var permissions = everyonePermissions
        for roleID in subject.roleIDs {
            if let role = roles[roleID] { permissions.formUnion(role.permissions) }
        }
        return permissions.contains(.administrator) ? .all : permissions
    }
}
