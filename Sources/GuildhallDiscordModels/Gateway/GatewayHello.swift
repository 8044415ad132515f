/// Hello (op 10): the first thing the server sends on a connection.
public struct GatewayHello: Codable, Sendable, Hashable {
    /// Milliseconds between heartbeats.
    public var heartbeatInterval: Int

    public init(heartbeatInterval: Int) {
        self.heartbeatInterval = heartbeatInterval
    }

    public var heartbeatIntervalDuration: Duration { .milliseconds(heartbeatInterval) }

    enum CodingKeys: String, CodingKey {
        case heartbeatInterval = "heartbeat_interval"
    }
}
