/// The answer to an interaction (`POST /interactions/{id}/{token}/callback`, or the body of
/// the HTTP endpoint's reply).
public struct InteractionResponse: Hashable, Sendable {
    /// `data`, typed by the response type.
    public enum CallbackData: Hashable, Sendable, Encodable {
        case message(InteractionMessage)
        case autocomplete([ApplicationCommandOptionChoice])
        case modal(ModalCallback)
        case unknown(JSONValue)

        private enum ChoicesKey: String, CodingKey { case choices }

        public func encode(to encoder: any Encoder) throws {
            switch self {
            case .message(let message): try message.encode(to: encoder)
            case .autocomplete(let choices):
                var container = encoder.container(keyedBy: ChoicesKey.self)
                try container.encode(choices, forKey: .choices)
            case .modal(let modal): try modal.encode(to: encoder)
            case .unknown(let json): try json.encode(to: encoder)
            }
        }

        static func decode(type: InteractionCallbackType, from decoder: any Decoder) throws -> CallbackData {
            switch type {
            case _ where type.carriesMessage: return .message(try InteractionMessage(from: decoder))
            case .applicationCommandAutocompleteResult:
                let container = try decoder.container(keyedBy: ChoicesKey.self)
                return .autocomplete(try container.decode([ApplicationCommandOptionChoice].self, forKey: .choices))
            case .modal: return .modal(try ModalCallback(from: decoder))
            default: return .unknown(try JSONValue(from: decoder))
            }
        }
    }

    public var type: InteractionCallbackType
    public var data: CallbackData?

    public init(type: InteractionCallbackType, data: CallbackData? = nil) {
        self.type = type
        self.data = data
    }

    /// The answer to a PING.
    public static let pong = InteractionResponse(type: .pong)

    /// A message in answer (type 4).
    public static func message(_ message: InteractionMessage) -> InteractionResponse {
        InteractionResponse(type: .channelMessageWithSource, data: .message(message))
    }

    /// A plain text answer, visible only to the invoker when `ephemeral`.
    public static func reply(_ content: String, ephemeral: Bool = false, embeds: [Embed]? = nil) -> InteractionResponse {
        .message(InteractionMessage(content: content, embeds: embeds, flags: ephemeral ? .ephemeral : nil))
    }

    /// "Thinking…" now, a follow-up within 15 minutes (type 5). Only EPHEMERAL is honoured.
    public static func deferredMessage(ephemeral: Bool = false) -> InteractionResponse {
        InteractionResponse(
            type: .deferredChannelMessageWithSource,
            data: ephemeral ? .message(InteractionMessage(allowedMentions: nil, flags: .ephemeral)) : nil
        )
    }

    /// Components only: acknowledge now, edit the message later (type 6).
    public static let deferredUpdate = InteractionResponse(type: .deferredUpdateMessage)

    /// Components only: replace the message the component is on (type 7).
    public static func updateMessage(_ message: InteractionMessage) -> InteractionResponse {
        InteractionResponse(type: .updateMessage, data: .message(message))
    }

    /// Autocomplete suggestions, at most 25 (type 8).
    public static func autocomplete(_ choices: [ApplicationCommandOptionChoice]) -> InteractionResponse {
        InteractionResponse(type: .applicationCommandAutocompleteResult, data: .autocomplete(choices))
    }

    /// A modal form (type 9).
    public static func modal(customID: String, title: String, components: [MessageComponent]) -> InteractionResponse {
        InteractionResponse(type: .modal, data: .modal(ModalCallback(customID: customID, title: title, components: components)))
    }

    /// The message part, for types that carry one.
    public var message: InteractionMessage? {
        if case .message(let message) = data { return message }
        return nil
    }

    enum CodingKeys: String, CodingKey { case type, data }
}

extension InteractionResponse: Codable {
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        type = try container.decode(InteractionCallbackType.self, forKey: .type)
        if container.contains(.data), try !container.decodeNil(forKey: .data) {
            data = try CallbackData.decode(type: type, from: try container.superDecoder(forKey: .data))
        } else {
            data = nil
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(type, forKey: .type)
        try container.encodeIfPresent(data, forKey: .data)
    }
}
