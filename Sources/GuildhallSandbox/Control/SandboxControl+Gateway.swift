import GuildhallCore

/// How a fault ends a gateway connection.
public enum SandboxDropMode: String, Sendable, Codable {
    /// Cut TCP with no close frame, as a network failure would: the session stays resumable.
    case abrupt
    /// Send a close frame with a code (4000 by default: resumable).
    case close
}

/// One gateway session as the control API shows it.
public struct SandboxSessionInfo: Sendable, Codable, Equatable {
    public var id: String
    public var shardID: Int
    public var shardCount: Int
    public var intents: UInt64
    public var sequence: Int
    public var connected: Bool
    public var backlog: Int

    enum CodingKeys: String, CodingKey {
        case id, intents, sequence, connected, backlog
        case shardID = "shard_id"
        case shardCount = "shard_count"
    }
}

/// Gateway faults and REST faults, switched on and off.
extension SandboxControl {
    public var sessions: [SandboxSessionInfo] {
        world.hub.summaries.map {
            SandboxSessionInfo(
                id: $0.id, shardID: $0.shardID, shardCount: $0.shardCount, intents: $0.intents, sequence: $0.sequence,
                connected: $0.connected, backlog: $0.backlog
            )
        }
    }

    /// Ends the connections of `shard` (every shard when nil); returns how many.
    @discardableResult
    public func dropConnections(shard: Int?, mode: SandboxDropMode = .abrupt, closeCode: Int = 4000) -> Int {
        let targets = world.hub.connections(onShard: shard)
        for (_, connection) in targets {
            switch mode {
            case .abrupt:
                // The session is disconnected from now on, before the socket's task notices.
                world.hub.connectionClosed(connection, clientCloseCode: nil, now: world.now)
                connection.drop()
            case .close: connection.requestClose(code: closeCode, reason: "Closed by the sandbox's control API.")
            }
        }
        return targets.count
    }

    /// Sends op 7 (Reconnect) to the connections of `shard`.
    @discardableResult
    public func sendReconnect(shard: Int?) -> Int {
        let targets = world.hub.connections(onShard: shard)
        for (_, connection) in targets { connection.enqueue(GatewayFrames.reconnect) }
        return targets.count
    }

    /// Sends op 9 (Invalid Session) with `d = resumable`. When not resumable the session is
    /// gone; either way the connection no longer carries it and the client may Identify or
    /// Resume again.
    @discardableResult
    public func invalidateSessions(shard: Int?, resumable: Bool) -> Int {
        let targets = world.hub.connections(onShard: shard)
        let now = world.now
        for (sessionID, connection) in targets {
            if resumable { world.hub.detach(sessionID: sessionID, now: now) } else { world.hub.invalidate(sessionID: sessionID) }
            connection.detachSession()
            connection.enqueue(GatewayFrames.invalidSession(resumable: resumable))
        }
        return targets.count
    }

    /// Sends op 1: the client must heartbeat at once.
    @discardableResult
    public func requestHeartbeat(shard: Int?) -> Int {
        let targets = world.hub.connections(onShard: shard)
        for (_, connection) in targets { connection.enqueue(GatewayFrames.heartbeatRequest) }
        return targets.count
    }

    /// Identifies refused with op 9 by the identify rate limit (several processes that share
    /// their buckets correctly never cause one).
    public var identifyRefusals: Int { world.hub.identifyRefusals }

    public func addFault(_ fault: SandboxRESTFault) throws -> SandboxRESTFault { try gate.addFault(fault) }
    @discardableResult
    public func removeFault(id: Int) -> Bool { gate.removeFault(id: id) }
    public func clearFaults() { gate.clearFaults() }
    public var faults: [SandboxRESTFault] { gate.faults }

    /// REST counters: requests, 429s, faults, and invalid requests in the last 10 minutes.
    public var restStatistics: (requests: Int, rateLimited: Int, faulted: Int, invalidLastTenMinutes: Int) {
        let statistics = gate.statistics(now: world.now)
        return (statistics.requests, statistics.rateLimited, statistics.faulted, statistics.invalidLastTenMinutes)
    }
}
