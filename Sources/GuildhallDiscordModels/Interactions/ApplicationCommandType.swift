/// An application command's `type`: slash command, user or message context menu, entry point.
public struct ApplicationCommandType: DiscordIntEnum {
    public let rawValue: Int
    public init(rawValue: Int) { self.rawValue = rawValue }

    public static let chatInput: ApplicationCommandType = 1
    public static let user: ApplicationCommandType = 2
    public static let message: ApplicationCommandType = 3
    public static let primaryEntryPoint: ApplicationCommandType = 4

    public static let knownNames: [Int: String] = [1: "CHAT_INPUT", 2: "USER", 3: "MESSAGE", 4: "PRIMARY_ENTRY_POINT"]
}
