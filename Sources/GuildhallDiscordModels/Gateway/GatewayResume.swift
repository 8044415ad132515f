/// Resume (op 6): continues a session on a new connection; the server replays what the
/// client missed after `seq`, then dispatches RESUMED.
///
/// The description never shows the token.
public struct GatewayResume: Codable, Sendable, Hashable, CustomStringConvertible {
    public var token: String
    public var sessionID: String
    /// The last sequence number the client received.
    public var sequence: Int

    public init(token: String, sessionID: String, sequence: Int) {
        self.token = token
        self.sessionID = sessionID
        self.sequence = sequence
    }

    public var description: String { "Resume(token: <redacted>, session_id: \(sessionID), seq: \(sequence))" }

    enum CodingKeys: String, CodingKey {
        case token
        case sessionID = "session_id"
        case sequence = "seq"
    }
}
