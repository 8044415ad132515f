import GuildhallCore
import GuildhallDiscordModels

/// Where answers to interactions go. Over the gateway both calls are REST requests; over
/// the HTTP endpoint the first answer is the HTTP response and only follow-ups use REST.
public protocol InteractionReplyTransport: Sendable {
    /// `POST /interactions/{id}/{token}/callback`.
    func sendInitialResponse(_ response: InteractionResponse, to interaction: Interaction) async throws
    /// `PATCH /webhooks/{application_id}/{token}/messages/@original`: replaces the
    /// "thinking…" of a deferred answer.
    func editOriginalResponse(_ message: InteractionMessage, of interaction: Interaction) async throws
}
