/// Where a command may be used: in guilds, in the bot's DMs, in other private channels.
public struct InteractionContextType: DiscordIntEnum {
    public let rawValue: Int
    public init(rawValue: Int) { self.rawValue = rawValue }

    public static let guild: InteractionContextType = 0
    public static let botDM: InteractionContextType = 1
    public static let privateChannel: InteractionContextType = 2

    public static let knownNames: [Int: String] = [0: "GUILD", 1: "BOT_DM", 2: "PRIVATE_CHANNEL"]
}
