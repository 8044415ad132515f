import Foundation

/// Hand-written decoding of the types every MESSAGE_CREATE carries (`Message`, `User`,
/// `GuildMember`), straight off the tape: one walk over the members, no containers, no
/// generic look-ups. Codable costs more than the JSON itself on these types.
///
/// A fast path never decides anything on its own: whenever a payload is not exactly what it
/// expects (a wrong type, a missing required member, an escaped member name) it returns nil,
/// and the type's own `init(from:)` decodes the value, with its own errors. So both paths
/// give the same value or the same error. `GatewayHotTypeFields` lists the stored properties
/// each fast path sets; a test compares them with the types, so a property added to a model
/// cannot be silently left out here.
extension GatewayJSONValueDecoder {
    // MARK: Reading members

    @inline(__always)
    private func keyIs(_ entry: Entry, _ name: StaticString) -> Bool {
        let length = Int(entry.end &- entry.start)
        guard length == name.utf8CodeUnitCount else { return false }
        return memcmp(storage.bytes.baseAddress! + Int(entry.start), name.utf8Start, length) == 0
    }

    @inline(__always)
    private func isNull(_ index: Int) -> Bool { storage.entries[index].kind == .null }

    @inline(__always)
    private func stringValue(_ index: Int) -> String? {
        let entry = storage.entries[index]
        switch entry.kind {
        case .string: return String(decoding: storage.text(entry), as: UTF8.self)
        case .escapedString: return try? storage.string(entry)
        default: return nil
        }
    }

    @inline(__always)
    private func boolValue(_ index: Int) -> Bool? {
        switch storage.entries[index].kind {
        case .trueValue: true
        case .falseValue: false
        default: nil
        }
    }

    @inline(__always)
    private func intValue(_ index: Int) -> Int? {
        let entry = storage.entries[index]
        guard entry.kind == .number else { return nil }
        return storage.integer(entry, as: Int.self)
    }

    @inline(__always)
    private func timestampValue(_ index: Int) -> DiscordTimestamp? {
        stringValue(index).flatMap(DiscordTimestamp.init(iso8601:))
    }

    /// Reads an optional member: `.some(nil)` for null, `.some(value)` when `read` succeeds,
    /// nil (give up) when it does not.
    @inline(__always)
    private func optional<T>(_ index: Int, _ read: (Int) -> T?) -> T?? {
        if isNull(index) { return .some(nil) }
        guard let value = read(index) else { return nil }
        return .some(value)
    }

    private func snowflakeArray(_ index: Int) -> [Snowflake]? {
        let entry = storage.entries[index]
        guard entry.kind == .array else { return nil }
        var result: [Snowflake] = []
        result.reserveCapacity(Int(entry.count))
        for element in index + 1..<Int(entry.end) {
            guard let value = storage.snowflake(storage.entries[element]) else { return nil }
            result.append(value)
        }
        return result
    }

    /// An array decoded by its element type's own `init(from:)`; empty arrays cost nothing.
    private func codableArray<Element: Decodable>(_ index: Int, of type: Element.Type, key: any CodingKey) -> [Element]? {
        let entry = storage.entries[index]
        guard entry.kind == .array else { return nil }
        if entry.count == 0 { return [] }
        return try? decodeValue([Element].self, at: index, key: key)
    }

    // MARK: User

    func fastUser(at index: Int) -> User? {
        let object = storage.entries[index]
        guard object.kind == .object else { return nil }
        var id: Snowflake?
        var username: String?
        var discriminator: String?, globalName: String?, avatar: String?, banner: String?, locale: String?, email: String?
        var bot: Bool?, system: Bool?, mfaEnabled: Bool?, verified: Bool?
        var accentColor: Int?, flags: Int?, premiumType: Int?, publicFlags: Int?
        var position = index + 1
        let end = Int(object.end)
        while position < end {
            let key = storage.entries[position]
            let value = position + 1
            guard key.kind == .string else { return nil }
            if keyIs(key, "id") {
                guard let read = storage.snowflake(storage.entries[value]) else { return nil }
                id = read
            } else if keyIs(key, "username") {
                guard let read = stringValue(value) else { return nil }
                username = read
            } else if keyIs(key, "discriminator") {
                guard let read = optional(value, stringValue) else { return nil }
                discriminator = read
            } else if keyIs(key, "global_name") {
                guard let read = optional(value, stringValue) else { return nil }
                globalName = read
            } else if keyIs(key, "avatar") {
                guard let read = optional(value, stringValue) else { return nil }
                avatar = read
            } else if keyIs(key, "bot") {
                guard let read = optional(value, boolValue) else { return nil }
                bot = read
            } else if keyIs(key, "public_flags") {
                guard let read = optional(value, intValue) else { return nil }
                publicFlags = read
            } else if keyIs(key, "flags") {
                guard let read = optional(value, intValue) else { return nil }
                flags = read
            } else if keyIs(key, "system") {
                guard let read = optional(value, boolValue) else { return nil }
                system = read
            } else if keyIs(key, "mfa_enabled") {
                guard let read = optional(value, boolValue) else { return nil }
                mfaEnabled = read
            } else if keyIs(key, "banner") {
                guard let read = optional(value, stringValue) else { return nil }
                banner = read
            } else if keyIs(key, "accent_color") {
                guard let read = optional(value, intValue) else { return nil }
                accentColor = read
            } else if keyIs(key, "locale") {
                guard let read = optional(value, stringValue) else { return nil }
                locale = read
            } else if keyIs(key, "verified") {
                guard let read = optional(value, boolValue) else { return nil }
                verified = read
            } else if keyIs(key, "email") {
                guard let read = optional(value, stringValue) else { return nil }
                email = read
            } else if keyIs(key, "premium_type") {
                guard let read = optional(value, intValue) else { return nil }
                premiumType = read
            }
            position = storage.skip(value)
        }
        guard let id, let username else { return nil }
        return User(
            id: id, username: username, discriminator: discriminator, globalName: globalName, avatar: avatar, bot: bot,
            system: system, mfaEnabled: mfaEnabled, banner: banner, accentColor: accentColor, locale: locale,
            verified: verified, email: email, flags: flags, premiumType: premiumType, publicFlags: publicFlags
        )
    }

    // MARK: GuildMember

    func fastGuildMember(at index: Int) -> GuildMember? {
        let object = storage.entries[index]
        guard object.kind == .object else { return nil }
        var member = GuildMember()
        var position = index + 1
        let end = Int(object.end)
        while position < end {
            let key = storage.entries[position]
            let value = position + 1
            guard key.kind == .string else { return nil }
            if keyIs(key, "roles") {
                if !isNull(value) {
                    guard let read = snowflakeArray(value) else { return nil }
                    member.roles = read
                }
            } else if keyIs(key, "user") {
                // As the model's own decoding: a user that cannot be read leaves the member without one.
                member.user = isNull(value) ? nil : (fastUser(at: value) ?? (try? decodeValue(User.self, at: value, key: GuildMember.CodingKeys.user)))
            } else if keyIs(key, "nick") {
                guard let read = optional(value, stringValue) else { return nil }
                member.nick = read
            } else if keyIs(key, "joined_at") {
                guard let read = optional(value, timestampValue) else { return nil }
                member.joinedAt = read
            } else if keyIs(key, "premium_since") {
                guard let read = optional(value, timestampValue) else { return nil }
                member.premiumSince = read
            } else if keyIs(key, "communication_disabled_until") {
                guard let read = optional(value, timestampValue) else { return nil }
                member.communicationDisabledUntil = read
            } else if keyIs(key, "avatar") {
                guard let read = optional(value, stringValue) else { return nil }
                member.avatar = read
            } else if keyIs(key, "banner") {
                guard let read = optional(value, stringValue) else { return nil }
                member.banner = read
            } else if keyIs(key, "deaf") {
                guard let read = optional(value, boolValue) else { return nil }
                member.deaf = read
            } else if keyIs(key, "mute") {
                guard let read = optional(value, boolValue) else { return nil }
                member.mute = read
            } else if keyIs(key, "flags") {
                guard let read = optional(value, intValue) else { return nil }
                member.flags = read
            } else if keyIs(key, "pending") {
                guard let read = optional(value, boolValue) else { return nil }
                member.pending = read
            } else if keyIs(key, "permissions") {
                guard let read = optional(value, { self.storage.snowflake(self.storage.entries[$0]) }) else { return nil }
                member.permissions = read.map { Permissions(rawValue: $0.rawValue) }
            }
            position = storage.skip(value)
        }
        return member
    }

    // MARK: Envelope

    /// A whole MESSAGE_CREATE frame, decoded without any container: the case that must be
    /// fastest. Any other frame returns nil and takes the envelope's own decoding.
    func fastServerPayload(at index: Int) -> GatewayServerPayload? {
        let object = storage.entries[index]
        guard object.kind == .object else { return nil }
        var opcode: Int?
        var sequence: Int?
        var isMessageCreate = false
        var data: Int?
        var position = index + 1
        let end = Int(object.end)
        while position < end {
            let key = storage.entries[position]
            let value = position + 1
            guard key.kind == .string else { return nil }
            if keyIs(key, "op") {
                opcode = intValue(value)
            } else if keyIs(key, "t") {
                let name = storage.entries[value]
                guard name.kind == .string, keyIs(name, "MESSAGE_CREATE") else { return nil }
                isMessageCreate = true
            } else if keyIs(key, "s") {
                guard let read = optional(value, intValue) else { return nil }
                sequence = read
            } else if keyIs(key, "d") {
                data = value
            }
            position = storage.skip(value)
        }
        guard opcode == 0, isMessageCreate, let data, let message = fastMessage(at: data) else { return nil }
        return .dispatch(sequence: sequence, event: .messageCreate(message))
    }

    // MARK: Message

    func fastMessage(at index: Int) -> Message? {
        let object = storage.entries[index]
        guard object.kind == .object else { return nil }
        var id: Snowflake?, channelID: Snowflake?, author: User?, content: String?, timestamp: DiscordTimestamp?
        var tts: Bool?, mentionEveryone: Bool?, pinned: Bool?, type: MessageType?
        var mentions: [User]?, mentionRoles: [Snowflake]?, attachments: [Attachment]?, embeds: [Embed]?
        var guildID: Snowflake?, member: GuildMember?, editedTimestamp: DiscordTimestamp?, mentionChannels: [ChannelMention]?
        var reactions: [Reaction]?, nonce: MessageNonce?, webhookID: Snowflake?, applicationID: Snowflake?
        var messageReference: MessageReference?, flags: MessageFlags?, components: [MessageComponent]?, messagePosition: Int?
        var position = index + 1
        let end = Int(object.end)
        while position < end {
            let key = storage.entries[position]
            let value = position + 1
            guard key.kind == .string else { return nil }
            if keyIs(key, "id") {
                guard let read = storage.snowflake(storage.entries[value]) else { return nil }
                id = read
            } else if keyIs(key, "channel_id") {
                guard let read = storage.snowflake(storage.entries[value]) else { return nil }
                channelID = read
            } else if keyIs(key, "guild_id") {
                guard let read = optional(value, { self.storage.snowflake(self.storage.entries[$0]) }) else { return nil }
                guildID = read
            } else if keyIs(key, "author") {
                guard let read = fastUser(at: value) else { return nil }
                author = read
            } else if keyIs(key, "member") {
                if !isNull(value) {
                    guard let read = fastGuildMember(at: value) else { return nil }
                    member = read
                }
            } else if keyIs(key, "content") {
                guard let read = stringValue(value) else { return nil }
                content = read
            } else if keyIs(key, "timestamp") {
                guard let read = timestampValue(value) else { return nil }
                timestamp = read
            } else if keyIs(key, "edited_timestamp") {
                guard let read = optional(value, timestampValue) else { return nil }
                editedTimestamp = read
            } else if keyIs(key, "tts") {
                guard let read = boolValue(value) else { return nil }
                tts = read
            } else if keyIs(key, "mention_everyone") {
                guard let read = boolValue(value) else { return nil }
                mentionEveryone = read
            } else if keyIs(key, "mentions") {
                let list = storage.entries[value]
                guard list.kind == .array else { return nil }
                var users: [User] = []
                users.reserveCapacity(Int(list.count))
                var element = value + 1
                while element < Int(list.end) {
                    guard let user = fastUser(at: element) else { return nil }
                    users.append(user)
                    element = storage.skip(element)
                }
                mentions = users
            } else if keyIs(key, "mention_roles") {
                guard let read = snowflakeArray(value) else { return nil }
                mentionRoles = read
            } else if keyIs(key, "attachments") {
                guard let read = codableArray(value, of: Attachment.self, key: Message.CodingKeys.attachments) else { return nil }
                attachments = read
            } else if keyIs(key, "embeds") {
                guard let read = codableArray(value, of: Embed.self, key: Message.CodingKeys.embeds) else { return nil }
                embeds = read
            } else if keyIs(key, "pinned") {
                guard let read = boolValue(value) else { return nil }
                pinned = read
            } else if keyIs(key, "type") {
                guard let read = intValue(value) else { return nil }
                type = MessageType(rawValue: read)
            } else if keyIs(key, "nonce") {
                let entry = storage.entries[value]
                switch entry.kind {
                case .null: nonce = nil
                case .number:
                    guard let read = storage.integer(entry, as: Int64.self) else { return nil }
                    nonce = .integer(read)
                default:
                    guard let read = stringValue(value) else { return nil }
                    nonce = .string(read)
                }
            } else if keyIs(key, "flags") {
                guard let read = optional(value, intValue) else { return nil }
                flags = read.map(MessageFlags.init(rawValue:))
            } else if keyIs(key, "components") {
                guard let read = optional(value, { self.codableArray($0, of: MessageComponent.self, key: Message.CodingKeys.components) }) else { return nil }
                components = read
            } else if keyIs(key, "webhook_id") {
                guard let read = optional(value, { self.storage.snowflake(self.storage.entries[$0]) }) else { return nil }
                webhookID = read
            } else if keyIs(key, "application_id") {
                guard let read = optional(value, { self.storage.snowflake(self.storage.entries[$0]) }) else { return nil }
                applicationID = read
            } else if keyIs(key, "mention_channels") {
                guard let read = optional(value, { self.codableArray($0, of: ChannelMention.self, key: Message.CodingKeys.mentionChannels) }) else { return nil }
                mentionChannels = read
            } else if keyIs(key, "reactions") {
                guard let read = optional(value, { self.codableArray($0, of: Reaction.self, key: Message.CodingKeys.reactions) }) else { return nil }
                reactions = read
            } else if keyIs(key, "message_reference") {
                if !isNull(value) {
                    guard let read = try? decodeValue(MessageReference.self, at: value, key: Message.CodingKeys.messageReference) else { return nil }
                    messageReference = read
                }
            } else if keyIs(key, "position") {
                guard let read = optional(value, intValue) else { return nil }
                messagePosition = read
            }
            position = storage.skip(value)
        }
        guard let id, let channelID, let author, let content, let timestamp, let tts, let mentionEveryone, let pinned,
              let type, let mentions, let mentionRoles, let attachments, let embeds
        else { return nil }
        return Message(
            id: id, channelID: channelID, guildID: guildID, author: author, member: member, content: content,
            timestamp: timestamp, editedTimestamp: editedTimestamp, tts: tts, mentionEveryone: mentionEveryone,
            mentions: mentions, mentionRoles: mentionRoles, mentionChannels: mentionChannels, attachments: attachments,
            embeds: embeds, reactions: reactions, nonce: nonce, pinned: pinned, webhookID: webhookID, type: type,
            applicationID: applicationID, messageReference: messageReference, flags: flags, components: components,
            position: messagePosition
        )
    }
}

/// The stored properties each fast path above sets, in declaration order. A test checks
/// them against the models, so a new property forces a look at the fast path.
enum GatewayHotTypeFields {
    static let user = [
        "id", "username", "discriminator", "globalName", "avatar", "bot", "system", "mfaEnabled", "banner", "accentColor",
        "locale", "verified", "email", "flags", "premiumType", "publicFlags",
    ]
    static let guildMember = [
        "user", "nick", "avatar", "banner", "roles", "joinedAt", "premiumSince", "deaf", "mute", "flags", "pending",
        "permissions", "communicationDisabledUntil",
    ]
    static let message = [
        "id", "channelID", "guildID", "author", "member", "content", "timestamp", "editedTimestamp", "tts",
        "mentionEveryone", "mentions", "mentionRoles", "mentionChannels", "attachments", "embeds", "reactions", "nonce",
        "pinned", "webhookID", "type", "applicationID", "messageReference", "flags", "components", "position",
    ]
}
