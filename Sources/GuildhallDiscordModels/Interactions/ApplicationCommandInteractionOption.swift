/// One option the user filled in, or a subcommand (group) holding further options.
public struct ApplicationCommandInteractionOption: Codable, Hashable, Sendable {
    public var name: String
    public var type: ApplicationCommandOptionType
    public var value: CommandOptionValue?
    public var options: [ApplicationCommandInteractionOption]?
    /// The option the user is typing in (autocomplete only).
    public var focused: Bool?

    public init(
        name: String, type: ApplicationCommandOptionType, value: CommandOptionValue? = nil,
        options: [ApplicationCommandInteractionOption]? = nil, focused: Bool? = nil
    ) {
        self.name = name
        self.type = type
        self.value = value
        self.options = options
        self.focused = focused
    }
}
