import Foundation
import GuildhallCore
import GuildhallDiscordModels

/// Messages and reactions: what the bot may send, edit, delete and react to, and what members
/// post through the control API.
extension SandboxState {
    /// Flags a bot may set on a message it sends (SUPPRESS_EMBEDS, SUPPRESS_NOTIFICATIONS, IS_COMPONENTS_V2).
    static let creatableMessageFlags = (1 << 2) | (1 << 12) | (1 << 15)
    /// How long `enforce_nonce` remembers a nonce ("a few minutes" in Discord's words).
    static let enforcedNonceSeconds: Double = 300

    /// Checks that `userID` may post in `channel` and returns the guild it belongs to, if any.
    func requireSendable(_ channel: SandboxChannel, by userID: Snowflake, now: Double) throws(SandboxAPIError) -> SandboxGuild? {
        switch channel.kind {
        case .dm:
            guard channel.recipientID == userID || userID == application.botUserID else { throw .missingAccess }
            return nil
        case .voice, .category:
            throw SandboxAPIError(status: 400, code: 50008, message: "Cannot send messages in a non-text channel")
        case .text:
            guard let guildID = channel.guildID, let guild = guilds[guildID] else { throw .unknownChannel }
            guard guild.members[userID] != nil else { throw .missingAccess }
            let permissions = permissions(of: userID, in: guild, channel: channel, now: now)
            guard permissions.contains(.viewChannel) else { throw .missingAccess }
            guard permissions.contains(.sendMessages) else { throw .missingPermissions }
            return guild
        }
    }

    /// Users, roles and @everyone the content mentions, filtered by `allowed` as Discord does.
    func mentions(
        in content: String, allowed: MessageDraft.Mentions, guild: SandboxGuild?, senderPermissions: Permissions
    ) -> (users: [Snowflake], roles: [Snowflake], everyone: Bool) {
        var userIDs: [Snowflake] = []
        var roleIDs: [Snowflake] = []
        var rest = Substring(content)
        while let open = rest.range(of: "<@") {
            rest = rest[open.upperBound...]
            guard let close = rest.firstIndex(of: ">") else { break }
            var body = rest[..<close]
            rest = rest[rest.index(after: close)...]
            let isRole = body.hasPrefix("&")
            if isRole || body.hasPrefix("!") { body = body.dropFirst() }
            guard let id = Snowflake(body) else { continue }
            if isRole {
                guard let role = guild?.roles[id], allowed.parse.contains("roles") || allowed.roles.contains(id),
                      role.mentionable || senderPermissions.contains(.mentionEveryone), !roleIDs.contains(id)
                else { continue }
                roleIDs.append(id)
            } else if users[id] != nil, allowed.parse.contains("users") || allowed.users.contains(id), !userIDs.contains(id) {
                userIDs.append(id)
            }
        }
        let everyone = (content.contains("@everyone") || content.contains("@here")) && allowed.parse.contains("everyone")
            && senderPermissions.contains(.mentionEveryone)
        return (userIDs, roleIDs, everyone)
    }

    /// Stores a new message from `authorID` and returns it with its MESSAGE_CREATE.
    mutating func storeMessage(
        _ draft: MessageDraft, in channel: SandboxChannel, authorID: Snowflake, defaultMentions: MessageDraft.Mentions,
        senderPermissions: Permissions, webhook: Bool = false, interactionID: Snowflake? = nil, now: Double
    ) -> (SandboxMessage, SandboxDispatch?) {
        let guild = channel.guildID.flatMap { guilds[$0] }
        let content = draft.content ?? ""
        let mentioned = mentions(in: content, allowed: draft.allowedMentions ?? defaultMentions, guild: guild, senderPermissions: senderPermissions)
        var type = draft.messageReference?.messageID != nil ? 19 : 0
        if let interactionID, let interaction = interactions[interactionID] {
            type = interaction.type == 2 && interaction.originalMessageID == nil ? 20 : 0
        }
        let message = SandboxMessage(
            id: nextID(), channelID: channel.id, guildID: channel.guildID, authorID: authorID,
            webhookID: webhook ? application.id : nil, applicationID: webhook ? application.id : nil, type: type,
            content: content, embeds: draft.embeds ?? [], components: draft.components ?? [], flags: draft.flags ?? 0,
            tts: draft.tts && senderPermissions.contains(.sendTTSMessages), timestamp: Self.timestamp(now),
            editedTimestamp: nil, mentionIDs: mentioned.users, mentionRoleIDs: mentioned.roles,
            mentionEveryone: mentioned.everyone, nonce: draft.nonce, messageReference: draft.messageReference,
            interactionID: interactionID, reactions: []
        )
        messages[message.id] = message
        channelMessages[channel.id, default: []].append(message.id)
        channels[channel.id]?.lastMessageID = message.id
        // Ephemeral messages reach only the invoker's client, never the bot's gateway.
        guard message.flags & 64 == 0 else { return (message, nil) }
        return (message, messageEvent("MESSAGE_CREATE", message))
    }

    func messageEvent(_ name: String, _ message: SandboxMessage) -> SandboxDispatch {
        let (full, redacted) = messageEventJSON(message)
        let intents = message.guildID == nil ? SandboxIntents.directMessages : SandboxIntents.guildMessages
        return event(name, guild: message.guildID, intents: intents, full, redacted: redacted)
    }

    func messageDeleteEvent(_ message: SandboxMessage) -> SandboxDispatch {
        var data: [String: JSONValue] = ["id": .string(message.id.description), "channel_id": .string(message.channelID.description)]
        if let guildID = message.guildID { data["guild_id"] = .string(guildID.description) }
        let intents = message.guildID == nil ? SandboxIntents.directMessages : SandboxIntents.guildMessages
        return event("MESSAGE_DELETE", guild: message.guildID, intents: intents, .object(data))
    }

    mutating func removeMessage(_ message: SandboxMessage) {
        messages[message.id] = nil
        channelMessages[message.channelID]?.removeAll { $0 == message.id }
    }

    // MARK: REST, as the bot

    mutating func createMessage(channelID: Snowflake, bytes: [UInt8], now: Double) throws(SandboxAPIError) -> (SandboxMessage, [SandboxDispatch]) {
        let channel = try channel(channelID)
        let bot = application.botUserID
        let guild = try requireSendable(channel, by: bot, now: now)
        let draft = try MessageDraft.parse(bytes, kind: .create, allowedFlags: Self.creatableMessageFlags)
        let granted: Permissions = guild.map { self.permissions(of: bot, in: $0, channel: channel, now: now) } ?? .all
        if draft.messageReference?.messageID != nil, guild != nil, !granted.contains(.readMessageHistory) {
            throw .missingPermissions
        }
        // With enforce_nonce, the same author's same nonce within the window returns the
        // message made the first time and creates nothing (a retried send posts once).
        let nonceKey = draft.enforceNonce ? draft.nonce.map { "\(bot):\($0)" } : nil
        if let nonceKey, let earlier = enforcedNonces[nonceKey], now - earlier.at < Self.enforcedNonceSeconds,
           let message = messages[earlier.message] {
            return (message, [])
        }
        let (message, dispatch) = storeMessage(
            draft, in: channel, authorID: bot, defaultMentions: .botDefault, senderPermissions: granted, now: now
        )
        if let nonceKey { enforcedNonces[nonceKey] = (message.id, now) }
        return (message, dispatch.map { [$0] } ?? [])
    }

    mutating func editMessage(channelID: Snowflake, messageID: Snowflake, bytes: [UInt8], now: Double) throws(SandboxAPIError) -> (SandboxMessage, [SandboxDispatch]) {
        var message = try message(messageID, in: channelID)
        let channel = try channel(channelID)
        let bot = application.botUserID
        let draft = try MessageDraft.parse(bytes, kind: .edit, allowedFlags: Self.creatableMessageFlags)
        if message.authorID != bot || message.webhookID != nil {
            guard draft.present.isSubset(of: ["flags"]), let guild = channel.guildID.flatMap({ guilds[$0] }) else {
                throw .cannotEditOthersMessage
            }
            guard permissions(of: bot, in: guild, channel: channel, now: now).contains(.manageMessages) else { throw .missingPermissions }
        }
        try apply(draft, to: &message, now: now)
        messages[message.id] = message
        return (message, [messageEvent("MESSAGE_UPDATE", message)])
    }

    /// Applies the fields an edit names; absent fields keep their value, `null` clears them.
    func apply(_ draft: MessageDraft, to message: inout SandboxMessage, now: Double) throws(SandboxAPIError) {
        let guild = message.guildID.flatMap { guilds[$0] }
        if draft.present.contains("content") {
            message.content = draft.content ?? ""
            let mentioned = mentions(in: message.content, allowed: draft.allowedMentions ?? .botDefault, guild: guild, senderPermissions: .all)
            message.mentionIDs = mentioned.users
            message.mentionRoleIDs = mentioned.roles
        }
        if draft.present.contains("embeds") { message.embeds = draft.embeds ?? [] }
        if draft.present.contains("components") { message.components = draft.components ?? [] }
        if let flags = draft.flags { message.flags = (message.flags & ~Self.creatableMessageFlags) | flags }
        if message.content.isEmpty, message.embeds.isEmpty, message.components.isEmpty { throw .emptyMessage }
        message.editedTimestamp = Self.timestamp(now)
    }

    mutating func deleteMessage(channelID: Snowflake, messageID: Snowflake, now: Double) throws(SandboxAPIError) -> [SandboxDispatch] {
        let message = try message(messageID, in: channelID)
        let channel = try channel(channelID)
        let bot = application.botUserID
        if message.authorID != bot {
            guard let guild = channel.guildID.flatMap({ guilds[$0] }) else { throw .missingPermissions }
            guard permissions(of: bot, in: guild, channel: channel, now: now).contains(.manageMessages) else { throw .missingPermissions }
        }
        removeMessage(message)
        return [messageDeleteEvent(message)]
    }

    mutating func bulkDeleteMessages(channelID: Snowflake, body: RequestBody, now: Double) throws(SandboxAPIError) -> [SandboxDispatch] {
        let channel = try channel(channelID)
        guard let guild = channel.guildID.flatMap({ guilds[$0] }) else { throw .missingPermissions }
        guard permissions(of: application.botUserID, in: guild, channel: channel, now: now).contains(.manageMessages) else {
            throw .missingPermissions
        }
        let ids = try body.snowflakes("messages", maxCount: 100) ?? []
        guard ids.count >= 2 else {
            throw .invalidFormBody(["messages"], code: "BASE_TYPE_BAD_LENGTH", message: "Must be between 2 and 100 in length.")
        }
        let found = ids.compactMap { id in messages[id].flatMap { $0.channelID == channelID ? $0 : nil } }
        for message in found { removeMessage(message) }
        guard !found.isEmpty else { return [] }
        let data: JSONValue = .object([
            "ids": .array(found.map { .string($0.id.description) }), "channel_id": .string(channelID.description),
            "guild_id": .string(guild.id.description),
        ])
        return [event("MESSAGE_DELETE_BULK", guild: guild.id, intents: SandboxIntents.guildMessages, data)]
    }

    /// Messages of a channel, newest first, as `GET /channels/{id}/messages` pages them.
    func listMessages(channelID: Snowflake, query: [String: String], by userID: Snowflake, now: Double) throws(SandboxAPIError) -> [SandboxMessage] {
        let channel = try channel(channelID)
        if let guild = channel.guildID.flatMap({ guilds[$0] }) {
            let permissions = permissions(of: userID, in: guild, channel: channel, now: now)
            guard permissions.contains(.viewChannel) else { throw .missingAccess }
            guard permissions.contains(.readMessageHistory) else { return [] }
        }
        let limit = try Self.queryInteger(query, "limit", range: 1...100) ?? 50
        let ids = channelMessages[channelID] ?? []
        var selected: [Snowflake]
        if let before = try Self.querySnowflake(query, "before") {
            selected = Array(ids.filter { $0 < before }.suffix(limit))
        } else if let after = try Self.querySnowflake(query, "after") {
            selected = Array(ids.filter { $0 > after }.prefix(limit))
        } else if let around = try Self.querySnowflake(query, "around") {
            let older = ids.filter { $0 < around }.suffix(limit / 2)
            let newer = ids.filter { $0 >= around }.prefix(limit - older.count)
            selected = Array(older) + Array(newer)
        } else {
            selected = Array(ids.suffix(limit))
        }
        return selected.reversed().compactMap { messages[$0] }
    }

    static func queryInteger(_ query: [String: String], _ key: String, range: ClosedRange<Int>) throws(SandboxAPIError) -> Int? {
        guard let text = query[key] else { return nil }
        guard let value = Int(text), range.contains(value) else {
            throw .invalidFormBody([key], code: "NUMBER_TYPE_MAX", message: "int value should be between \(range.lowerBound) and \(range.upperBound).")
        }
        return value
    }

    static func querySnowflake(_ query: [String: String], _ key: String) throws(SandboxAPIError) -> Snowflake? {
        guard let text = query[key] else { return nil }
        guard let id = Snowflake(text) else {
            throw .invalidFormBody([key], code: "NUMBER_TYPE_COERCE", message: "Value \"\(text)\" is not snowflake.")
        }
        return id
    }

    static func queryBool(_ query: [String: String], _ key: String) -> Bool? {
        guard let text = query[key] else { return nil }
        return ["true", "True", "1"].contains(text) ? true : (["false", "False", "0"].contains(text) ? false : nil)
    }
}
