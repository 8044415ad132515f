/// A channel's `type`. Open: an unknown number decodes and round-trips.
public struct ChannelType: DiscordIntEnum {
    public let rawValue: Int
    public init(rawValue: Int) { self.rawValue = rawValue }

    public static let guildText: ChannelType = 0
    public static let dm: ChannelType = 1
    public static let guildVoice: ChannelType = 2
    public static let groupDM: ChannelType = 3
    public static let guildCategory: ChannelType = 4
    public static let guildAnnouncement: ChannelType = 5
    public static let announcementThread: ChannelType = 10
    public static let publicThread: ChannelType = 11
    public static let privateThread: ChannelType = 12
    public static let guildStageVoice: ChannelType = 13
    public static let guildDirectory: ChannelType = 14
    public static let guildForum: ChannelType = 15
    public static let guildMedia: ChannelType = 16

    public static let knownNames: [Int: String] = [
        0: "GUILD_TEXT", 1: "DM", 2: "GUILD_VOICE", 3: "GROUP_DM", 4: "GUILD_CATEGORY", 5: "GUILD_ANNOUNCEMENT",
        10: "ANNOUNCEMENT_THREAD", 11: "PUBLIC_THREAD", 12: "PRIVATE_THREAD", 13: "GUILD_STAGE_VOICE",
        14: "GUILD_DIRECTORY", 15: "GUILD_FORUM", 16: "GUILD_MEDIA",
    ]

    /// Threads take their permissions from their parent channel.
    public var isThread: Bool { self == .announcementThread || self == .publicThread || self == .privateThread }

    /// Direct and group DMs: no guild, no permission overwrites.
    public var isPrivate: Bool { self == .dm || self == .groupDM }
}
