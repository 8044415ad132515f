/// A shard's state at one moment, for health checks and the dashboard.
public struct ShardSnapshot: Sendable, Hashable, Codable {
    public var shardID: Int
    public var shardCount: Int
    public var status: ShardStatus
    public var lastSequence: Int?
    public var sessionID: String?
    /// Round trip of the last acknowledged heartbeat.
    public var heartbeatLatency: Duration?
    /// Connections opened after the first one.
    public var reconnects: Int
    /// Sessions started with Identify.
    public var identifies: Int
    /// Sessions continued with Resume (RESUMED received).
    public var resumes: Int
    /// Dispatches received.
    public var eventsReceived: Int
    /// Feature commands waiting for the session or the send limit.
    public var queuedCommands: Int
    /// Set when the shard stopped on a fatal close code.
    public var failure: String?

    public init(
        shardID: Int, shardCount: Int, status: ShardStatus, lastSequence: Int? = nil, sessionID: String? = nil,
        heartbeatLatency: Duration? = nil, reconnects: Int = 0, identifies: Int = 0, resumes: Int = 0,
        eventsReceived: Int = 0, queuedCommands: Int = 0, failure: String? = nil
    ) {
        self.shardID = shardID
        self.shardCount = shardCount
        self.status = status
        self.lastSequence = lastSequence
        self.sessionID = sessionID
        self.heartbeatLatency = heartbeatLatency
        self.reconnects = reconnects
        self.identifies = identifies
        self.resumes = resumes
        self.eventsReceived = eventsReceived
        self.queuedCommands = queuedCommands
        self.failure = failure
    }
}
