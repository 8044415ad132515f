/// What a client sends to the gateway. Encodes to `{"op": …, "d": …}`; the sandbox decodes
/// clients' frames with it, and an opcode it does not model decodes as `.unknown`.
public enum GatewayCommand: Codable, Sendable, Hashable, CustomStringConvertible {
    /// op 1 with the last sequence received (nil before the first dispatch).
    case heartbeat(sequence: Int?)
    case identify(GatewayIdentify)
    case presenceUpdate(GatewayPresenceUpdate)
    case voiceStateUpdate(GatewayVoiceStateUpdate)
    case resume(GatewayResume)
    case requestGuildMembers(GatewayRequestGuildMembers)
    case unknown(opcode: GatewayOpcode, data: GatewayRawJSON?)

    public var opcode: GatewayOpcode {
        switch self {
        case .heartbeat: .heartbeat
        case .identify: .identify
        case .presenceUpdate: .presenceUpdate
        case .voiceStateUpdate: .voiceStateUpdate
        case .resume: .resume
        case .requestGuildMembers: .requestGuildMembers
        case .unknown(let opcode, _): opcode
        }
    }

    /// Commands the protocol itself needs (keep-alive and session start). A transport lets
    /// them past the queue of feature commands so they are never starved by them.
    public var isProtocolCommand: Bool {
        switch self {
        case .heartbeat, .identify, .resume: true
        default: false
        }
    }

    public var description: String {
        switch self {
        case .heartbeat(let sequence): "Heartbeat(\(sequence.map(String.init) ?? "null"))"
        case .identify(let identify): identify.description
        case .resume(let resume): resume.description
        case .presenceUpdate(let presence): "PresenceUpdate(\(presence.status.rawValue))"
        case .voiceStateUpdate(let update): "VoiceStateUpdate(guild: \(update.guildID))"
        case .requestGuildMembers(let request): "RequestGuildMembers(guild: \(request.guildID))"
        case .unknown(let opcode, _): "Command(\(opcode))"
        }
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: GatewayEnvelopeKey.self)
        let opcode = try container.decode(GatewayOpcode.self, forKey: .op)
        switch opcode {
        case .heartbeat: self = .heartbeat(sequence: try container.decodeIfPresent(Int.self, forKey: .d))
        case .identify: self = .identify(try container.decode(GatewayIdentify.self, forKey: .d))
        case .presenceUpdate: self = .presenceUpdate(try container.decode(GatewayPresenceUpdate.self, forKey: .d))
        case .voiceStateUpdate: self = .voiceStateUpdate(try container.decode(GatewayVoiceStateUpdate.self, forKey: .d))
        case .resume: self = .resume(try container.decode(GatewayResume.self, forKey: .d))
        case .requestGuildMembers: self = .requestGuildMembers(try container.decode(GatewayRequestGuildMembers.self, forKey: .d))
        default: self = .unknown(opcode: opcode, data: try container.decodeIfPresent(GatewayRawJSON.self, forKey: .d))
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: GatewayEnvelopeKey.self)
        try container.encode(opcode, forKey: .op)
        switch self {
        case .heartbeat(let sequence): try container.encode(sequence, forKey: .d)
        case .identify(let identify): try container.encode(identify, forKey: .d)
        case .presenceUpdate(let presence): try container.encode(presence, forKey: .d)
        case .voiceStateUpdate(let update): try container.encode(update, forKey: .d)
        case .resume(let resume): try container.encode(resume, forKey: .d)
        case .requestGuildMembers(let request): try container.encode(request, forKey: .d)
        case .unknown(_, let data): try container.encode(data, forKey: .d)
        }
    }
}
