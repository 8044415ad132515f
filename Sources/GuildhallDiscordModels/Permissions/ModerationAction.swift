/// An action one member takes against another, each guarded by a permission and the role
/// hierarchy (FACTS.md §5.2).
public enum ModerationAction: String, Hashable, Sendable, CaseIterable {
    case kick
    case ban
    /// Setting or clearing a timeout.
    case timeout
    case changeNickname

    /// The guild permission the action needs.
    public var requiredPermission: Permissions {
        switch self {
        case .kick: .kickMembers
        case .ban: .banMembers
        case .timeout: .moderateMembers
        case .changeNickname: .manageNicknames
        }
    }

    /// How refusals phrase it: "cannot <verb> the server owner".
    public var verb: String {
        switch self {
        case .kick: "kick"
        case .ban: "ban"
        case .timeout: "time out"
        case .changeNickname: "change the nickname of"
        }
    }
}
