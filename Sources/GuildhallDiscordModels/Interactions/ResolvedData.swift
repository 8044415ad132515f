
/// The users, members, roles, channels, messages and attachments an interaction refers to,
/// by id. Members here carry no `user` (look it up in `users` under the same id).
public struct ResolvedData: Hashable, Sendable {
    public var users: [Snowflake: User]
    public var members: [Snowflake: GuildMember]
    public var roles: [Snowflake: Role]
    public var channels: [Snowflake: Channel]
    public var messages: [Snowflake: Message]
    public var attachments: [Snowflake: Attachment]

    public init(
        users: [Snowflake: User] = [:], members: [Snowflake: GuildMember] = [:], roles: [Snowflake: Role] = [:],
        channels: [Snowflake: Channel] = [:], messages: [Snowflake: Message] = [:],
        attachments: [Snowflake: Attachment] = [:]
    ) {
        self.users = users
        self.members = members
        self.roles = roles
        self.channels = channels
        self.messages = messages
        self.attachments = attachments
    }

    /// The member under `id` with its `user` filled in from `users`.
    public func member(_ id: Snowflake) -> GuildMember? {
        guard var member = members[id] else { return nil }
        if member.user == nil { member.user = users[id] }
        return member
    }

    enum CodingKeys: String, CodingKey {
        case users, members, roles, channels, messages, attachments
    }
}

extension ResolvedData: Codable {
    // JSON object keys are strings; Codable would turn a Snowflake-keyed dictionary into an
    // array, so the maps are converted by hand.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        users = try Self.decodeMap(container, .users)
        members = try Self.decodeMap(container, .members)
        roles = try Self.decodeMap(container, .roles)
        channels = try Self.decodeMap(container, .channels)
        messages = try Self.decodeMap(container, .messages)
        attachments = try Self.decodeMap(container, .attachments)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try Self.encodeMap(users, &container, .users)
        try Self.encodeMap(members, &container, .members)
        try Self.encodeMap(roles, &container, .roles)
        try Self.encodeMap(channels, &container, .channels)
        try Self.encodeMap(messages, &container, .messages)
        try Self.encodeMap(attachments, &container, .attachments)
    }

    private static func decodeMap<Value: Decodable>(
        _ container: KeyedDecodingContainer<CodingKeys>, _ key: CodingKeys
    ) throws -> [Snowflake: Value] {
        guard let raw = try container.decodeIfPresent([String: Value].self, forKey: key) else { return [:] }
        var result: [Snowflake: Value] = [:]
        result.reserveCapacity(raw.count)
        for (text, value) in raw {
            guard let id = Snowflake(text) else {
                throw DecodingError.dataCorruptedError(forKey: key, in: container, debugDescription: "'\(text)' is not a snowflake")
            }
            result[id] = value
        }
        return result
    }

    private static func encodeMap<Value: Encodable>(
        _ map: [Snowflake: Value], _ container: inout KeyedEncodingContainer<CodingKeys>, _ key: CodingKeys
    ) throws {
        guard !map.isEmpty else { return }
        var raw: [String: Value] = [:]
        for (id, value) in map { raw[id.description] = value }
        try container.encode(raw, forKey: key)
    }
}
