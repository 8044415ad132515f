/// Discord's permission bit set (FACTS.md §5). On the wire a decimal string; inside a UInt64,
/// which holds every bit Discord has documented (the highest is 52).
public struct Permissions: OptionSet, Hashable, Sendable {
    public let rawValue: UInt64

    public init(rawValue: UInt64) {
        self.rawValue = rawValue
    }

    public static let createInstantInvite = Permissions(rawValue: 1 << 0)
    public static let kickMembers = Permissions(rawValue: 1 << 1)
    public static let banMembers = Permissions(rawValue: 1 << 2)
    public static let administrator = Permissions(rawValue: 1 << 3)
    public static let manageChannels = Permissions(rawValue: 1 << 4)
    public static let manageGuild = Permissions(rawValue: 1 << 5)
    public static let addReactions = Permissions(rawValue: 1 << 6)
    public static let viewAuditLog = Permissions(rawValue: 1 << 7)
    public static let prioritySpeaker = Permissions(rawValue: 1 << 8)
    public static let stream = Permissions(rawValue: 1 << 9)
    public static let viewChannel = Permissions(rawValue: 1 << 10)
    public static let sendMessages = Permissions(rawValue: 1 << 11)
    public static let sendTTSMessages = Permissions(rawValue: 1 << 12)
    public static let manageMessages = Permissions(rawValue: 1 << 13)
    public static let embedLinks = Permissions(rawValue: 1 << 14)
    public static let attachFiles = Permissions(rawValue: 1 << 15)
    public static let readMessageHistory = Permissions(rawValue: 1 << 16)
    public static let mentionEveryone = Permissions(rawValue: 1 << 17)
    public static let useExternalEmojis = Permissions(rawValue: 1 << 18)
    public static let viewGuildInsights = Permissions(rawValue: 1 << 19)
    public static let connect = Permissions(rawValue: 1 << 20)
    public static let speak = Permissions(rawValue: 1 << 21)
    public static let muteMembers = Permissions(rawValue: 1 << 22)
    public static let deafenMembers = Permissions(rawValue: 1 << 23)
    public static let moveMembers = Permissions(rawValue: 1 << 24)
    public static let useVoiceActivity = Permissions(rawValue: 1 << 25)
    public static let changeNickname = Permissions(rawValue: 1 << 26)
    public static let manageNicknames = Permissions(rawValue: 1 << 27)
    public static let manageRoles = Permissions(rawValue: 1 << 28)
    public static let manageWebhooks = Permissions(rawValue: 1 << 29)
    public static let manageGuildExpressions = Permissions(rawValue: 1 << 30)
    public static let useApplicationCommands = Permissions(rawValue: 1 << 31)
    public static let requestToSpeak = Permissions(rawValue: 1 << 32)
    public static let manageEvents = Permissions(rawValue: 1 << 33)
    public static let manageThreads = Permissions(rawValue: 1 << 34)
    public static let createPublicThreads = Permissions(rawValue: 1 << 35)
    public static let createPrivateThreads = Permissions(rawValue: 1 << 36)
    public static let useExternalStickers = Permissions(rawValue: 1 << 37)
    public static let sendMessagesInThreads = Permissions(rawValue: 1 << 38)
    public static let useEmbeddedActivities = Permissions(rawValue: 1 << 39)
    public static let moderateMembers = Permissions(rawValue: 1 << 40)
    public static let viewCreatorMonetizationAnalytics = Permissions(rawValue: 1 << 41)
    public static let useSoundboard = Permissions(rawValue: 1 << 42)
    public static let createGuildExpressions = Permissions(rawValue: 1 << 43)
    public static let createEvents = Permissions(rawValue: 1 << 44)
    public static let useExternalSounds = Permissions(rawValue: 1 << 45)
    public static let sendVoiceMessages = Permissions(rawValue: 1 << 46)
    // Bit 47 was never documented for bots.
    public static let setVoiceChannelStatus = Permissions(rawValue: 1 << 48)
    public static let sendPolls = Permissions(rawValue: 1 << 49)
    public static let useExternalApps = Permissions(rawValue: 1 << 50)
    public static let pinMessages = Permissions(rawValue: 1 << 51)
    public static let bypassSlowmode = Permissions(rawValue: 1 << 52)

    /// Every documented bit (0–46 and 48–52 = 8866461766385663): what owners and
    /// administrators hold.
    public static let all = Permissions(rawValue: 8_866_461_766_385_663)

    /// The bits Discord gates behind two-factor authentication when the guild requires it.
    public static let twoFactorGated: Permissions = [
        .kickMembers, .banMembers, .administrator, .manageChannels, .manageGuild, .manageMessages,
        .manageRoles, .manageWebhooks, .manageThreads, .manageGuildExpressions,
    ]

    /// Permissions that only mean something when the member may send messages in the channel.
    public static let dependentOnSendMessages: Permissions = [.mentionEveryone, .sendTTSMessages, .attachFiles, .embedLinks]

    /// What a timed-out member keeps (FACTS.md §5.1).
    public static let keptDuringTimeout: Permissions = [.viewChannel, .readMessageHistory]
}
