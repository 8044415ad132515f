/// A gateway opcode (`op`). Open: an opcode Discord adds later decodes as itself and is
/// passed on, never a decoding failure.
public struct GatewayOpcode: RawRepresentable, Hashable, Sendable, Codable, CustomStringConvertible {
    public let rawValue: Int

    public init(rawValue: Int) { self.rawValue = rawValue }
    public init(_ rawValue: Int) { self.rawValue = rawValue }

    /// Server → client: an event (`t`) with a sequence number (`s`).
    public static let dispatch = GatewayOpcode(0)
    /// Both ways: the client's keep-alive, or the server asking for one now.
    public static let heartbeat = GatewayOpcode(1)
    public static let identify = GatewayOpcode(2)
    public static let presenceUpdate = GatewayOpcode(3)
    public static let voiceStateUpdate = GatewayOpcode(4)
    public static let resume = GatewayOpcode(6)
    /// Server → client: reconnect and resume.
    public static let reconnect = GatewayOpcode(7)
    public static let requestGuildMembers = GatewayOpcode(8)
    /// Server → client: `d` says whether the session may be resumed.
    public static let invalidSession = GatewayOpcode(9)
    public static let hello = GatewayOpcode(10)
    public static let heartbeatAck = GatewayOpcode(11)
    public static let requestSoundboardSounds = GatewayOpcode(31)
    public static let requestChannelInfo = GatewayOpcode(43)

    /// Discord's name for the opcodes it documents; nil for any other.
    public var name: String? {
        switch rawValue {
        case 0: "DISPATCH"
        case 1: "HEARTBEAT"
        case 2: "IDENTIFY"
        case 3: "PRESENCE_UPDATE"
        case 4: "VOICE_STATE_UPDATE"
        case 6: "RESUME"
        case 7: "RECONNECT"
        case 8: "REQUEST_GUILD_MEMBERS"
        case 9: "INVALID_SESSION"
        case 10: "HELLO"
        case 11: "HEARTBEAT_ACK"
        case 31: "REQUEST_SOUNDBOARD_SOUNDS"
        case 43: "REQUEST_CHANNEL_INFO"
        default: nil
        }
    }

    public var description: String { name.map { "\($0)(\(rawValue))" } ?? "op \(rawValue)" }

    public init(from decoder: any Decoder) throws {
        rawValue = try decoder.singleValueContainer().decode(Int.self)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(rawValue)
    }
}
