/// What the person asking may do with a guild's settings, from data fetched for this
/// request (never from a stale session).
public enum GuildAccess: Sendable, Equatable {
    case owner
    /// Holds MANAGE_GUILD or ADMINISTRATOR in the guild.
    case manager
    case grant(GrantLevel)
    case none

    public enum GrantLevel: String, Sendable, CaseIterable { case admin, editor, viewer }
}

/// The permission rules of the guild-settings feature.
public enum ModuleAccessPolicy {
    public static func mayRead(_ access: GuildAccess) -> Bool {
        access != .none
    }

    /// Owners, managers and admin or editor grants may switch modules; viewers may not.
    public static func mayToggle(_ access: GuildAccess) -> Bool {
        switch access {
        case .owner, .manager, .grant(.admin), .grant(.editor): return true
        case .grant(.viewer), .none: return false
        }
    }
}
