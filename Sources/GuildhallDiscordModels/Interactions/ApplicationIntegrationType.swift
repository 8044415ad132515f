/// How an app is installed: to a guild, or to a user's account.
public struct ApplicationIntegrationType: DiscordIntEnum {
    public let rawValue: Int
    public init(rawValue: Int) { self.rawValue = rawValue }

    public static let guildInstall: ApplicationIntegrationType = 0
    public static let userInstall: ApplicationIntegrationType = 1

    public static let knownNames: [Int: String] = [0: "GUILD_INSTALL", 1: "USER_INSTALL"]
}
