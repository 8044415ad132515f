
/// An emoji: custom (with `id`) or unicode (`id` null, `name` the character). Also the partial
/// form used in reactions and components.
public struct Emoji: Codable, Hashable, Sendable {
    public var id: Snowflake?
    public var name: String?
    public var roles: [Snowflake]?
    public var user: User?
    public var requireColons: Bool?
    public var managed: Bool?
    public var animated: Bool?
    public var available: Bool?

    public init(
        id: Snowflake? = nil, name: String?, roles: [Snowflake]? = nil, user: User? = nil, requireColons: Bool? = nil,
        managed: Bool? = nil, animated: Bool? = nil, available: Bool? = nil
    ) {
        self.id = id
        self.name = name
        self.roles = roles
        self.user = user
        self.requireColons = requireColons
        self.managed = managed
        self.animated = animated
        self.available = available
    }

    /// A unicode emoji such as "🎉".
    public static func unicode(_ character: String) -> Emoji { Emoji(name: character) }

    /// The form reaction routes take in their path: the character, or `name:id` for custom
    /// emoji (the caller URL-encodes it).
    public var reactionIdentifier: String {
        guard let id else { return name ?? "" }
        return "\(name ?? "_"):\(id)"
    }

    enum CodingKeys: String, CodingKey {
        case id, name, roles, user, managed, animated, available
        case requireColons = "require_colons"
    }
}
