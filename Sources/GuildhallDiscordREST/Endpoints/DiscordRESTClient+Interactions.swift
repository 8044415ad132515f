import GuildhallCore
import GuildhallDiscordModels

/// Application commands, interaction responses and follow-ups. Callbacks and follow-ups
/// carry their token in the path: they are sent without the bot token and outside the
/// global limit, as Discord treats them.
extension DiscordRESTClient {
    /// `PUT /applications/{application_id}/commands`: replaces every global command.
    public func bulkOverwriteGlobalCommands(applicationID: Snowflake, _ commands: [ApplicationCommand]) async throws -> [ApplicationCommand] {
        try await call("bulkOverwriteGlobalCommands") {
            try Self.validate(commands)
            return DiscordRESTRequest(route: try .globalCommands(applicationID: applicationID), body: try .json(encoding: commands))
        }
    }

    /// `PUT /applications/{application_id}/guilds/{guild_id}/commands`: replaces the guild's commands.
    public func bulkOverwriteGuildCommands(applicationID: Snowflake, guildID: Snowflake, _ commands: [ApplicationCommand]) async throws -> [ApplicationCommand] {
        try await call("bulkOverwriteGuildCommands") {
            try Self.validate(commands)
            return DiscordRESTRequest(route: try .guildCommands(applicationID: applicationID, guildID: guildID), body: try .json(encoding: commands))
        }
    }

    /// `POST /interactions/{id}/{token}/callback`: the first answer (within 3 s).
    public func createInteractionResponse(interactionID: Snowflake, token: String, _ response: InteractionResponse) async throws {
        var body = response
        if case .message(var message) = response.data {
            message.allowedMentions = Self.safeMentions(message.allowedMentions)
            body.data = .message(message)
        }
        try await callIgnoringResponse("createInteractionResponse") {
            try body.validate()
            return DiscordRESTRequest(route: try .interactionCallback(interactionID: interactionID, token: token), body: try .json(encoding: body))
        }
    }

    /// `POST /webhooks/{application_id}/{token}`: a follow-up message (within 15 minutes).
    public func createFollowupMessage(applicationID: Snowflake, token: String, _ message: InteractionMessage) async throws -> Message {
        let body = Self.safe(message)
        return try await call("createFollowupMessage") {
            try body.validate()
            return DiscordRESTRequest(route: try .followup(applicationID: applicationID, token: token), body: try .json(encoding: body))
        }
    }

    /// `PATCH /webhooks/{application_id}/{token}/messages/@original`.
    public func editOriginalInteractionResponse(applicationID: Snowflake, token: String, _ message: InteractionMessage) async throws -> Message {
        try await editFollowup(applicationID: applicationID, token: token, messageID: nil, message)
    }

    /// `DELETE /webhooks/{application_id}/{token}/messages/@original`.
    public func deleteOriginalInteractionResponse(applicationID: Snowflake, token: String) async throws {
        try await deleteFollowup(applicationID: applicationID, token: token, messageID: nil)
    }

    /// `PATCH /webhooks/{application_id}/{token}/messages/{message_id}`.
    public func editFollowupMessage(applicationID: Snowflake, token: String, messageID: Snowflake, _ message: InteractionMessage) async throws -> Message {
        try await editFollowup(applicationID: applicationID, token: token, messageID: messageID, message)
    }

    /// `DELETE /webhooks/{application_id}/{token}/messages/{message_id}`.
    public func deleteFollowupMessage(applicationID: Snowflake, token: String, messageID: Snowflake) async throws {
        try await deleteFollowup(applicationID: applicationID, token: token, messageID: messageID)
    }

    private func editFollowup(applicationID: Snowflake, token: String, messageID: Snowflake?, _ message: InteractionMessage) async throws -> Message {
        let body = Self.safe(message)
        return try await call(messageID == nil ? "editOriginalInteractionResponse" : "editFollowupMessage") {
            try body.validate()
            return DiscordRESTRequest(
                route: try .followupMessage(.PATCH, applicationID: applicationID, token: token, messageID: messageID),
                body: try .json(encoding: body)
            )
        }
    }

    private func deleteFollowup(applicationID: Snowflake, token: String, messageID: Snowflake?) async throws {
        try await callIgnoringResponse(messageID == nil ? "deleteOriginalInteractionResponse" : "deleteFollowupMessage") {
            DiscordRESTRequest(route: try .followupMessage(.DELETE, applicationID: applicationID, token: token, messageID: messageID))
        }
    }

    static func safe(_ message: InteractionMessage) -> InteractionMessage {
        var message = message
        message.allowedMentions = safeMentions(message.allowedMentions)
        return message
    }
}
