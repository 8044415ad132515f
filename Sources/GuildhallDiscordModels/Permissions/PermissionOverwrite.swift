
/// A channel's permission overwrite for one role or member (`id` is the role's or user's id;
/// the @everyone overwrite has the guild's id).
public struct PermissionOverwrite: Codable, Hashable, Sendable {
    public var id: Snowflake
    public var type: OverwriteType
    public var allow: Permissions
    public var deny: Permissions

    public init(id: Snowflake, type: OverwriteType, allow: Permissions = [], deny: Permissions = []) {
        self.id = id
        self.type = type
        self.allow = allow
        self.deny = deny
    }

    public static func role(_ id: Snowflake, allow: Permissions = [], deny: Permissions = []) -> PermissionOverwrite {
        PermissionOverwrite(id: id, type: .role, allow: allow, deny: deny)
    }

    public static func member(_ id: Snowflake, allow: Permissions = [], deny: Permissions = []) -> PermissionOverwrite {
        PermissionOverwrite(id: id, type: .member, allow: allow, deny: deny)
    }

    /// Clears `deny`, then sets `allow` (Discord's order).
    public func apply(to permissions: Permissions) -> Permissions {
        permissions.subtracting(deny).union(allow)
    }
}
