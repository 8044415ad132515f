/// Gateway intent bits the sandbox filters on (FACTS.md §2.11).
public enum SandboxIntents {
    public static let guilds: UInt64 = 1 << 0
    public static let guildMembers: UInt64 = 1 << 1
    public static let guildModeration: UInt64 = 1 << 2
    public static let guildVoiceStates: UInt64 = 1 << 7
    public static let guildPresences: UInt64 = 1 << 8
    public static let guildMessages: UInt64 = 1 << 9
    public static let guildMessageReactions: UInt64 = 1 << 10
    public static let directMessages: UInt64 = 1 << 12
    public static let directMessageReactions: UInt64 = 1 << 13
    public static let messageContent: UInt64 = 1 << 15

    /// GUILD_MEMBERS, GUILD_PRESENCES and MESSAGE_CONTENT need a switch in the portal.
    public static let privileged: UInt64 = guildMembers | guildPresences | messageContent
    /// Every bit Discord documents; anything else closes the connection with 4013.
    public static let known: UInt64 = (1 << 0) | (1 << 1) | (1 << 2) | (1 << 3) | (1 << 4) | (1 << 5) | (1 << 6)
        | (1 << 7) | (1 << 8) | (1 << 9) | (1 << 10) | (1 << 11) | (1 << 12) | (1 << 13) | (1 << 14) | (1 << 15)
        | (1 << 16) | (1 << 20) | (1 << 21) | (1 << 24) | (1 << 25)
}

/// Permission bits the sandbox checks (FACTS.md §5).
public enum SandboxPermissionBits {
    public static let kickMembers: UInt64 = 1 << 1
    public static let banMembers: UInt64 = 1 << 2
    public static let administrator: UInt64 = 1 << 3
    public static let manageChannels: UInt64 = 1 << 4
    public static let manageGuild: UInt64 = 1 << 5
    public static let addReactions: UInt64 = 1 << 6
    public static let viewAuditLog: UInt64 = 1 << 7
    public static let viewChannel: UInt64 = 1 << 10
    public static let sendMessages: UInt64 = 1 << 11
    public static let sendTTSMessages: UInt64 = 1 << 12
    public static let manageMessages: UInt64 = 1 << 13
    public static let embedLinks: UInt64 = 1 << 14
    public static let attachFiles: UInt64 = 1 << 15
    public static let readMessageHistory: UInt64 = 1 << 16
    public static let mentionEveryone: UInt64 = 1 << 17
    public static let useExternalEmojis: UInt64 = 1 << 18
    public static let connect: UInt64 = 1 << 20
    public static let speak: UInt64 = 1 << 21
    public static let muteMembers: UInt64 = 1 << 22
    public static let deafenMembers: UInt64 = 1 << 23
    public static let moveMembers: UInt64 = 1 << 24
    public static let manageNicknames: UInt64 = 1 << 27
    public static let manageRoles: UInt64 = 1 << 28
    public static let useApplicationCommands: UInt64 = 1 << 31
    public static let moderateMembers: UInt64 = 1 << 40

    /// Bits 0–46 and 48–52: everything Discord documents (FACTS.md §5).
    public static let all: UInt64 = 8_866_461_766_385_663

    /// A moderation, leveling and giveaway bot's invite permissions, without ADMINISTRATOR.
    public static let defaultBot: UInt64 = kickMembers | banMembers | manageChannels | manageGuild | addReactions
        | viewAuditLog | viewChannel | sendMessages | manageMessages | embedLinks | attachFiles | readMessageHistory
        | useExternalEmojis | muteMembers | deafenMembers | manageNicknames | manageRoles | useApplicationCommands
        | moderateMembers
}
