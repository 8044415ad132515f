
/// A guild role. The @everyone role's id is the guild's id and its position is 0.
public struct Role: Codable, Hashable, Sendable {
    public var id: Snowflake
    public var name: String
    public var color: Int
    public var colors: Colors?
    public var hoist: Bool
    public var icon: String?
    public var unicodeEmoji: String?
    public var position: Int
    public var permissions: Permissions
    /// Held by an integration (a bot's own role, the booster role): nobody assigns it by hand.
    public var managed: Bool
    public var mentionable: Bool
    public var tags: RoleTags?
    public var flags: Int?

    public init(
        id: Snowflake, name: String, color: Int = 0, colors: Colors? = nil, hoist: Bool = false, icon: String? = nil,
        unicodeEmoji: String? = nil, position: Int, permissions: Permissions, managed: Bool = false,
        mentionable: Bool = false, tags: RoleTags? = nil, flags: Int? = nil
    ) {
        self.id = id
        self.name = name
        self.color = color
        self.colors = colors
        self.hoist = hoist
        self.icon = icon
        self.unicodeEmoji = unicodeEmoji
        self.position = position
        self.permissions = permissions
        self.managed = managed
        self.mentionable = mentionable
        self.tags = tags
        self.flags = flags
    }

    /// A role's gradient colours (the newer form of `color`).
    public struct Colors: Codable, Hashable, Sendable {
        public var primaryColor: Int
        public var secondaryColor: Int?
        public var tertiaryColor: Int?

        public init(primaryColor: Int, secondaryColor: Int? = nil, tertiaryColor: Int? = nil) {
            self.primaryColor = primaryColor
            self.secondaryColor = secondaryColor
            self.tertiaryColor = tertiaryColor
        }

        enum CodingKeys: String, CodingKey {
            case primaryColor = "primary_color"
            case secondaryColor = "secondary_color"
            case tertiaryColor = "tertiary_color"
        }
    }

    enum CodingKeys: String, CodingKey {
        case id, name, color, colors, hoist, icon, position, permissions, managed, mentionable, tags, flags
        case unicodeEmoji = "unicode_emoji"
    }
}
