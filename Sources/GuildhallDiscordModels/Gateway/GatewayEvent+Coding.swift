
extension GatewayEvent {
    /// Decodes `d` (at `key` of the envelope) as the type `name` stands for, in the same
    /// pass that read the envelope.
    public init<Key: CodingKey>(name: String, from container: KeyedDecodingContainer<Key>, forKey key: Key) throws {
        switch name {
        // The hot path first.
        case "MESSAGE_CREATE": self = .messageCreate(try container.decode(Message.self, forKey: key))
        case "MESSAGE_REACTION_ADD": self = .messageReactionAdd(try container.decode(MessageReactionEvent.self, forKey: key))
        case "INTERACTION_CREATE": self = .interactionCreate(try container.decode(Interaction.self, forKey: key))
        case "MESSAGE_UPDATE": self = .messageUpdate(try container.decode(Message.self, forKey: key))
        case "MESSAGE_DELETE": self = .messageDelete(try container.decode(MessageDeleteEvent.self, forKey: key))
        case "MESSAGE_REACTION_REMOVE": self = .messageReactionRemove(try container.decode(MessageReactionEvent.self, forKey: key))
        case "VOICE_STATE_UPDATE": self = .voiceStateUpdate(try container.decode(GatewayVoiceState.self, forKey: key))
        case "GUILD_MEMBER_ADD": self = .guildMemberAdd(try container.decode(GuildMemberEvent.self, forKey: key))
        case "GUILD_MEMBER_UPDATE": self = .guildMemberUpdate(try container.decode(GuildMemberEvent.self, forKey: key))
        case "GUILD_MEMBER_REMOVE": self = .guildMemberRemove(try container.decode(GuildUserEvent.self, forKey: key))
        case "READY": self = .ready(try container.decode(GatewayReady.self, forKey: key))
        case "RESUMED": self = .resumed
        case "GUILD_CREATE": self = try Self.decodeGuildCreate(from: container, forKey: key)
        case "GUILD_UPDATE": self = .guildUpdate(try container.decode(Guild.self, forKey: key))
        case "GUILD_DELETE": self = .guildDelete(try container.decode(UnavailableGuild.self, forKey: key))
        case "GUILD_BAN_ADD": self = .guildBanAdd(try container.decode(GuildUserEvent.self, forKey: key))
        case "GUILD_BAN_REMOVE": self = .guildBanRemove(try container.decode(GuildUserEvent.self, forKey: key))
        case "GUILD_ROLE_CREATE": self = .guildRoleCreate(try container.decode(GuildRoleEvent.self, forKey: key))
        case "GUILD_ROLE_UPDATE": self = .guildRoleUpdate(try container.decode(GuildRoleEvent.self, forKey: key))
        case "GUILD_ROLE_DELETE": self = .guildRoleDelete(try container.decode(GuildRoleDeleteEvent.self, forKey: key))
        case "CHANNEL_CREATE": self = .channelCreate(try container.decode(Channel.self, forKey: key))
        case "CHANNEL_UPDATE": self = .channelUpdate(try container.decode(Channel.self, forKey: key))
        case "CHANNEL_DELETE": self = .channelDelete(try container.decode(Channel.self, forKey: key))
        case "MESSAGE_DELETE_BULK": self = .messageDeleteBulk(try container.decode(MessageDeleteBulkEvent.self, forKey: key))
        case "ENTITLEMENT_CREATE": self = .entitlementCreate(try container.decode(Entitlement.self, forKey: key))
        case "ENTITLEMENT_UPDATE": self = .entitlementUpdate(try container.decode(Entitlement.self, forKey: key))
        case "ENTITLEMENT_DELETE": self = .entitlementDelete(try container.decode(Entitlement.self, forKey: key))
        case "RATE_LIMITED": self = .rateLimited(try container.decode(GatewayRateLimited.self, forKey: key))
        default:
            let data = try container.decodeIfPresent(GatewayRawJSON.self, forKey: key)
            self = .unknown(name: name, data: data ?? GatewayRawJSON(bytes: Array("null".utf8)))
        }
    }

    /// A GUILD_CREATE is a full guild, or during an outage just `{id, unavailable: true}`.
    private static func decodeGuildCreate<Key: CodingKey>(from container: KeyedDecodingContainer<Key>, forKey key: Key) throws -> GatewayEvent {
        do {
            return .guildCreate(try container.decode(Guild.self, forKey: key))
        } catch {
            guard let unavailable = try? container.decode(UnavailableGuild.self, forKey: key), unavailable.unavailable == true else {
                throw error
            }
            return .guildCreateUnavailable(unavailable)
        }
    }

    /// Writes the event's `d` at `key`.
    public func encodeData<Key: CodingKey>(to container: inout KeyedEncodingContainer<Key>, forKey key: Key) throws {
        switch self {
        case .ready(let value): try container.encode(value, forKey: key)
        case .resumed: try container.encodeNil(forKey: key)
        case .guildCreate(let value), .guildUpdate(let value): try container.encode(value, forKey: key)
        case .guildCreateUnavailable(let value), .guildDelete(let value): try container.encode(value, forKey: key)
        case .guildMemberAdd(let value), .guildMemberUpdate(let value): try container.encode(value, forKey: key)
        case .guildMemberRemove(let value), .guildBanAdd(let value), .guildBanRemove(let value): try container.encode(value, forKey: key)
        case .guildRoleCreate(let value), .guildRoleUpdate(let value): try container.encode(value, forKey: key)
        case .guildRoleDelete(let value): try container.encode(value, forKey: key)
        case .channelCreate(let value), .channelUpdate(let value), .channelDelete(let value): try container.encode(value, forKey: key)
        case .messageCreate(let value), .messageUpdate(let value): try container.encode(value, forKey: key)
        case .messageDelete(let value): try container.encode(value, forKey: key)
        case .messageDeleteBulk(let value): try container.encode(value, forKey: key)
        case .messageReactionAdd(let value), .messageReactionRemove(let value): try container.encode(value, forKey: key)
        case .interactionCreate(let value): try container.encode(value, forKey: key)
        case .entitlementCreate(let value), .entitlementUpdate(let value), .entitlementDelete(let value): try container.encode(value, forKey: key)
        case .voiceStateUpdate(let value): try container.encode(value, forKey: key)
        case .rateLimited(let value): try container.encode(value, forKey: key)
        case .unknown(_, let data): try container.encode(data, forKey: key)
        }
    }

    /// The guild the event belongs to, when it names one (events without one, such as DMs
    /// and entitlements, reach only shard 0).
    public var guildID: Snowflake? {
        switch self {
        case .guildCreate(let guild), .guildUpdate(let guild): guild.id
        case .guildCreateUnavailable(let guild), .guildDelete(let guild): guild.id
        case .guildMemberAdd(let event), .guildMemberUpdate(let event): event.guildID
        case .guildMemberRemove(let event), .guildBanAdd(let event), .guildBanRemove(let event): event.guildID
        case .guildRoleCreate(let event), .guildRoleUpdate(let event): event.guildID
        case .guildRoleDelete(let event): event.guildID
        case .channelCreate(let channel), .channelUpdate(let channel), .channelDelete(let channel): channel.guildID
        case .messageCreate(let message), .messageUpdate(let message): message.guildID
        case .messageDelete(let event): event.guildID
        case .messageDeleteBulk(let event): event.guildID
        case .messageReactionAdd(let event), .messageReactionRemove(let event): event.guildID
        case .interactionCreate(let interaction): interaction.guildID
        case .entitlementCreate(let entitlement), .entitlementUpdate(let entitlement), .entitlementDelete(let entitlement): entitlement.guildID
        case .voiceStateUpdate(let state): state.guildID
        case .ready, .resumed, .rateLimited, .unknown: nil
        }
    }
}
