/// An interaction's `data`, typed by the interaction's type.
/// Encodable only: decoding needs the interaction's type, so `Interaction` does it.
public enum InteractionData: Hashable, Sendable, Encodable {
    /// APPLICATION_COMMAND and APPLICATION_COMMAND_AUTOCOMPLETE.
    case applicationCommand(ApplicationCommandInteractionData)
    case messageComponent(MessageComponentInteractionData)
    case modalSubmit(ModalSubmitInteractionData)
    /// Data of an interaction type this build does not model, kept as it came.
    case unknown(JSONValue)

    public func encode(to encoder: any Encoder) throws {
        switch self {
        case .applicationCommand(let data): try data.encode(to: encoder)
        case .messageComponent(let data): try data.encode(to: encoder)
        case .modalSubmit(let data): try data.encode(to: encoder)
        case .unknown(let json): try json.encode(to: encoder)
        }
    }
}
