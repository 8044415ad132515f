/// The gateway intents a shard asks for in Identify: which event groups it receives.
/// Three are privileged and must be switched on in the Developer Portal first, or the
/// gateway closes with 4014.
public struct GatewayIntents: OptionSet, Hashable, Sendable, Codable, CustomStringConvertible {
    public let rawValue: UInt64

    public init(rawValue: UInt64) { self.rawValue = rawValue }

    public static let guilds = GatewayIntents(rawValue: 1 << 0)
    /// Privileged.
    public static let guildMembers = GatewayIntents(rawValue: 1 << 1)
    public static let guildModeration = GatewayIntents(rawValue: 1 << 2)
    public static let guildExpressions = GatewayIntents(rawValue: 1 << 3)
    public static let guildIntegrations = GatewayIntents(rawValue: 1 << 4)
    public static let guildWebhooks = GatewayIntents(rawValue: 1 << 5)
    public static let guildInvites = GatewayIntents(rawValue: 1 << 6)
    public static let guildVoiceStates = GatewayIntents(rawValue: 1 << 7)
    /// Privileged.
    public static let guildPresences = GatewayIntents(rawValue: 1 << 8)
    public static let guildMessages = GatewayIntents(rawValue: 1 << 9)
    public static let guildMessageReactions = GatewayIntents(rawValue: 1 << 10)
    public static let guildMessageTyping = GatewayIntents(rawValue: 1 << 11)
    public static let directMessages = GatewayIntents(rawValue: 1 << 12)
    public static let directMessageReactions = GatewayIntents(rawValue: 1 << 13)
    public static let directMessageTyping = GatewayIntents(rawValue: 1 << 14)
    /// Privileged: without it message content, embeds, attachments and components arrive blank.
    public static let messageContent = GatewayIntents(rawValue: 1 << 15)
    public static let guildScheduledEvents = GatewayIntents(rawValue: 1 << 16)
    public static let autoModerationConfiguration = GatewayIntents(rawValue: 1 << 20)
    public static let autoModerationExecution = GatewayIntents(rawValue: 1 << 21)
    public static let guildMessagePolls = GatewayIntents(rawValue: 1 << 24)
    public static let directMessagePolls = GatewayIntents(rawValue: 1 << 25)

    /// Every intent Discord documents, with its wire name, in bit order.
    public static let named: [(name: String, intent: GatewayIntents)] = [
        ("GUILDS", .guilds), ("GUILD_MEMBERS", .guildMembers), ("GUILD_MODERATION", .guildModeration),
        ("GUILD_EXPRESSIONS", .guildExpressions), ("GUILD_INTEGRATIONS", .guildIntegrations),
        ("GUILD_WEBHOOKS", .guildWebhooks), ("GUILD_INVITES", .guildInvites), ("GUILD_VOICE_STATES", .guildVoiceStates),
        ("GUILD_PRESENCES", .guildPresences), ("GUILD_MESSAGES", .guildMessages),
        ("GUILD_MESSAGE_REACTIONS", .guildMessageReactions), ("GUILD_MESSAGE_TYPING", .guildMessageTyping),
        ("DIRECT_MESSAGES", .directMessages), ("DIRECT_MESSAGE_REACTIONS", .directMessageReactions),
        ("DIRECT_MESSAGE_TYPING", .directMessageTyping), ("MESSAGE_CONTENT", .messageContent),
        ("GUILD_SCHEDULED_EVENTS", .guildScheduledEvents),
        ("AUTO_MODERATION_CONFIGURATION", .autoModerationConfiguration),
        ("AUTO_MODERATION_EXECUTION", .autoModerationExecution),
        ("GUILD_MESSAGE_POLLS", .guildMessagePolls), ("DIRECT_MESSAGE_POLLS", .directMessagePolls),
    ]

    /// The intents that need the Developer Portal switch (and review past 10,000 users).
    public static let privileged: GatewayIntents = [.guildMembers, .guildPresences, .messageContent]
    /// Every documented intent.
    public static let all = GatewayIntents(named.map(\.intent))
    /// Every documented intent that needs no approval.
    public static let unprivileged = all.subtracting(privileged)

    /// The privileged intents in this set.
    public var privilegedIntents: GatewayIntents { intersection(.privileged) }

    /// Bits Discord does not document (a set holding them is closed with 4013).
    public var undocumentedBits: UInt64 { rawValue & ~Self.all.rawValue }

    /// Parses a wire name such as `GUILD_MESSAGES`; nil for an unknown name.
    public init?(name: String) {
        guard let match = Self.named.first(where: { $0.name == name.uppercased() }) else { return nil }
        self = match.intent
    }

    public var description: String {
        var names = Self.named.filter { contains($0.intent) }.map(\.name)
        if undocumentedBits != 0 { names.append("0x" + String(undocumentedBits, radix: 16)) }
        return "[" + names.joined(separator: ", ") + "]"
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        // Integer on the wire; a decimal string is accepted too (permission-style bitfields).
        if let number = try? container.decode(UInt64.self) {
            rawValue = number
        } else {
            let text = try container.decode(String.self)
            guard let number = UInt64(text) else {
                throw DecodingError.dataCorruptedError(in: container, debugDescription: "'\(text)' is not an intents bitfield")
            }
            rawValue = number
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(rawValue)
    }
}
