import GuildhallCore
import GuildhallDiscordModels

/// Messages, reactions and DMs.
extension DiscordRESTClient {
    /// `POST /channels/{channel_id}/messages`. Mentions parse nothing unless
    /// `message.allowedMentions` says otherwise; a body breaking Discord's limits is refused
    /// before sending, with the 50035 body Discord would have answered.
    public func createMessage(channelID: Snowflake, _ message: CreateMessageRequest) async throws -> Message {
        var body = message
        body.allowedMentions = Self.safeMentions(message.allowedMentions)
        return try await call("createMessage") {
            try body.validate()
            return DiscordRESTRequest(route: try .createMessage(channelID: channelID), body: try .json(encoding: body))
        }
    }

    /// `PATCH /channels/{channel_id}/messages/{message_id}`.
    public func editMessage(channelID: Snowflake, messageID: Snowflake, _ edit: EditMessageRequest) async throws -> Message {
        var body = edit
        body.allowedMentions = Self.safeMentions(edit.allowedMentions)
        return try await call("editMessage") {
            try body.validate()
            return DiscordRESTRequest(route: try .message(.PATCH, channelID: channelID, messageID: messageID), body: try .json(encoding: body))
        }
    }

    /// `GET /channels/{channel_id}/messages/{message_id}`.
    public func getMessage(channelID: Snowflake, messageID: Snowflake) async throws -> Message {
        try await call("getMessage") {
            DiscordRESTRequest(route: try .message(.GET, channelID: channelID, messageID: messageID))
        }
    }

    /// `DELETE /channels/{channel_id}/messages/{message_id}`; `reason` goes to the audit log.
    public func deleteMessage(channelID: Snowflake, messageID: Snowflake, reason: String? = nil) async throws {
        try await callIgnoringResponse("deleteMessage") {
            DiscordRESTRequest(route: try .message(.DELETE, channelID: channelID, messageID: messageID), auditLogReason: reason)
        }
    }

    /// `PUT …/reactions/{emoji}/@me`: `emoji` is a Unicode emoji or `name:id` for a custom one.
    public func addOwnReaction(channelID: Snowflake, messageID: Snowflake, emoji: String) async throws {
        try await callIgnoringResponse("addOwnReaction") {
            DiscordRESTRequest(route: try .ownReaction(.PUT, channelID: channelID, messageID: messageID, emoji: emoji))
        }
    }

    /// `DELETE …/reactions/{emoji}/@me`.
    public func removeOwnReaction(channelID: Snowflake, messageID: Snowflake, emoji: String) async throws {
        try await callIgnoringResponse("removeOwnReaction") {
            DiscordRESTRequest(route: try .ownReaction(.DELETE, channelID: channelID, messageID: messageID, emoji: emoji))
        }
    }

    /// `POST /users/@me/channels`: the DM channel with a user (existing or new).
    public func createDM(recipientID: Snowflake) async throws -> Channel {
        try await call("createDM") {
            DiscordRESTRequest(route: try .createDM(), body: try .json(encoding: CreateDMRequest(recipientID: recipientID)))
        }
    }
}

/// `{"recipient_id"}`, the body of `POST /users/@me/channels`.
struct CreateDMRequest: Encodable {
    let recipientID: Snowflake

    enum CodingKeys: String, CodingKey {
        case recipientID = "recipient_id"
    }
}
