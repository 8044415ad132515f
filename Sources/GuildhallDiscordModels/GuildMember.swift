
/// A member of a guild. `user` is absent in MESSAGE_CREATE's `member` and in interaction
/// `resolved.members`; `permissions` is present only in interactions (the invoker's
/// permissions in the channel, overwrites applied).
public struct GuildMember: Hashable, Sendable {
    public var user: User?
    public var nick: String?
    public var avatar: String?
    public var banner: String?
    public var roles: [Snowflake]
    public var joinedAt: DiscordTimestamp?
    public var premiumSince: DiscordTimestamp?
    public var deaf: Bool?
    public var mute: Bool?
    public var flags: Int?
    public var pending: Bool?
    public var permissions: Permissions?
    /// When the member's timeout ends; in the past or `nil` means not timed out.
    public var communicationDisabledUntil: DiscordTimestamp?

    public init(
        user: User? = nil, nick: String? = nil, avatar: String? = nil, banner: String? = nil, roles: [Snowflake] = [],
        joinedAt: DiscordTimestamp? = nil, premiumSince: DiscordTimestamp? = nil, deaf: Bool? = nil, mute: Bool? = nil,
        flags: Int? = nil, pending: Bool? = nil, permissions: Permissions? = nil,
        communicationDisabledUntil: DiscordTimestamp? = nil
    ) {
        self.user = user
        self.nick = nick
        self.avatar = avatar
        self.banner = banner
        self.roles = roles
        self.joinedAt = joinedAt
        self.premiumSince = premiumSince
        self.deaf = deaf
        self.mute = mute
        self.flags = flags
        self.pending = pending
        self.permissions = permissions
        self.communicationDisabledUntil = communicationDisabledUntil
    }

    /// True while a timeout is running at `now`.
    public func isTimedOut(at now: DiscordTimestamp) -> Bool {
        guard let until = communicationDisabledUntil else { return false }
        return until > now
    }

    enum CodingKeys: String, CodingKey {
        case user, nick, avatar, banner, roles, deaf, mute, flags, pending, permissions
        case joinedAt = "joined_at"
        case premiumSince = "premium_since"
        case communicationDisabledUntil = "communication_disabled_until"
    }
}

extension GuildMember: Codable {
    /// Written out only to read `user` leniently: Discord's own member example carries
    /// `"user": {}`, and a member whose user cannot be read is still a member.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        user = try? container.decodeIfPresent(User.self, forKey: .user)
        nick = try container.decodeIfPresent(String.self, forKey: .nick)
        avatar = try container.decodeIfPresent(String.self, forKey: .avatar)
        banner = try container.decodeIfPresent(String.self, forKey: .banner)
        roles = try container.decodeIfPresent([Snowflake].self, forKey: .roles) ?? []
        joinedAt = try container.decodeIfPresent(DiscordTimestamp.self, forKey: .joinedAt)
        premiumSince = try container.decodeIfPresent(DiscordTimestamp.self, forKey: .premiumSince)
        deaf = try container.decodeIfPresent(Bool.self, forKey: .deaf)
        mute = try container.decodeIfPresent(Bool.self, forKey: .mute)
        flags = try container.decodeIfPresent(Int.self, forKey: .flags)
        pending = try container.decodeIfPresent(Bool.self, forKey: .pending)
        permissions = try container.decodeIfPresent(Permissions.self, forKey: .permissions)
        communicationDisabledUntil = try container.decodeIfPresent(DiscordTimestamp.self, forKey: .communicationDisabledUntil)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encodeIfPresent(user, forKey: .user)
        try container.encodeIfPresent(nick, forKey: .nick)
        try container.encodeIfPresent(avatar, forKey: .avatar)
        try container.encodeIfPresent(banner, forKey: .banner)
        try container.encode(roles, forKey: .roles)
        try container.encodeIfPresent(joinedAt, forKey: .joinedAt)
        try container.encodeIfPresent(premiumSince, forKey: .premiumSince)
        try container.encodeIfPresent(deaf, forKey: .deaf)
        try container.encodeIfPresent(mute, forKey: .mute)
        try container.encodeIfPresent(flags, forKey: .flags)
        try container.encodeIfPresent(pending, forKey: .pending)
        try container.encodeIfPresent(permissions, forKey: .permissions)
        try container.encodeIfPresent(communicationDisabledUntil, forKey: .communicationDisabledUntil)
    }
}
