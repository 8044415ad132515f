/// Why an action may not happen, typed so a command can explain it and an API can return
/// a stable code.
public struct ModerationRefusal: Error, Hashable, Sendable, CustomStringConvertible {
    public struct Code: RawRepresentable, Hashable, Sendable, CustomStringConvertible, ExpressibleByStringLiteral {
        public let rawValue: String
        public init(rawValue: String) { self.rawValue = rawValue }
        public init(stringLiteral value: String) { self.rawValue = value }
        public var description: String { rawValue }

        /// Nobody moderates themselves.
        public static let targetIsSelf: Code = "target_is_self"
        /// Nobody acts on the guild owner.
        public static let targetIsOwner: Code = "target_is_owner"
        /// Administrators cannot be timed out.
        public static let targetIsAdministrator: Code = "target_is_administrator"
        public static let missingPermissions: Code = "missing_permissions"
        /// The target's highest role is not strictly below the acting member's.
        public static let targetNotBelow: Code = "target_not_below"
        public static let unknownRole: Code = "unknown_role"
        /// @everyone is held by all and assigned to nobody.
        public static let roleIsEveryone: Code = "role_is_everyone"
        /// Integration roles (bots, boosters) are not assigned by hand.
        public static let roleIsManaged: Code = "role_is_managed"
        /// The role is not strictly below the acting member's highest role.
        public static let roleNotBelow: Code = "role_not_below"
        public static let timeoutNotInFuture: Code = "timeout_not_in_future"
        /// Timeouts last at most 28 days.
        public static let timeoutTooLong: Code = "timeout_too_long"
    }

    /// Whose side fails: the member who asked, or the bot that would carry it out.
    public enum Party: String, Hashable, Sendable {
        case actor
        case bot
    }

    public var code: Code
    /// `nil` for refusals about the request itself (timeout lengths).
    public var party: Party?
    /// The permissions lacking, for `missingPermissions`.
    public var missingPermissions: Permissions
    /// A sentence for the person who asked ("I cannot ban the server owner.").
    public var message: String

    public init(code: Code, party: Party?, missingPermissions: Permissions = [], message: String) {
        self.code = code
        self.party = party
        self.missingPermissions = missingPermissions
        self.message = message
    }

    public var description: String { "\(code): \(message)" }
}
