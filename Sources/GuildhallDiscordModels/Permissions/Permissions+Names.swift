/// Discord's names for each bit, so refusals and logs can say which permission is missing.
extension Permissions: CustomStringConvertible {
    public static let namedFlags: [(name: String, flag: Permissions)] = [
        ("CREATE_INSTANT_INVITE", .createInstantInvite), ("KICK_MEMBERS", .kickMembers), ("BAN_MEMBERS", .banMembers),
        ("ADMINISTRATOR", .administrator), ("MANAGE_CHANNELS", .manageChannels), ("MANAGE_GUILD", .manageGuild),
        ("ADD_REACTIONS", .addReactions), ("VIEW_AUDIT_LOG", .viewAuditLog), ("PRIORITY_SPEAKER", .prioritySpeaker),
        ("STREAM", .stream), ("VIEW_CHANNEL", .viewChannel), ("SEND_MESSAGES", .sendMessages),
        ("SEND_TTS_MESSAGES", .sendTTSMessages), ("MANAGE_MESSAGES", .manageMessages), ("EMBED_LINKS", .embedLinks),
        ("ATTACH_FILES", .attachFiles), ("READ_MESSAGE_HISTORY", .readMessageHistory), ("MENTION_EVERYONE", .mentionEveryone),
        ("USE_EXTERNAL_EMOJIS", .useExternalEmojis), ("VIEW_GUILD_INSIGHTS", .viewGuildInsights), ("CONNECT", .connect),
        ("SPEAK", .speak), ("MUTE_MEMBERS", .muteMembers), ("DEAFEN_MEMBERS", .deafenMembers), ("MOVE_MEMBERS", .moveMembers),
        ("USE_VAD", .useVoiceActivity), ("CHANGE_NICKNAME", .changeNickname), ("MANAGE_NICKNAMES", .manageNicknames),
        ("MANAGE_ROLES", .manageRoles), ("MANAGE_WEBHOOKS", .manageWebhooks), ("MANAGE_GUILD_EXPRESSIONS", .manageGuildExpressions),
        ("USE_APPLICATION_COMMANDS", .useApplicationCommands), ("REQUEST_TO_SPEAK", .requestToSpeak), ("MANAGE_EVENTS", .manageEvents),
        ("MANAGE_THREADS", .manageThreads), ("CREATE_PUBLIC_THREADS", .createPublicThreads),
        ("CREATE_PRIVATE_THREADS", .createPrivateThreads), ("USE_EXTERNAL_STICKERS", .useExternalStickers),
        ("SEND_MESSAGES_IN_THREADS", .sendMessagesInThreads), ("USE_EMBEDDED_ACTIVITIES", .useEmbeddedActivities),
        ("MODERATE_MEMBERS", .moderateMembers), ("VIEW_CREATOR_MONETIZATION_ANALYTICS", .viewCreatorMonetizationAnalytics),
        ("USE_SOUNDBOARD", .useSoundboard), ("CREATE_GUILD_EXPRESSIONS", .createGuildExpressions), ("CREATE_EVENTS", .createEvents),
        ("USE_EXTERNAL_SOUNDS", .useExternalSounds), ("SEND_VOICE_MESSAGES", .sendVoiceMessages),
        ("SET_VOICE_CHANNEL_STATUS", .setVoiceChannelStatus), ("SEND_POLLS", .sendPolls), ("USE_EXTERNAL_APPS", .useExternalApps),
        ("PIN_MESSAGES", .pinMessages), ("BYPASS_SLOWMODE", .bypassSlowmode),
    ]

    /// Discord's names of the bits set, lowest bit first; undocumented bits as `BIT_47`.
    public var names: [String] {
        var result: [String] = []
        for bit in 0..<64 where rawValue & (1 << UInt64(bit)) != 0 {
            let flag = Permissions(rawValue: 1 << UInt64(bit))
            result.append(Self.namedFlags.first { $0.flag == flag }?.name ?? "BIT_\(bit)")
        }
        return result
    }

    /// The flag Discord calls `name` (`"BAN_MEMBERS"`), or `nil`.
    public init?(name: String) {
        guard let entry = Self.namedFlags.first(where: { $0.name == name }) else { return nil }
        self = entry.flag
    }

    public var description: String { isEmpty ? "[]" : "[" + names.joined(separator: ", ") + "]" }
}
