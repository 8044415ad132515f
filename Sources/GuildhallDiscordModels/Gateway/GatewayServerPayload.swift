/// What the gateway server sends, decoded in one pass: the envelope's `op` picks the case,
/// and for a dispatch `t` picks the type `d` is decoded as (`GatewayEvent`).
///
/// Encoding writes all four keys as Discord does (`s` and `t` null except on dispatches);
/// the sandbox uses it to speak to clients.
public enum GatewayServerPayload: Codable, Sendable {
    /// op 0. `sequence` is nil only if a server omitted `s` (Discord always sends it).
    case dispatch(sequence: Int?, event: GatewayEvent)
    /// op 1: the server wants a heartbeat now.
    case heartbeatRequest
    /// op 7: reconnect and resume.
    case reconnect
    /// op 9: `resumable` is the `d` boolean.
    case invalidSession(resumable: Bool)
    /// op 10.
    case hello(GatewayHello)
    /// op 11.
    case heartbeatAck
    /// An opcode this build does not know; passed on, not an error.
    case unknown(opcode: GatewayOpcode)

    public var opcode: GatewayOpcode {
        switch self {
        case .dispatch: .dispatch
        case .heartbeatRequest: .heartbeat
        case .reconnect: .reconnect
        case .invalidSession: .invalidSession
        case .hello: .hello
        case .heartbeatAck: .heartbeatAck
        case .unknown(let opcode): opcode
        }
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: GatewayEnvelopeKey.self)
        let opcode = try container.decode(GatewayOpcode.self, forKey: .op)
        switch opcode {
        case .dispatch:
            let name = try container.decode(String.self, forKey: .t)
            let sequence = try container.decodeIfPresent(Int.self, forKey: .s)
            self = .dispatch(sequence: sequence, event: try GatewayEvent(name: name, from: container, forKey: .d))
        case .heartbeat:
            self = .heartbeatRequest
        case .reconnect:
            self = .reconnect
        case .invalidSession:
            self = .invalidSession(resumable: try container.decodeIfPresent(Bool.self, forKey: .d) ?? false)
        case .hello:
            self = .hello(try container.decode(GatewayHello.self, forKey: .d))
        case .heartbeatAck:
            self = .heartbeatAck
        default:
            self = .unknown(opcode: opcode)
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: GatewayEnvelopeKey.self)
        try container.encode(opcode, forKey: .op)
        switch self {
        case .dispatch(let sequence, let event):
            try event.encodeData(to: &container, forKey: .d)
            try container.encode(sequence, forKey: .s)
            try container.encode(event.name, forKey: .t)
            return
        case .invalidSession(let resumable):
            try container.encode(resumable, forKey: .d)
        case .hello(let hello):
            try container.encode(hello, forKey: .d)
        case .heartbeatRequest, .reconnect, .heartbeatAck, .unknown:
            try container.encodeNil(forKey: .d)
        }
        try container.encodeNil(forKey: .s)
        try container.encodeNil(forKey: .t)
    }
}
