import GuildhallCore
import GuildhallDiscordModels

/// Why the state machine asks the transport to close a connection (for logs and metrics).
public enum ShardCloseReason: String, Sendable, Hashable {
    /// The server sent op 7.
    case reconnectRequested = "reconnect_requested"
    /// The server sent op 9.
    case invalidSession = "invalid_session"
    /// No ACK arrived for the previous heartbeat.
    case zombieConnection = "zombie_connection"
    /// No Hello arrived in time after the socket opened.
    case helloTimeout = "hello_timeout"
    /// No READY or RESUMED arrived in time after Identify or Resume.
    case sessionTimeout = "session_timeout"
    /// The server broke the protocol (e.g. a Hello with no usable interval).
    case protocolViolation = "protocol_violation"
    /// `stop()` was called.
    case stopping
}

/// What the shard state machine asks its transport to do. The transport performs the
/// actions in order and reports back through the machine's inputs.
public enum ShardAction: Sendable {
    /// Open a WebSocket to this URL (version and encoding already in the query).
    case connect(url: String)
    /// Send this payload on the open connection.
    case send(GatewayCommand)
    /// Call `timerFired(now:)` at this instant; replaces any earlier timer.
    case scheduleTimer(at: ContinuousClock.Instant)
    /// No timer is needed any more.
    case cancelTimer
    /// Close the connection with this code, then report `connectionClosed`.
    case closeConnection(code: GatewayCloseCode, reason: ShardCloseReason)
    /// Ask the identify limiter for a permit, then report `identifyPermitGranted`.
    case requestIdentifyPermit
    /// Hand this event to the consumers.
    case dispatch(GatewayEvent, sequence: Int?)
    /// A heartbeat was acknowledged after `latency`.
    case heartbeatAcknowledged(latency: Duration)
    /// READY (`resumed` false) or RESUMED (`resumed` true) arrived.
    case sessionEstablished(resumed: Bool)
    /// A fatal close code: the shard has stopped and will not reconnect.
    case fail(GuildhallError)
}
