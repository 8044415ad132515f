/// A WebSocket close code as the gateway uses it: Discord's 4000–4014 and the standard ones.
///
/// Each code says what a client does next (`disposition`): reconnect and resume the
/// session, reconnect with a fresh Identify, or stop because retrying cannot help. Codes
/// nobody documents are treated as a dropped connection: reconnect and try to resume
/// (the server answers a resume it cannot honour with op 9, so nothing is lost by trying).
public struct GatewayCloseCode: RawRepresentable, Hashable, Sendable, Codable, CustomStringConvertible {
    /// What a client does after the server closed with a code.
    public enum Disposition: String, Sendable, Hashable {
        /// Reconnect (to `resume_gateway_url`) and resume the session.
        case resume
        /// Reconnect to the gateway URL and Identify again: the session is gone.
        case reidentify
        /// Stop: the same connection would fail the same way (bad token, shard, version, intents).
        case fatal
    }

    public let rawValue: Int

    public init(rawValue: Int) { self.rawValue = rawValue }
    public init(_ rawValue: Int) { self.rawValue = rawValue }

    /// 1000: ends the session (the bot shows offline). Clients use it only to stop for good.
    public static let normalClosure = GatewayCloseCode(1000)
    /// 1001: like 1000 for the session.
    public static let goingAway = GatewayCloseCode(1001)
    public static let unknownError = GatewayCloseCode(4000)
    public static let unknownOpcode = GatewayCloseCode(4001)
    /// Also sent for a payload above 4096 bytes.
    public static let decodeError = GatewayCloseCode(4002)
    public static let notAuthenticated = GatewayCloseCode(4003)
    public static let authenticationFailed = GatewayCloseCode(4004)
    public static let alreadyAuthenticated = GatewayCloseCode(4005)
    public static let invalidSequence = GatewayCloseCode(4007)
    public static let rateLimited = GatewayCloseCode(4008)
    public static let sessionTimedOut = GatewayCloseCode(4009)
    public static let invalidShard = GatewayCloseCode(4010)
    public static let shardingRequired = GatewayCloseCode(4011)
    public static let invalidAPIVersion = GatewayCloseCode(4012)
    public static let invalidIntents = GatewayCloseCode(4013)
    public static let disallowedIntents = GatewayCloseCode(4014)

    /// Every code of Discord's close-code table, in order.
    public static let documented: [GatewayCloseCode] = [
        .unknownError, .unknownOpcode, .decodeError, .notAuthenticated, .authenticationFailed,
        .alreadyAuthenticated, .invalidSequence, .rateLimited, .sessionTimedOut, .invalidShard,
        .shardingRequired, .invalidAPIVersion, .invalidIntents, .disallowedIntents,
    ]

    /// What to do when the server closed with this code.
    public var disposition: Disposition {
        switch rawValue {
        case 4004, 4010, 4011, 4012, 4013, 4014: .fatal
        // Not authenticated, a bad resume sequence and a timed-out session leave nothing
        // to resume. A server closing with 1000/1001 is tried as a resume: if the session
        // is really gone the server says so with op 9, which costs less than a session start.
        case 4003, 4007, 4009: .reidentify
        default: .resume
        }
    }

    /// Discord's "reconnect?" column: false only for the fatal codes.
    public var isReconnectable: Bool { disposition != .fatal }
    /// True when the session survives this close and a Resume is worth sending.
    public var isResumable: Bool { disposition == .resume }
    public var isFatal: Bool { disposition == .fatal }

    /// A code the client may close with and keep its session resumable (anything but 1000/1001).
    public var keepsSessionResumable: Bool { rawValue != 1000 && rawValue != 1001 }

    /// What the code means, for logs and errors.
    public var meaning: String {
        switch rawValue {
        case 1000: "normal closure"
        case 1001: "going away"
        case 4000: "unknown error"
        case 4001: "unknown opcode or invalid payload for an opcode"
        case 4002: "decode error (or a payload above 4096 bytes)"
        case 4003: "not authenticated: a payload was sent before Identify"
        case 4004: "authentication failed: the bot token is invalid"
        case 4005: "already authenticated: a second Identify was sent"
        case 4007: "invalid sequence number on resume"
        case 4008: "rate limited: more than 120 gateway commands in 60 seconds"
        case 4009: "session timed out"
        case 4010: "invalid shard"
        case 4011: "sharding required: too many guilds for the shard count"
        case 4012: "invalid API version"
        case 4013: "invalid intents: the bitfield is not valid"
        case 4014: "disallowed intents: a privileged intent is not enabled for this application"
        default: "undocumented close code"
        }
    }

    public var description: String { "\(rawValue) (\(meaning))" }

    public init(from decoder: any Decoder) throws {
        rawValue = try decoder.singleValueContainer().decode(Int.self)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(rawValue)
    }
}
