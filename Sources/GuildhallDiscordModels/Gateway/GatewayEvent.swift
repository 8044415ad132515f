/// A dispatch (op 0) decoded by its name `t`. Events this build does not model keep their
/// name and their `d` bytes (`.unknown`), so nothing is lost and nothing fails.
///
/// Indirect: a message or guild is large, and an event is handed along several times
/// between the socket and a handler; boxed, each hand-over is one reference count.
public indirect enum GatewayEvent: Hashable, Sendable {
    case ready(GatewayReady)
    case resumed
    case guildCreate(Guild)
    /// A GUILD_CREATE for a guild that is still unavailable (an outage).
    case guildCreateUnavailable(UnavailableGuild)
    case guildUpdate(Guild)
    /// `unavailable` true: an outage; absent: the bot left or was removed.
    case guildDelete(UnavailableGuild)
    case guildMemberAdd(GuildMemberEvent)
    case guildMemberUpdate(GuildMemberEvent)
    case guildMemberRemove(GuildUserEvent)
    case guildBanAdd(GuildUserEvent)
    case guildBanRemove(GuildUserEvent)
    case guildRoleCreate(GuildRoleEvent)
    case guildRoleUpdate(GuildRoleEvent)
    case guildRoleDelete(GuildRoleDeleteEvent)
    case channelCreate(Channel)
    case channelUpdate(Channel)
    case channelDelete(Channel)
    case messageCreate(Message)
    case messageUpdate(Message)
    case messageDelete(MessageDeleteEvent)
    case messageDeleteBulk(MessageDeleteBulkEvent)
    case messageReactionAdd(MessageReactionEvent)
    case messageReactionRemove(MessageReactionEvent)
    case interactionCreate(Interaction)
    case entitlementCreate(Entitlement)
    case entitlementUpdate(Entitlement)
    case entitlementDelete(Entitlement)
    case voiceStateUpdate(GatewayVoiceState)
    case rateLimited(GatewayRateLimited)
    case unknown(name: String, data: GatewayRawJSON)

    /// Every dispatch name this build decodes into a typed case.
    public static let modeledNames: Set<String> = [
        "READY", "RESUMED", "GUILD_CREATE", "GUILD_UPDATE", "GUILD_DELETE", "GUILD_MEMBER_ADD", "GUILD_MEMBER_UPDATE",
        "GUILD_MEMBER_REMOVE", "GUILD_BAN_ADD", "GUILD_BAN_REMOVE", "GUILD_ROLE_CREATE", "GUILD_ROLE_UPDATE",
        "GUILD_ROLE_DELETE", "CHANNEL_CREATE", "CHANNEL_UPDATE", "CHANNEL_DELETE", "MESSAGE_CREATE", "MESSAGE_UPDATE",
        "MESSAGE_DELETE", "MESSAGE_DELETE_BULK", "MESSAGE_REACTION_ADD", "MESSAGE_REACTION_REMOVE", "INTERACTION_CREATE",
        "ENTITLEMENT_CREATE", "ENTITLEMENT_UPDATE", "ENTITLEMENT_DELETE", "VOICE_STATE_UPDATE", "RATE_LIMITED",
    ]

    /// The dispatch name (`t`).
    public var name: String {
        switch self {
        case .ready: "READY"
        case .resumed: "RESUMED"
        case .guildCreate, .guildCreateUnavailable: "GUILD_CREATE"
        case .guildUpdate: "GUILD_UPDATE"
        case .guildDelete: "GUILD_DELETE"
        case .guildMemberAdd: "GUILD_MEMBER_ADD"
        case .guildMemberUpdate: "GUILD_MEMBER_UPDATE"
        case .guildMemberRemove: "GUILD_MEMBER_REMOVE"
        case .guildBanAdd: "GUILD_BAN_ADD"
        case .guildBanRemove: "GUILD_BAN_REMOVE"
        case .guildRoleCreate: "GUILD_ROLE_CREATE"
        case .guildRoleUpdate: "GUILD_ROLE_UPDATE"
        case .guildRoleDelete: "GUILD_ROLE_DELETE"
        case .channelCreate: "CHANNEL_CREATE"
        case .channelUpdate: "CHANNEL_UPDATE"
        case .channelDelete: "CHANNEL_DELETE"
        case .messageCreate: "MESSAGE_CREATE"
        case .messageUpdate: "MESSAGE_UPDATE"
        case .messageDelete: "MESSAGE_DELETE"
        case .messageDeleteBulk: "MESSAGE_DELETE_BULK"
        case .messageReactionAdd: "MESSAGE_REACTION_ADD"
        case .messageReactionRemove: "MESSAGE_REACTION_REMOVE"
        case .interactionCreate: "INTERACTION_CREATE"
        case .entitlementCreate: "ENTITLEMENT_CREATE"
        case .entitlementUpdate: "ENTITLEMENT_UPDATE"
        case .entitlementDelete: "ENTITLEMENT_DELETE"
        case .voiceStateUpdate: "VOICE_STATE_UPDATE"
        case .rateLimited: "RATE_LIMITED"
        case .unknown(let name, _): name
        }
    }
}
