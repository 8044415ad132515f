
/// Which mentions in a message may ping (FACTS.md §8). The default parses nothing, so user
/// text echoed by the bot can never ping @everyone, a role or a user unless a feature lists
/// them explicitly. Encodes as `{"parse":[]}`.
public struct AllowedMentions: Hashable, Sendable {
    /// A kind of mention Discord may parse from the content.
    public struct Kind: RawRepresentable, Codable, Hashable, Sendable, ExpressibleByStringLiteral {
        public let rawValue: String
        public init(rawValue: String) { self.rawValue = rawValue }
        public init(stringLiteral value: String) { self.rawValue = value }

        public static let users: Kind = "users"
        public static let roles: Kind = "roles"
        /// `@everyone` and `@here`.
        public static let everyone: Kind = "everyone"
    }

    public var parse: [Kind]
    /// Users allowed to ping (at most 100; not together with `parse` containing `users`).
    public var users: [Snowflake]?
    /// Roles allowed to ping (at most 100; not together with `parse` containing `roles`).
    public var roles: [Snowflake]?
    /// Whether a reply pings the replied-to author.
    public var repliedUser: Bool?

    public init(parse: [Kind] = [], users: [Snowflake]? = nil, roles: [Snowflake]? = nil, repliedUser: Bool? = nil) {
        self.parse = parse
        self.users = users
        self.roles = roles
        self.repliedUser = repliedUser
    }

    /// Nothing pings.
    public static let parseNothing = AllowedMentions()

    /// Only the listed users and roles ping.
    public static func only(users: [Snowflake] = [], roles: [Snowflake] = [], repliedUser: Bool? = nil) -> AllowedMentions {
        AllowedMentions(users: users.isEmpty ? nil : users, roles: roles.isEmpty ? nil : roles, repliedUser: repliedUser)
    }

    enum CodingKeys: String, CodingKey {
        case parse, users, roles
        case repliedUser = "replied_user"
    }
}

extension AllowedMentions: Codable {
    /// An object without `parse` parses nothing, as on Discord.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        parse = try container.decodeIfPresent([Kind].self, forKey: .parse) ?? []
        users = try container.decodeIfPresent([Snowflake].self, forKey: .users)
        roles = try container.decodeIfPresent([Snowflake].self, forKey: .roles)
        repliedUser = try container.decodeIfPresent(Bool.self, forKey: .repliedUser)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(parse, forKey: .parse)
        try container.encodeIfPresent(users, forKey: .users)
        try container.encodeIfPresent(roles, forKey: .roles)
        try container.encodeIfPresent(repliedUser, forKey: .repliedUser)
    }
}
