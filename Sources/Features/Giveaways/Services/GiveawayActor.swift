import GuildhallCore
import GuildhallDiscordModels
import GuildhallGuildSettings

/// Who asks for a change, with what the permission check needs: a member in Discord (their
/// permissions as Discord resolved them, and their roles) or a dashboard user (their access).
public enum GiveawayActor: Sendable, Equatable {
    case member(Snowflake, permissions: Permissions, roles: [Snowflake])
    case dashboard(Snowflake, access: GuildAccess)

    public var id: Snowflake {
        switch self {
        case .member(let id, _, _), .dashboard(let id, _): id
        }
    }

    /// Whether they may manage giveaways, given the guild's manager role (if any).
    public func mayManage(managerRole: Snowflake?) -> Bool {
        switch self {
        case .member(_, let permissions, let roles):
            if permissions.contains(.manageGuild) || permissions.contains(.administrator) { return true }
            return managerRole.map(roles.contains) ?? false
        case .dashboard(_, let access):
            return ModuleAccessPolicy.mayToggle(access)
        }
    }
}
