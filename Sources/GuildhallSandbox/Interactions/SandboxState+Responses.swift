import GuildhallCore
import GuildhallDiscordModels

/// The bot's answers to interactions: the one initial callback (within the deadline, never
/// twice), then follow-ups and edits through the interaction's webhook for the token's life.
extension SandboxState {
    /// Flags an interaction response may carry (FACTS.md §4.3).
    static let responseMessageFlags = (1 << 2) | (1 << 6) | (1 << 12) | (1 << 13) | (1 << 15)
    static let loadingFlag = 1 << 7
    static let ephemeralFlag = 1 << 6

    /// A callback body read before the world's lock is taken: parsing is the costly part, and
    /// needs nothing from the world. Its errors wait in `parsed` and are thrown only after
    /// the interaction itself is checked, in the order Discord checks them.
    struct ParsedResponse: Sendable {
        let parsed: Result<(raw: RequestBody, type: Int, draft: Result<MessageDraft, SandboxAPIError>?), SandboxAPIError>

        init(bytes: [UInt8]) {
            parsed = Result { () throws(SandboxAPIError) in
                let raw = try RequestBody(bytes: bytes)
                let response = try RequestBody.decode(InteractionResponse.self, bytes: bytes)
                let issues = response.validationIssues()
                if !issues.isEmpty { throw SandboxAPIError(RequestValidationError(issues: issues).errorBody) }
                let type = response.type.rawValue
                var draft: Result<MessageDraft, SandboxAPIError>?
                if [4, 5, 7].contains(type) {
                    let dataBytes = SandboxWire.bytes(raw.fields["data"] ?? .object([:]))
                    draft = Result { () throws(SandboxAPIError) in
                        try MessageDraft.parse(dataBytes, kind: .edit, allowedFlags: SandboxState.responseMessageFlags)
                    }
                }
                return (raw, type, draft)
            }
        }
    }

    /// `POST /interactions/{id}/{token}/callback`. Returns the `?with_response=true` body
    /// when `withResponse` asks for it.
    mutating func respond(
        interactionID: Snowflake, token: String, parsed: ParsedResponse, deadline: Double, now: Double, withResponse: Bool
    ) throws(SandboxAPIError) -> (JSONValue?, [SandboxDispatch]) {
        guard var interaction = interactions[interactionID], interaction.token == token else { throw .unknownInteraction }
        guard interaction.response == nil else { throw .alreadyAcknowledged }
        guard now - interaction.createdAt <= deadline else { throw .unknownInteraction }
        let (raw, callbackType, parsedDraft) = try parsed.parsed.get()
        let isComponent = interaction.type == 3
        switch callbackType {
        case 4, 5, 9, 10: break
        case 6, 7: guard isComponent else { throw Self.invalidCallbackType }
        case 8: guard interaction.type == 4 else { throw Self.invalidCallbackType }
        default: throw Self.invalidCallbackType
        }

        var dispatches: [SandboxDispatch] = []
        var resourceMessage: SandboxMessage?
        switch callbackType {
        case 4, 5:
            let draft = try parsedDraft!.get()
            var flags = draft.flags ?? 0
            if callbackType == 5 { flags = (flags & Self.ephemeralFlag) | Self.loadingFlag }
            var adjusted = draft
            adjusted.flags = flags
            if callbackType == 5 { adjusted.content = nil; adjusted.embeds = nil; adjusted.components = nil }
            let channel = try channel(interaction.channelID)
            let (message, dispatch) = storeMessage(
                adjusted, in: channel, authorID: application.botUserID, defaultMentions: .webhookDefault,
                senderPermissions: .all, webhook: true, interactionID: interaction.id, now: now
            )
            interaction.originalMessageID = message.id
            resourceMessage = message
            if let dispatch { dispatches.append(dispatch) }
        case 7:
            let draft = try parsedDraft!.get()
            if let sourceID = interaction.sourceMessageID, var source = messages[sourceID] {
                try apply(draft, to: &source, now: now)
                messages[sourceID] = source
                resourceMessage = source
                dispatches.append(messageEvent("MESSAGE_UPDATE", source))
            }
        default:
            break
        }
        interaction.response = .object(raw.fields)
        interaction.respondedAt = now
        interactions[interaction.id] = interaction
        if let original = interaction.originalMessageID, messages[original] != nil {
            // The stored message learns its interaction only now that the record exists.
            dispatches = dispatches.map { $0.name == "MESSAGE_CREATE" ? messageEvent("MESSAGE_CREATE", messages[original]!) : $0 }
        }
        let body = withResponse ? callbackResponseJSON(interaction, callbackType: callbackType, message: resourceMessage) : nil
        return (body, dispatches)
    }

    static let invalidCallbackType = SandboxAPIError.invalidFormBody(
        ["type"], code: "INTERACTION_RESPONSE_TYPE_INVALID", message: "Interaction response type is not valid for this interaction."
    )

    /// The `InteractionCallbackResponse` body.
    private func callbackResponseJSON(_ interaction: SandboxInteraction, callbackType: Int, message: SandboxMessage?) -> JSONValue {
        var summary: [String: JSONValue] = [
            "id": .string(interaction.id.description), "type": .integer(Int64(interaction.type)),
            "activity_instance_id": .null, "channel_id": .string(interaction.channelID.description),
        ]
        if let guildID = interaction.guildID { summary["guild_id"] = .string(guildID.description) }
        var body: [String: JSONValue] = ["interaction": .object(summary)]
        if let message {
            summary["response_message_id"] = .string(message.id.description)
            summary["response_message_loading"] = .bool(message.flags & Self.loadingFlag != 0)
            summary["response_message_ephemeral"] = .bool(message.flags & Self.ephemeralFlag != 0)
            body["interaction"] = .object(summary)
            body["resource"] = .object(["type": .integer(Int64(callbackType)), "message": messageJSON(message)])
        } else if [6, 8, 9].contains(callbackType) {
            body["resource"] = .object(["type": .integer(Int64(callbackType))])
        }
        return .object(body)
    }

    // MARK: Webhook routes

    /// The interaction a webhook route names; 10015 when the application, token or token's
    /// life does not match.
    func interaction(forWebhook applicationID: Snowflake, token: String, lifetime: Double, now: Double) throws(SandboxAPIError) -> SandboxInteraction {
        guard applicationID == application.id, let id = interactionTokens[token], let interaction = interactions[id],
              now - interaction.createdAt <= lifetime
        else { throw .unknownWebhook }
        return interaction
    }

    /// `POST /webhooks/{application_id}/{token}`: a follow-up. Right after a deferral it fills
    /// in the loading message instead of adding one, as Discord does.
    mutating func followUp(
        applicationID: Snowflake, token: String, bytes: [UInt8], lifetime: Double, now: Double
    ) throws(SandboxAPIError) -> (SandboxMessage, [SandboxDispatch]) {
        var interaction = try interaction(forWebhook: applicationID, token: token, lifetime: lifetime, now: now)
        guard interaction.response != nil else { throw .unknownWebhook }
        let draft = try MessageDraft.parse(bytes, kind: .edit, allowedFlags: Self.responseMessageFlags)
        guard !draft.isEmpty else { throw .emptyMessage }
        if let originalID = interaction.originalMessageID, var original = messages[originalID],
           original.flags & Self.loadingFlag != 0, interaction.followUpIDs.isEmpty
        {
            try apply(draft, to: &original, now: now)
            original.flags &= ~Self.loadingFlag
            original.editedTimestamp = nil
            messages[originalID] = original
            return (original, original.flags & Self.ephemeralFlag == 0 ? [messageEvent("MESSAGE_UPDATE", original)] : [])
        }
        let channel = try channel(interaction.channelID)
        let (message, dispatch) = storeMessage(
            draft, in: channel, authorID: application.botUserID, defaultMentions: .webhookDefault, senderPermissions: .all,
            webhook: true, interactionID: interaction.id, now: now
        )
        interaction.followUpIDs.append(message.id)
        interactions[interaction.id] = interaction
        return (message, dispatch.map { [$0] } ?? [])
    }

    /// The message a webhook route names: `@original` or one of the interaction's follow-ups.
    func webhookMessage(
        applicationID: Snowflake, token: String, messageID: String, lifetime: Double, now: Double
    ) throws(SandboxAPIError) -> SandboxMessage {
        let interaction = try interaction(forWebhook: applicationID, token: token, lifetime: lifetime, now: now)
        let id: Snowflake?
        if messageID == "@original" {
            id = interaction.originalMessageID
        } else {
            id = Snowflake(messageID).flatMap { interaction.followUpIDs.contains($0) || $0 == interaction.originalMessageID ? $0 : nil }
        }
        guard let id, let message = messages[id] else { throw .unknownMessage }
        return message
    }

    mutating func editWebhookMessage(
        applicationID: Snowflake, token: String, messageID: String, bytes: [UInt8], lifetime: Double, now: Double
    ) throws(SandboxAPIError) -> (SandboxMessage, [SandboxDispatch]) {
        var message = try webhookMessage(applicationID: applicationID, token: token, messageID: messageID, lifetime: lifetime, now: now)
        let draft = try MessageDraft.parse(bytes, kind: .edit, allowedFlags: Self.responseMessageFlags)
        try apply(draft, to: &message, now: now)
        message.flags &= ~Self.loadingFlag
        messages[message.id] = message
        return (message, message.flags & Self.ephemeralFlag == 0 ? [messageEvent("MESSAGE_UPDATE", message)] : [])
    }

    mutating func deleteWebhookMessage(
        applicationID: Snowflake, token: String, messageID: String, lifetime: Double, now: Double
    ) throws(SandboxAPIError) -> [SandboxDispatch] {
        let message = try webhookMessage(applicationID: applicationID, token: token, messageID: messageID, lifetime: lifetime, now: now)
        removeMessage(message)
        return message.flags & Self.ephemeralFlag == 0 ? [messageDeleteEvent(message)] : []
    }
}
