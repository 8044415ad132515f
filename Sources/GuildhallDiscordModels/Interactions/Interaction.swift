
/// An interaction: a slash command, a component click, an autocomplete request or a modal
/// submission, from INTERACTION_CREATE or the HTTP endpoint. `id` and `token` are required
/// (without them it cannot be answered); the rest is optional so partial payloads decode.
public struct Interaction: Hashable, Sendable {
    public var id: Snowflake
    public var applicationID: Snowflake?
    public var type: InteractionType
    public var data: InteractionData?
    public var guildID: Snowflake?
    public var channel: Channel?
    public var channelID: Snowflake?
    /// The invoker in a guild, with `permissions` in this channel.
    public var member: GuildMember?
    /// The invoker in a DM.
    public var user: User?
    public var token: String
    /// Always 1.
    public var version: Int?
    /// The message a component was on.
    public var message: Message?
    /// The bot's permissions in this channel.
    public var appPermissions: Permissions?
    public var locale: String?
    public var guildLocale: String?
    /// The invoking user's and guild's entitlements.
    public var entitlements: [Entitlement]?
    /// Installation context ids keyed by integration type ("0" guild, "1" user).
    public var authorizingIntegrationOwners: [String: Snowflake]?
    public var context: InteractionContextType?
    public var attachmentSizeLimit: Int?

    public init(
        id: Snowflake, applicationID: Snowflake? = nil, type: InteractionType, data: InteractionData? = nil,
        guildID: Snowflake? = nil, channel: Channel? = nil, channelID: Snowflake? = nil, member: GuildMember? = nil,
        user: User? = nil, token: String, version: Int? = 1, message: Message? = nil, appPermissions: Permissions? = nil,
        locale: String? = nil, guildLocale: String? = nil, entitlements: [Entitlement]? = nil,
        authorizingIntegrationOwners: [String: Snowflake]? = nil, context: InteractionContextType? = nil,
        attachmentSizeLimit: Int? = nil
    ) {
        self.id = id
        self.applicationID = applicationID
        self.type = type
        self.data = data
        self.guildID = guildID
        self.channel = channel
        self.channelID = channelID
        self.member = member
        self.user = user
        self.token = token
        self.version = version
        self.message = message
        self.appPermissions = appPermissions
        self.locale = locale
        self.guildLocale = guildLocale
        self.entitlements = entitlements
        self.authorizingIntegrationOwners = authorizingIntegrationOwners
        self.context = context
        self.attachmentSizeLimit = attachmentSizeLimit
    }

    /// Who used it: the member's user in a guild, `user` in a DM.
    public var invoker: User? { member?.user ?? user }

    public var commandData: ApplicationCommandInteractionData? {
        if case .applicationCommand(let data) = data { return data }
        return nil
    }

    public var componentData: MessageComponentInteractionData? {
        if case .messageComponent(let data) = data { return data }
        return nil
    }

    public var modalData: ModalSubmitInteractionData? {
        if case .modalSubmit(let data) = data { return data }
        return nil
    }

    enum CodingKeys: String, CodingKey {
        case id, type, data, channel, member, user, token, version, message, locale, entitlements, context
        case applicationID = "application_id"
        case guildID = "guild_id"
        case channelID = "channel_id"
        case appPermissions = "app_permissions"
        case guildLocale = "guild_locale"
        case authorizingIntegrationOwners = "authorizing_integration_owners"
        case attachmentSizeLimit = "attachment_size_limit"
    }
}

extension Interaction: Codable {
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        id = try container.decode(Snowflake.self, forKey: .id)
        applicationID = try container.decodeIfPresent(Snowflake.self, forKey: .applicationID)
        type = try container.decode(InteractionType.self, forKey: .type)
        if container.contains(.data), try !container.decodeNil(forKey: .data) {
            switch type {
            case .applicationCommand, .applicationCommandAutocomplete:
                data = .applicationCommand(try container.decode(ApplicationCommandInteractionData.self, forKey: .data))
            case .messageComponent:
                data = .messageComponent(try container.decode(MessageComponentInteractionData.self, forKey: .data))
            case .modalSubmit:
                data = .modalSubmit(try container.decode(ModalSubmitInteractionData.self, forKey: .data))
            default:
                data = .unknown(try container.decode(JSONValue.self, forKey: .data))
            }
        } else {
            data = nil
        }
        guildID = try container.decodeIfPresent(Snowflake.self, forKey: .guildID)
        channel = try container.decodeIfPresent(Channel.self, forKey: .channel)
        channelID = try container.decodeIfPresent(Snowflake.self, forKey: .channelID)
        member = try container.decodeIfPresent(GuildMember.self, forKey: .member)
        user = try container.decodeIfPresent(User.self, forKey: .user)
        token = try container.decode(String.self, forKey: .token)
        version = try container.decodeIfPresent(Int.self, forKey: .version)
        message = try container.decodeIfPresent(Message.self, forKey: .message)
        appPermissions = try container.decodeIfPresent(Permissions.self, forKey: .appPermissions)
        locale = try container.decodeIfPresent(String.self, forKey: .locale)
        guildLocale = try container.decodeIfPresent(String.self, forKey: .guildLocale)
        entitlements = try container.decodeIfPresent([Entitlement].self, forKey: .entitlements)
        authorizingIntegrationOwners = try container.decodeIfPresent([String: Snowflake].self, forKey: .authorizingIntegrationOwners)
        context = try container.decodeIfPresent(InteractionContextType.self, forKey: .context)
        attachmentSizeLimit = try container.decodeIfPresent(Int.self, forKey: .attachmentSizeLimit)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(id, forKey: .id)
        try container.encodeIfPresent(applicationID, forKey: .applicationID)
        try container.encode(type, forKey: .type)
        try container.encodeIfPresent(data, forKey: .data)
        try container.encodeIfPresent(guildID, forKey: .guildID)
        try container.encodeIfPresent(channel, forKey: .channel)
        try container.encodeIfPresent(channelID, forKey: .channelID)
        try container.encodeIfPresent(member, forKey: .member)
        try container.encodeIfPresent(user, forKey: .user)
        try container.encode(token, forKey: .token)
        try container.encodeIfPresent(version, forKey: .version)
        try container.encodeIfPresent(message, forKey: .message)
        try container.encodeIfPresent(appPermissions, forKey: .appPermissions)
        try container.encodeIfPresent(locale, forKey: .locale)
        try container.encodeIfPresent(guildLocale, forKey: .guildLocale)
        try container.encodeIfPresent(entitlements, forKey: .entitlements)
        try container.encodeIfPresent(authorizingIntegrationOwners, forKey: .authorizingIntegrationOwners)
        try container.encodeIfPresent(context, forKey: .context)
        try container.encodeIfPresent(attachmentSizeLimit, forKey: .attachmentSizeLimit)
    }
}
