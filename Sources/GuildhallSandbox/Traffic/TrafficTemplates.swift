import GuildhallCore
import GuildhallDiscordModels

/// Pre-encoded MESSAGE_CREATE payloads, one per (guild, member), split around the message id
/// so an event is `prefix + id + suffix`.
struct TrafficTemplates: Sendable {
    struct Template: Sendable {
        var guildID: Snowflake
        var prefix: [UInt8]
        var suffix: [UInt8]
        var redactedPrefix: [UInt8]
        var redactedSuffix: [UInt8]
    }

    static let placeholder = Snowflake(UInt64.max)
    let templates: [Template]

    init(world: SandboxWorld, guildIDs: [Snowflake]?) throws {
        let built: [Template] = try world.read { state in
            let ids = guildIDs ?? state.guildOrder
            var result: [Template] = []
            for guildID in ids {
                let guild = try state.guild(guildID)
                guard let channel = guild.channelIDs.compactMap({ state.channels[$0] }).first(where: { $0.kind == .text && $0.name == "general" })
                    ?? guild.channelIDs.compactMap({ state.channels[$0] }).first(where: { $0.kind == .text })
                else { continue }
                let authors = guild.orderedMembers.map(\.userID).filter { $0 != state.application.botUserID }.prefix(32)
                for (index, author) in authors.enumerated() {
                    let message = SandboxMessage(
                        id: Self.placeholder, channelID: channel.id, guildID: guildID, authorID: author, webhookID: nil,
                        applicationID: nil, type: 0, content: "sandbox traffic \(index) in \(guild.name)", embeds: [],
                        components: [], flags: 0, tts: false, timestamp: SandboxState.timestamp(world.now), editedTimestamp: nil,
                        mentionIDs: [], mentionRoleIDs: [], mentionEveryone: false, nonce: nil, messageReference: nil,
                        interactionID: nil, reactions: []
                    )
                    let (full, redacted) = state.messageEventJSON(message)
                    let (prefix, suffix) = Self.split(SandboxWire.bytes(full))
                    let (redactedPrefix, redactedSuffix) = Self.split(SandboxWire.bytes(redacted ?? full))
                    result.append(Template(
                        guildID: guildID, prefix: prefix, suffix: suffix, redactedPrefix: redactedPrefix, redactedSuffix: redactedSuffix
                    ))
                }
            }
            return result
        }
        guard !built.isEmpty else { throw GuildhallError(.invalidInput, "traffic: no guild with a text channel and members to post") }
        templates = built
    }

    /// Splits encoded JSON at the placeholder id.
    static func split(_ bytes: [UInt8]) -> ([UInt8], [UInt8]) {
        let needle = Array(placeholder.description.utf8)
        var index = 0
        while index + needle.count <= bytes.count {
            if bytes[index] == needle[0], Array(bytes[index..<(index + needle.count)]) == needle {
                return (Array(bytes[..<index]), Array(bytes[(index + needle.count)...]))
            }
            index += 1
        }
        return (bytes, [])
    }

    /// The `index`-th event, round robin over the templates.
    func dispatch(index: Int, messageID: Snowflake) -> SandboxDispatch {
        let template = templates[index % templates.count]
        let id = Array(messageID.description.utf8)
        var data: [UInt8] = []
        data.reserveCapacity(template.prefix.count + id.count + template.suffix.count)
        data += template.prefix
        data += id
        data += template.suffix
        var redacted: [UInt8] = []
        redacted.reserveCapacity(template.redactedPrefix.count + id.count + template.redactedSuffix.count)
        redacted += template.redactedPrefix
        redacted += id
        redacted += template.redactedSuffix
        return SandboxDispatch(
            name: "MESSAGE_CREATE", guildID: template.guildID, requiredIntents: SandboxIntents.guildMessages,
            data: data, redactedData: redacted
        )
    }
}
