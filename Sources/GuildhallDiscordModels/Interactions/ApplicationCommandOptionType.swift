/// A command option's `type`.
public struct ApplicationCommandOptionType: DiscordIntEnum {
    public let rawValue: Int
    public init(rawValue: Int) { self.rawValue = rawValue }

    public static let subCommand: ApplicationCommandOptionType = 1
    public static let subCommandGroup: ApplicationCommandOptionType = 2
    public static let string: ApplicationCommandOptionType = 3
    /// Any integer between -2^53 and 2^53.
    public static let integer: ApplicationCommandOptionType = 4
    public static let boolean: ApplicationCommandOptionType = 5
    public static let user: ApplicationCommandOptionType = 6
    public static let channel: ApplicationCommandOptionType = 7
    public static let role: ApplicationCommandOptionType = 8
    public static let mentionable: ApplicationCommandOptionType = 9
    /// A double.
    public static let number: ApplicationCommandOptionType = 10
    public static let attachment: ApplicationCommandOptionType = 11

    public static let knownNames: [Int: String] = [
        1: "SUB_COMMAND", 2: "SUB_COMMAND_GROUP", 3: "STRING", 4: "INTEGER", 5: "BOOLEAN", 6: "USER", 7: "CHANNEL",
        8: "ROLE", 9: "MENTIONABLE", 10: "NUMBER", 11: "ATTACHMENT",
    ]

    /// Subcommands and groups hold options rather than a value.
    public var isSubcommandOrGroup: Bool { self == .subCommand || self == .subCommandGroup }
}
