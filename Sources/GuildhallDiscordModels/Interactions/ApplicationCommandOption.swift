/// An option of a command definition: a parameter, or a subcommand (group) with its own.
public struct ApplicationCommandOption: Codable, Hashable, Sendable {
    public var type: ApplicationCommandOptionType
    public var name: String
    public var nameLocalizations: [String: String]?
    public var description: String
    public var descriptionLocalizations: [String: String]?
    public var required: Bool?
    public var choices: [ApplicationCommandOptionChoice]?
    public var options: [ApplicationCommandOption]?
    public var channelTypes: [ChannelType]?
    public var minValue: CommandOptionValue?
    public var maxValue: CommandOptionValue?
    public var minLength: Int?
    public var maxLength: Int?
    public var autocomplete: Bool?

    public init(
        type: ApplicationCommandOptionType, name: String, nameLocalizations: [String: String]? = nil, description: String,
        descriptionLocalizations: [String: String]? = nil, required: Bool? = nil,
        choices: [ApplicationCommandOptionChoice]? = nil, options: [ApplicationCommandOption]? = nil,
        channelTypes: [ChannelType]? = nil, minValue: CommandOptionValue? = nil, maxValue: CommandOptionValue? = nil,
        minLength: Int? = nil, maxLength: Int? = nil, autocomplete: Bool? = nil
    ) {
        self.type = type
        self.name = name
        self.nameLocalizations = nameLocalizations
        self.description = description
        self.descriptionLocalizations = descriptionLocalizations
        self.required = required
        self.choices = choices
        self.options = options
        self.channelTypes = channelTypes
        self.minValue = minValue
        self.maxValue = maxValue
        self.minLength = minLength
        self.maxLength = maxLength
        self.autocomplete = autocomplete
    }

    enum CodingKeys: String, CodingKey {
        case type, name, description, required, choices, options, autocomplete
        case nameLocalizations = "name_localizations"
        case descriptionLocalizations = "description_localizations"
        case channelTypes = "channel_types"
        case minValue = "min_value"
        case maxValue = "max_value"
        case minLength = "min_length"
        case maxLength = "max_length"
    }
}
