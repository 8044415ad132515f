import GuildhallCore
import GuildhallDiscordModels

/// The world's records as Discord's JSON, built with the model types and completed with the
/// keys Discord always writes (`SandboxWire`).
extension SandboxState {
    static let nullUserKeys: [String: JSONValue] = [
        "avatar": .null, "global_name": .null, "primary_guild": .null, "discriminator": .string("0"),
        "public_flags": .integer(0), "flags": .integer(0), "banner": .null, "accent_color": .null, "avatar_decoration_data": .null,
        "collectibles": .null,
    ]

    func userModel(_ user: SandboxUser) -> User {
        User(id: user.id, username: user.username, discriminator: "0", globalName: user.globalName,
             bot: user.isBot ? true : nil, flags: 0, publicFlags: 0)
    }

    /// A user as others see it (`UserResponse`).
    func userJSON(_ id: Snowflake) -> JSONValue {
        guard let user = users[id] else { return .null }
        return SandboxWire.complete(SandboxWire.json(userModel(user)), with: Self.nullUserKeys)
    }

    /// The full own-user object (`UserPIIResponse`): READY, `GET /users/@me`. `email` only
    /// when the caller may see it.
    func ownUserJSON(_ id: Snowflake, includeEmail: Bool) -> JSONValue {
        guard let user = users[id] else { return .null }
        var model = userModel(user)
        model.mfaEnabled = user.isBot
        model.locale = "en-US"
        model.verified = true
        model.premiumType = 0
        if includeEmail { model.email = user.email }
        return SandboxWire.complete(SandboxWire.json(model), with: Self.nullUserKeys)
    }

    static let nullMemberKeys: [String: JSONValue] = [
        "avatar": .null, "banner": .null, "communication_disabled_until": .null, "nick": .null, "premium_since": .null,
        "flags": .integer(0), "pending": .bool(false), "mute": .bool(false), "deaf": .bool(false),
    ]

    func memberModel(_ member: SandboxMember, includeUser: Bool) -> GuildMember {
        GuildMember(
            user: includeUser ? users[member.userID].map(userModel) : nil, nick: member.nick, roles: member.roleIDs,
            joinedAt: member.joinedAt, deaf: member.deaf, mute: member.mute, flags: 0, pending: false,
            communicationDisabledUntil: member.communicationDisabledUntil
        )
    }

    /// A guild member (`GuildMemberResponse`); `user` left out where Discord leaves it out
    /// (a message's `member`, an interaction's resolved members).
    func memberJSON(_ member: SandboxMember, includeUser: Bool = true) -> JSONValue {
        var json = SandboxWire.complete(SandboxWire.json(memberModel(member, includeUser: includeUser)), with: Self.nullMemberKeys)
        if includeUser { json = SandboxWire.set(json, "user", userJSON(member.userID)) }
        return json
    }

    func roleJSON(_ role: SandboxRole) -> JSONValue {
        var model = roleModel(role)
        model.colors = Role.Colors(primaryColor: role.color)
        model.flags = 0
        let json = SandboxWire.complete(SandboxWire.json(model), with: ["icon": .null, "unicode_emoji": .null])
        return SandboxWire.map(json, "colors") {
            SandboxWire.complete($0, with: ["secondary_color": .null, "tertiary_color": .null])
        }
    }

    func channelJSON(_ channel: SandboxChannel) -> JSONValue {
        switch channel.kind {
        case .dm:
            let model = Channel(
                id: channel.id, type: .dm, lastMessageID: channel.lastMessageID,
                recipients: channel.recipientID.flatMap { users[$0] }.map { [userModel($0)] } ?? [], flags: 0
            )
            let json = SandboxWire.complete(SandboxWire.json(model), with: ["last_message_id": .null])
            return SandboxWire.mapEach(json, "recipients") { SandboxWire.complete($0, with: Self.nullUserKeys) }
        case .text, .voice, .category:
            let model = Channel(
                id: channel.id, type: ChannelType(rawValue: channel.kind.rawValue), guildID: channel.guildID,
                position: channel.position, permissionOverwrites: channel.overwrites.map(Self.overwrite),
                name: channel.name, topic: channel.topic, nsfw: channel.kind == .category ? nil : false,
                lastMessageID: channel.lastMessageID, bitrate: channel.kind == .voice ? 64_000 : nil,
                userLimit: channel.kind == .voice ? 0 : nil, rateLimitPerUser: channel.kind == .category ? nil : 0,
                parentID: channel.parentID, flags: 0
            )
            var defaults: [String: JSONValue] = ["parent_id": .null]
            if channel.kind == .text { defaults["last_message_id"] = .null; defaults["topic"] = .null }
            if channel.kind == .voice { defaults["rtc_region"] = .null; defaults["last_message_id"] = .null }
            return SandboxWire.complete(SandboxWire.json(model), with: defaults)
        }
    }

    static let guildDefaults: [String: JSONValue] = [
        "icon": .null, "description": .null, "home_header": .null, "splash": .null, "discovery_splash": .null,
        "features": .array([]), "banner": .null, "application_id": .null, "region": .string("deprecated"),
        "afk_channel_id": .null, "afk_timeout": .integer(300), "system_channel_id": .null, "system_channel_flags": .integer(0),
        "widget_enabled": .bool(false), "widget_channel_id": .null, "verification_level": .integer(1),
        "default_message_notifications": .integer(1), "mfa_level": .integer(0), "explicit_content_filter": .integer(2), "max_presences": .null,
        "max_members": .integer(500_000), "max_stage_video_channel_users": .integer(50), "max_video_channel_users": .integer(25),
        "vanity_url_code": .null, "premium_tier": .integer(0), "premium_subscription_count": .integer(0), "preferred_locale": .string("en-US"),
        "rules_channel_id": .null, "safety_alerts_channel_id": .null, "public_updates_channel_id": .null,
        "premium_progress_bar_enabled": .bool(false), "nsfw": .bool(false), "nsfw_level": .integer(0), "emojis": .array([]),
        "stickers": .array([]), "incidents_data": .null,
    ]

    func guildModel(_ guild: SandboxGuild) -> Guild {
        Guild(
            id: guild.id, name: guild.name, ownerID: guild.ownerID, afkTimeout: 300, widgetEnabled: false,
            verificationLevel: 1, defaultMessageNotifications: 1, explicitContentFilter: 2,
            roles: [], emojis: [], features: [], mfaLevel: 0, systemChannelFlags: 0, maxMembers: 500_000,
            premiumTier: 0, premiumSubscriptionCount: 0, preferredLocale: "en-US", nsfwLevel: 0,
            premiumProgressBarEnabled: false
        )
    }

    /// `GET /guilds/{id}` (`GuildWithCountsResponse`).
    func guildJSON(_ guild: SandboxGuild, withCounts: Bool) -> JSONValue {
        var model = guildModel(guild)
        if withCounts {
            model.approximateMemberCount = guild.members.count
            model.approximatePresenceCount = 0
        }
        var json = SandboxWire.complete(SandboxWire.json(model), with: Self.guildDefaults)
        json = SandboxWire.set(json, "roles", .array(guild.orderedRoles.map(roleJSON)))
        return json
    }

    /// GUILD_CREATE's `d`: the guild, the bot's join date, its channels, and its members
    /// when the session may have them (GUILD_PRESENCES and a guild under `largeThreshold`);
    /// otherwise only the bot's own member, as Discord does.
    func guildCreateJSON(_ guild: SandboxGuild, intents: UInt64, largeThreshold: Int) -> JSONValue {
        let large = guild.members.count > largeThreshold
        let allMembers = intents & SandboxIntents.guildPresences != 0 && !large
        let members = allMembers
            ? guild.orderedMembers
            : guild.members[application.botUserID].map { [$0] } ?? []
        var json = guildJSON(guild, withCounts: false)
        let extras: [String: JSONValue] = [
            "joined_at": .string((guild.members[application.botUserID]?.joinedAt ?? Self.timestamp(0)).iso8601),
            "large": .bool(large), "unavailable": .bool(false), "lazy": .bool(true), "member_count": SandboxWire.integer(guild.members.count),
            "members": .array(members.map { memberJSON($0) }),
            "channels": .array(guild.channelIDs.compactMap { channels[$0] }.map { SandboxWire.remove(channelJSON($0), ["guild_id"]) }),
            "threads": .array([]), "presences": .array([]), "voice_states": .array(guild.voiceStates.values.sorted { $0.userID < $1.userID }.map { voiceStateJSON($0, guildID: nil) }), "stage_instances": .array([]),
            "guild_scheduled_events": .array([]), "soundboard_sounds": .array([]),
        ]
        guard case .object(var members_) = json else { return json }
        for (key, value) in extras { members_[key] = value }
        json = .object(members_)
        return json
    }

    /// An item of `GET /users/@me/guilds` for `userID`.
    func myGuildJSON(_ guild: SandboxGuild, userID: Snowflake, withCounts: Bool) -> JSONValue {
        let model = CurrentUserGuild(
            id: guild.id, name: guild.name, owner: guild.ownerID == userID,
            permissions: basePermissions(of: userID, in: guild), features: [],
            approximateMemberCount: withCounts ? guild.members.count : nil, approximatePresenceCount: withCounts ? 0 : nil
        )
        return SandboxWire.complete(SandboxWire.json(model), with: ["icon": .null, "banner": .null])
    }

    static let messageDefaults: [String: JSONValue] = [
        "edited_timestamp": .null, "flags": .integer(0), "components": .array([]), "attachments": .array([]),
        "embeds": .array([]), "mentions": .array([]), "mention_roles": .array([]), "pinned": .bool(false), "tts": .bool(false),
        "mention_everyone": .bool(false),
    ]

    func messageModel(_ message: SandboxMessage) -> Message {
        let author = users[message.authorID].map(userModel) ?? User(id: message.authorID, username: "unknown")
        return Message(
            id: message.id, channelID: message.channelID, author: author, content: message.content,
            timestamp: message.timestamp, editedTimestamp: message.editedTimestamp, tts: message.tts,
            mentionEveryone: message.mentionEveryone, mentions: message.mentionIDs.compactMap { users[$0] }.map(userModel),
            mentionRoles: message.mentionRoleIDs, embeds: message.embeds,
            reactions: message.reactions.isEmpty ? nil : message.reactions.map { reaction in
                Reaction(
                    count: reaction.userIDs.count, countDetails: .init(burst: 0, normal: reaction.userIDs.count),
                    me: reaction.userIDs.contains(application.botUserID), meBurst: false,
                    emoji: Self.emoji(fromPath: reaction.emoji), burstColors: []
                )
            },
            nonce: message.nonce, webhookID: message.webhookID, type: MessageType(rawValue: message.type),
            applicationID: message.applicationID, messageReference: message.messageReference,
            flags: MessageFlags(rawValue: message.flags), components: message.components
        )
    }

    /// A message as REST returns it (`MessageResponse`).
    func messageJSON(_ message: SandboxMessage) -> JSONValue {
        var json = SandboxWire.complete(SandboxWire.json(messageModel(message)), with: Self.messageDefaults)
        json = SandboxWire.set(json, "author", userJSON(message.authorID))
        json = SandboxWire.mapEach(json, "mentions") { SandboxWire.complete($0, with: Self.nullUserKeys) }
        json = SandboxWire.mapEach(json, "embeds") { SandboxWire.complete($0, with: ["type": .string("rich")]) }
        json = SandboxWire.map(json, "components") { Self.numberComponents($0) }
        json = SandboxWire.mapEach(json, "reactions") { reaction in
            SandboxWire.map(reaction, "emoji") { SandboxWire.complete($0, with: ["id": .null]) }
        }
        if let interactionID = message.interactionID, let interaction = interactions[interactionID] {
            var metadata: [String: JSONValue] = [
                "id": .string(interaction.id.description), "type": SandboxWire.integer(interaction.type),
                "user": userJSON(interaction.userID),
                "authorizing_integration_owners": .object(["0": .string((interaction.guildID ?? interaction.userID).description)]),
            ]
            if message.id != interaction.originalMessageID, let original = interaction.originalMessageID {
                metadata["original_response_message_id"] = .string(original.description)
            }
            if let source = interaction.sourceMessageID { metadata["interacted_message_id"] = .string(source.description) }
            json = SandboxWire.set(json, "interaction_metadata", .object(metadata))
        }
        return json
    }

    /// MESSAGE_CREATE / MESSAGE_UPDATE `d`: the message plus `guild_id` and the author's
    /// partial `member` in guilds; the blanked form for sessions without MESSAGE_CONTENT.
    func messageEventJSON(_ message: SandboxMessage) -> (full: JSONValue, redacted: JSONValue?) {
        var json = messageJSON(message)
        if let guildID = message.guildID, let guild = guilds[guildID] {
            json = SandboxWire.set(json, "guild_id", .string(guildID.description))
            if let member = guild.members[message.authorID], message.webhookID == nil {
                json = SandboxWire.set(json, "member", memberJSON(member, includeUser: false))
            }
        }
        let botID = application.botUserID
        guard message.authorID != botID, !message.mentionIDs.contains(botID), message.guildID != nil else {
            return (json, nil)
        }
        var redacted = json
        for key in ["content"] { redacted = SandboxWire.set(redacted, key, .string("")) }
        for key in ["embeds", "attachments", "components"] { redacted = SandboxWire.set(redacted, key, .array([])) }
        return (json, redacted)
    }

    /// Discord numbers a message's components depth first (`id` 1, 2, …) when the sender
    /// left the ids out; responses always carry them.
    static func numberComponents(_ components: JSONValue) -> JSONValue {
        var next: Int64 = 1
        func number(_ value: JSONValue) -> JSONValue {
            switch value {
            case .array(let items):
                return .array(items.map(number))
            case .object(var fields):
                if fields["id"] == nil { fields["id"] = .integer(next) }
                next += 1
                for key in ["components", "component", "accessory"] where fields[key] != nil {
                    fields[key] = number(fields[key]!)
                }
                return .object(fields)
            default:
                return value
            }
        }
        return number(components)
    }

    /// The emoji a reaction route names: `name:id` for custom emoji, the character otherwise.
    static func emoji(fromPath text: String) -> Emoji {
        let parts = text.split(separator: ":", maxSplits: 1)
        if parts.count == 2, let id = Snowflake(parts[1]) { return Emoji(id: id, name: String(parts[0])) }
        return Emoji(id: nil, name: text)
    }

    func banJSON(_ ban: SandboxBan) -> JSONValue {
        .object(["user": userJSON(ban.userID), "reason": ban.reason.map { .string($0) } ?? .null])
    }
}
