/// The gateway envelope `{op, d, s, t}` with a typed `d`.
///
/// `s` and `t` are set only on dispatches (op 0). Encoding always writes `op` and `d`
/// (`null` when absent, as a heartbeat without a sequence needs), and `s`/`t` only when set.
/// The typed enums `GatewayCommand` (client → server) and `GatewayServerPayload`
/// (server → client) are what the bot and the sandbox normally use; this is for anything else.
public struct GatewayPayload<Payload: Codable & Sendable>: Codable, Sendable {
    public var opcode: GatewayOpcode
    public var data: Payload?
    public var sequence: Int?
    public var eventName: String?

    public init(opcode: GatewayOpcode, data: Payload?, sequence: Int? = nil, eventName: String? = nil) {
        self.opcode = opcode
        self.data = data
        self.sequence = sequence
        self.eventName = eventName
    }

    enum CodingKeys: String, CodingKey {
        case opcode = "op"
        case data = "d"
        case sequence = "s"
        case eventName = "t"
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        opcode = try container.decode(GatewayOpcode.self, forKey: .opcode)
        data = try container.decodeIfPresent(Payload.self, forKey: .data)
        sequence = try container.decodeIfPresent(Int.self, forKey: .sequence)
        eventName = try container.decodeIfPresent(String.self, forKey: .eventName)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(opcode, forKey: .opcode)
        try container.encode(data, forKey: .data)
        try container.encodeIfPresent(sequence, forKey: .sequence)
        try container.encodeIfPresent(eventName, forKey: .eventName)
    }
}

/// The envelope's keys, shared by the typed payload enums.
enum GatewayEnvelopeKey: String, CodingKey {
    case op, d, s, t
}
