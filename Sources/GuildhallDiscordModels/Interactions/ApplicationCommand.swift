
/// A command definition: what bulk overwrite (`PUT /applications/{id}/commands`) sends, and
/// what Discord returns with `id`, `application_id` and `version` filled in.
public struct ApplicationCommand: Codable, Hashable, Sendable {
    public var id: Snowflake?
    /// CHAT_INPUT when absent.
    public var type: ApplicationCommandType?
    public var applicationID: Snowflake?
    public var guildID: Snowflake?
    public var name: String
    public var nameLocalizations: [String: String]?
    /// Required (1–100 characters) for slash commands, empty for context menus.
    public var description: String?
    public var descriptionLocalizations: [String: String]?
    public var options: [ApplicationCommandOption]?
    /// Who may use it by default: `"0"` admins only, absent everyone.
    public var defaultMemberPermissions: Permissions?
    /// Deprecated in favour of `contexts`.
    public var dmPermission: Bool?
    public var nsfw: Bool?
    public var contexts: [InteractionContextType]?
    public var integrationTypes: [ApplicationIntegrationType]?
    /// Entry-point commands only: 1 the app handles it, 2 Discord launches the activity.
    public var handler: Int?
    public var version: Snowflake?

    public init(
        id: Snowflake? = nil, type: ApplicationCommandType? = .chatInput, applicationID: Snowflake? = nil,
        guildID: Snowflake? = nil, name: String, nameLocalizations: [String: String]? = nil, description: String? = nil,
        descriptionLocalizations: [String: String]? = nil, options: [ApplicationCommandOption]? = nil,
        defaultMemberPermissions: Permissions? = nil, dmPermission: Bool? = nil, nsfw: Bool? = nil,
        contexts: [InteractionContextType]? = nil, integrationTypes: [ApplicationIntegrationType]? = nil,
        handler: Int? = nil, version: Snowflake? = nil
    ) {
        self.id = id
        self.type = type
        self.applicationID = applicationID
        self.guildID = guildID
        self.name = name
        self.nameLocalizations = nameLocalizations
        self.description = description
        self.descriptionLocalizations = descriptionLocalizations
        self.options = options
        self.defaultMemberPermissions = defaultMemberPermissions
        self.dmPermission = dmPermission
        self.nsfw = nsfw
        self.contexts = contexts
        self.integrationTypes = integrationTypes
        self.handler = handler
        self.version = version
    }

    /// A guild-only slash command.
    public static func slash(
        _ name: String, description: String, options: [ApplicationCommandOption]? = nil,
        defaultMemberPermissions: Permissions? = nil
    ) -> ApplicationCommand {
        ApplicationCommand(
            type: .chatInput, name: name, description: description, options: options,
            defaultMemberPermissions: defaultMemberPermissions, contexts: [.guild]
        )
    }

    enum CodingKeys: String, CodingKey {
        case id, type, name, description, options, nsfw, contexts, handler, version
        case applicationID = "application_id"
        case guildID = "guild_id"
        case nameLocalizations = "name_localizations"
        case descriptionLocalizations = "description_localizations"
        case defaultMemberPermissions = "default_member_permissions"
        case dmPermission = "dm_permission"
        case integrationTypes = "integration_types"
    }
}
