
/// A Discord user (`GET /users/@me`, message authors, members' `user`). Only `id` and
/// `username` are required; everything else is optional so partial users decode.
public struct User: Codable, Hashable, Sendable {
    public var id: Snowflake
    public var username: String
    /// `"0"` for users on the new username system.
    public var discriminator: String?
    public var globalName: String?
    public var avatar: String?
    public var bot: Bool?
    public var system: Bool?
    public var mfaEnabled: Bool?
    public var banner: String?
    public var accentColor: Int?
    public var locale: String?
    public var verified: Bool?
    public var email: String?
    public var flags: Int?
    public var premiumType: Int?
    public var publicFlags: Int?

    public init(
        id: Snowflake, username: String, discriminator: String? = nil, globalName: String? = nil, avatar: String? = nil,
        bot: Bool? = nil, system: Bool? = nil, mfaEnabled: Bool? = nil, banner: String? = nil, accentColor: Int? = nil,
        locale: String? = nil, verified: Bool? = nil, email: String? = nil, flags: Int? = nil, premiumType: Int? = nil,
        publicFlags: Int? = nil
    ) {
        self.id = id
        self.username = username
        self.discriminator = discriminator
        self.globalName = globalName
        self.avatar = avatar
        self.bot = bot
        self.system = system
        self.mfaEnabled = mfaEnabled
        self.banner = banner
        self.accentColor = accentColor
        self.locale = locale
        self.verified = verified
        self.email = email
        self.flags = flags
        self.premiumType = premiumType
        self.publicFlags = publicFlags
    }

    /// True for bot accounts (absent means a person).
    public var isBot: Bool { bot ?? false }

    /// What Discord shows: the display name when set, else the username.
    public var displayName: String { globalName ?? username }

    enum CodingKeys: String, CodingKey {
        case id, username, discriminator, avatar, bot, system, banner, locale, verified, email, flags
        case globalName = "global_name"
        case mfaEnabled = "mfa_enabled"
        case accentColor = "accent_color"
        case premiumType = "premium_type"
        case publicFlags = "public_flags"
    }
}
