import GuildhallCore
import GuildhallDiscordModels
import GuildhallDiscordREST

/// Answers interactions through the REST client (callback and webhook endpoints).
public struct RESTInteractionReplyTransport: InteractionReplyTransport {
    let client: DiscordRESTClient
    /// The application's id; interactions carry it too, and that one wins.
    let applicationID: Snowflake?

    public init(client: DiscordRESTClient, applicationID: Snowflake?) {
        self.client = client
        self.applicationID = applicationID
    }

    public func sendInitialResponse(_ response: InteractionResponse, to interaction: Interaction) async throws {
        try await client.createInteractionResponse(interactionID: interaction.id, token: interaction.token, response)
    }

    public func editOriginalResponse(_ message: InteractionMessage, of interaction: Interaction) async throws {
        guard let application = interaction.applicationID ?? applicationID else {
            throw GuildhallError(.invalidInput, "the interaction names no application, so its answer cannot be edited")
        }
        _ = try await client.editOriginalInteractionResponse(applicationID: application, token: interaction.token, message)
    }
}
