/// A fixed choice of a string, integer or number option; also an autocomplete suggestion.
public struct ApplicationCommandOptionChoice: Codable, Hashable, Sendable {
    public var name: String
    public var nameLocalizations: [String: String]?
    public var value: CommandOptionValue

    public init(name: String, nameLocalizations: [String: String]? = nil, value: CommandOptionValue) {
        self.name = name
        self.nameLocalizations = nameLocalizations
        self.value = value
    }

    enum CodingKeys: String, CodingKey {
        case name, value
        case nameLocalizations = "name_localizations"
    }
}
