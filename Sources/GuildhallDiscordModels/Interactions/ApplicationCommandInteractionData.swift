
/// `data` of an APPLICATION_COMMAND or APPLICATION_COMMAND_AUTOCOMPLETE interaction.
public struct ApplicationCommandInteractionData: Codable, Hashable, Sendable {
    public var id: Snowflake
    public var name: String
    public var type: ApplicationCommandType?
    public var resolved: ResolvedData?
    public var options: [ApplicationCommandInteractionOption]?
    /// Set when the command is registered in one guild.
    public var guildID: Snowflake?
    /// The user or message a context-menu command was used on.
    public var targetID: Snowflake?

    public init(
        id: Snowflake, name: String, type: ApplicationCommandType? = .chatInput, resolved: ResolvedData? = nil,
        options: [ApplicationCommandInteractionOption]? = nil, guildID: Snowflake? = nil, targetID: Snowflake? = nil
    ) {
        self.id = id
        self.name = name
        self.type = type
        self.resolved = resolved
        self.options = options
        self.guildID = guildID
        self.targetID = targetID
    }

    /// The subcommand group and subcommand names chosen, outermost first (`["user", "get"]`).
    public var subcommandPath: [String] {
        var path: [String] = []
        var current = options ?? []
        while let first = current.first, first.type.isSubcommandOrGroup {
            path.append(first.name)
            current = first.options ?? []
        }
        return path
    }

    /// The options of the innermost subcommand chosen (the top-level options when none).
    public var leafOptions: [ApplicationCommandInteractionOption] {
        var current = options ?? []
        while let first = current.first, first.type.isSubcommandOrGroup {
            current = first.options ?? []
        }
        return current
    }

    /// The leaf option called `name`.
    public func option(_ name: String) -> ApplicationCommandInteractionOption? {
        leafOptions.first { $0.name == name }
    }

    /// The option the user is typing in, for autocomplete.
    public var focusedOption: ApplicationCommandInteractionOption? {
        leafOptions.first { $0.focused == true }
    }

    enum CodingKeys: String, CodingKey {
        case id, name, type, resolved, options
        case guildID = "guild_id"
        case targetID = "target_id"
    }
}
