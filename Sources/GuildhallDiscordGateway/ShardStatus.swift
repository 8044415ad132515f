/// A shard's health as the dashboard and `/healthz` show it.
public enum ShardStatus: String, Sendable, Hashable, CaseIterable, Codable {
    /// Not started yet.
    case idle
    /// Opening a connection for a new session (connect, hello, identify).
    case starting
    /// Reconnecting to resume its session.
    case resuming
    /// READY or RESUMED received: events flow.
    case connected
    /// Disconnected, waiting to reconnect.
    case down
    /// Stopped on request.
    case stopped
    /// Stopped by a fatal close code (bad token, shard, version or intents).
    case failed

    /// Only a connected shard delivers its guilds' events.
    public var isHealthy: Bool { self == .connected }
}
