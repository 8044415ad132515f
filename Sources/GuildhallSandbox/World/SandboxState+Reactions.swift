import GuildhallCore
import GuildhallDiscordModels

/// Reactions: the bot's own (REST) and members' (control API), with their gateway events.
extension SandboxState {
    /// Checks the emoji of a reaction route. The sandbox has no custom emoji, so only unicode
    /// emoji exist; plain text or `name:id` is an unknown emoji (10014), as on Discord.
    static func validateEmoji(_ emoji: String) throws(SandboxAPIError) -> String {
        guard !emoji.isEmpty, !emoji.contains(":"), emoji.unicodeScalars.contains(where: { !$0.isASCII }) else {
            throw .unknownEmoji
        }
        return emoji
    }

    /// Adds `userID`'s reaction; `nil` when it was already there (no event, as on Discord).
    mutating func addReaction(
        channelID: Snowflake, messageID: Snowflake, emoji rawEmoji: String, userID: Snowflake, now: Double
    ) throws(SandboxAPIError) -> [SandboxDispatch] {
        var message = try message(messageID, in: channelID)
        let channel = try channel(channelID)
        let emoji = try Self.validateEmoji(rawEmoji)
        let index = message.reactions.firstIndex { $0.emoji == emoji }
        var member: SandboxMember?
        if let guild = channel.guildID.flatMap({ guilds[$0] }) {
            guard let found = guild.members[userID] else { throw .missingAccess }
            member = found
            let permissions = permissions(of: userID, in: guild, channel: channel, now: now)
            guard permissions.contains(.viewChannel) else { throw .missingAccess }
            guard permissions.contains(.readMessageHistory), index != nil || permissions.contains(.addReactions) else {
                throw .missingPermissions
            }
        }
        if let index {
            guard !message.reactions[index].userIDs.contains(userID) else { return [] }
            message.reactions[index].userIDs.append(userID)
        } else {
            message.reactions.append(SandboxReaction(emoji: emoji, userIDs: [userID]))
        }
        messages[message.id] = message
        var data = reactionEventData(message, emoji: emoji, userID: userID)
        if let member { data["member"] = memberJSON(member) }
        data["message_author_id"] = .string(message.authorID.description)
        data["burst_colors"] = .array([])
        let intents = message.guildID == nil ? SandboxIntents.directMessageReactions : SandboxIntents.guildMessageReactions
        return [event("MESSAGE_REACTION_ADD", guild: message.guildID, intents: intents, .object(data))]
    }

    mutating func removeReaction(
        channelID: Snowflake, messageID: Snowflake, emoji rawEmoji: String, userID: Snowflake
    ) throws(SandboxAPIError) -> [SandboxDispatch] {
        var message = try message(messageID, in: channelID)
        let emoji = try Self.validateEmoji(rawEmoji)
        guard let index = message.reactions.firstIndex(where: { $0.emoji == emoji }),
              message.reactions[index].userIDs.contains(userID)
        else { return [] }
        message.reactions[index].userIDs.removeAll { $0 == userID }
        if message.reactions[index].userIDs.isEmpty { message.reactions.remove(at: index) }
        messages[message.id] = message
        let intents = message.guildID == nil ? SandboxIntents.directMessageReactions : SandboxIntents.guildMessageReactions
        return [event("MESSAGE_REACTION_REMOVE", guild: message.guildID, intents: intents,
                      .object(reactionEventData(message, emoji: emoji, userID: userID)))]
    }

    /// Users who reacted with `emoji`, by id, after `after`, at most `limit` (1–100, default 25).
    func reactionUsers(channelID: Snowflake, messageID: Snowflake, emoji rawEmoji: String, query: [String: String]) throws(SandboxAPIError) -> [Snowflake] {
        let message = try message(messageID, in: channelID)
        let emoji = try Self.validateEmoji(rawEmoji)
        let limit = try Self.queryInteger(query, "limit", range: 1...100) ?? 25
        let after = try Self.querySnowflake(query, "after")
        let userIDs = message.reactions.first { $0.emoji == emoji }?.userIDs ?? []
        return Array(userIDs.sorted().filter { after == nil || $0 > after! }.prefix(limit))
    }

    private func reactionEventData(_ message: SandboxMessage, emoji: String, userID: Snowflake) -> [String: JSONValue] {
        var data: [String: JSONValue] = [
            "user_id": .string(userID.description), "channel_id": .string(message.channelID.description),
            "message_id": .string(message.id.description), "emoji": .object(["id": .null, "name": .string(emoji)]),
            "burst": .bool(false), "type": .integer(0),
        ]
        if let guildID = message.guildID { data["guild_id"] = .string(guildID.description) }
        return data
    }
}
