import GuildhallCore
import NIOCore
import Synchronization

/// A dispatch ready to go out: its name, where it routes, who may see it, and its `d`.
struct SandboxDispatch: Sendable {
    var name: String
    /// `nil` routes to shard 0 (DMs, entitlements), as Discord does.
    var guildID: Snowflake?
    /// Sessions need at least one of these intent bits; 0 means every session gets it.
    var requiredIntents: UInt64
    var data: [UInt8]
    /// What sessions without MESSAGE_CONTENT get instead, when it differs.
    var redactedData: [UInt8]?
    /// Set for answers to one session (GUILD_MEMBERS_CHUNK): nobody else receives it.
    var sessionID: String?
}

/// The gateway's sessions: which shard each serves, its sequence counter and replay buffer,
/// and the connection it is attached to, if any. Dispatches are routed here by
/// `(guild_id >> 22) % shard_count` and the session's intents, numbered, kept for replay and
/// queued on the connection, all under one lock so sequence order is queue order.
final class GatewayHub: Sendable {
    struct Session: Sendable {
        let id: String
        let shardID: Int
        let shardCount: Int
        let intents: UInt64
        var sequence = 0
        var buffer: ReplayBuffer
        var connection: GatewayConnection?
        var disconnectedAt: Double?

        func receives(_ dispatch: SandboxDispatch) -> Bool {
            if let target = dispatch.sessionID { return target == id }
            let shard = dispatch.guildID.map { $0.shard(count: shardCount) } ?? 0
            guard shard == shardID else { return false }
            return dispatch.requiredIntents == 0 || intents & dispatch.requiredIntents != 0
        }
    }

    /// A session's public face, for the control API.
    struct SessionSummary: Sendable, Equatable {
        var id: String
        var shardID: Int
        var shardCount: Int
        var intents: UInt64
        var sequence: Int
        var connected: Bool
        var backlog: Int
    }

    enum StartOutcome: Sendable, Equatable {
        case started(sessionID: String)
        /// Too many identifies in the window for this rate-limit key, or no session starts left.
        case rateLimited
    }

    enum ResumeOutcome: Sendable, Equatable {
        case resumed(replayed: Int)
        case invalidSession
        case invalidSequence
    }

    private struct State: Sendable {
        var sessions: [String: Session] = [:]
        var lastIdentifyByKey: [Int: Double] = [:]
        var sessionStartsUsed = 0
        var sessionStartWindowBegan: Double?
        var dispatched = 0
        var identifyRefusals = 0
    }

    let maxConcurrency: Int
    let identifyWindow: Double
    let sessionStartLimit: Int
    let replayCapacity: Int
    let resumeWindow: Double
    static let sessionStartPeriod: Double = 86_400
    private let state = Mutex(State())

    init(configuration: SandboxConfiguration) {
        maxConcurrency = configuration.maxConcurrency
        identifyWindow = Self.seconds(configuration.identifyWindow)
        sessionStartLimit = configuration.sessionStartLimit
        replayCapacity = configuration.replayBufferLimit
        resumeWindow = Self.seconds(configuration.sessionResumeWindow)
    }

    static func seconds(_ duration: Duration) -> Double {
        let (whole, fraction) = duration.components
        return Double(whole) + Double(fraction) / 1e18
    }

    // MARK: Sessions

    /// Starts a session for an Identify that passed the connection's checks, if the identify
    /// rate limit allows; `initial` (READY, then one GUILD_CREATE per guild) is built with
    /// the session id and sent first.
    func start(
        shardID: Int, shardCount: Int, intents: UInt64, connection: GatewayConnection, now: Double,
        initial: (String) -> [(name: String, data: [UInt8])]
    ) -> StartOutcome {
        state.withLock { state in
            let key = shardID % maxConcurrency
            if let last = state.lastIdentifyByKey[key], now - last < identifyWindow {
                state.identifyRefusals += 1
                return .rateLimited
            }
            if let began = state.sessionStartWindowBegan, now - began >= Self.sessionStartPeriod {
                state.sessionStartWindowBegan = nil
                state.sessionStartsUsed = 0
            }
            guard state.sessionStartsUsed < sessionStartLimit else {
                state.identifyRefusals += 1
                return .rateLimited
            }
            state.lastIdentifyByKey[key] = now
            state.sessionStartsUsed += 1
            if state.sessionStartWindowBegan == nil { state.sessionStartWindowBegan = now }
            expireSessions(&state, now: now)

            let id = Self.sessionID()
            var session = Session(
                id: id, shardID: shardID, shardCount: shardCount, intents: intents,
                buffer: ReplayBuffer(capacity: replayCapacity), connection: connection
            )
            connection.attach(sessionID: id)
            var frames: [ByteBuffer] = []
            for item in initial(id) {
                session.sequence += 1
                let frame = GatewayFrames.dispatch(sequence: session.sequence, name: item.name, data: item.data)
                session.buffer.append(sequence: session.sequence, frame: frame)
                frames.append(frame)
            }
            connection.enqueue(contentsOf: frames)
            state.sessions[id] = session
            return .started(sessionID: id)
        }
    }

    /// Attaches `connection` to an existing session, replays what came after `sequence`, then
    /// sends RESUMED.
    func resume(sessionID: String, sequence: Int, connection: GatewayConnection, now: Double) -> ResumeOutcome {
        state.withLock { state in
            expireSessions(&state, now: now)
            guard var session = state.sessions[sessionID] else { return .invalidSession }
            guard sequence <= session.sequence, sequence >= 0 else { return .invalidSequence }
            guard let replay = session.buffer.frames(after: sequence, latest: session.sequence) else {
                state.sessions[sessionID] = nil
                return .invalidSession
            }
            if let previous = session.connection, previous !== connection {
                // Discord ends the old connection when a session is resumed elsewhere.
                previous.requestClose(code: 4000, reason: "Session resumed elsewhere.")
            }
            session.connection = connection
            session.disconnectedAt = nil
            connection.attach(sessionID: sessionID)
            session.sequence += 1
            let resumed = GatewayFrames.dispatch(sequence: session.sequence, name: "RESUMED", data: Array("null".utf8))
            session.buffer.append(sequence: session.sequence, frame: resumed)
            connection.enqueue(contentsOf: replay + [resumed])
            state.sessions[sessionID] = session
            return .resumed(replayed: replay.count)
        }
    }

    /// The connection closed. A client close with 1000 or 1001 ends the session; anything
    /// else (or no close frame) leaves it resumable for the resume window.
    func connectionClosed(_ connection: GatewayConnection, clientCloseCode: Int?, now: Double) {
        state.withLock { state in
            for (id, session) in state.sessions where session.connection === connection {
                if clientCloseCode == 1000 || clientCloseCode == 1001 {
                    state.sessions[id] = nil
                } else {
                    state.sessions[id]?.connection = nil
                    state.sessions[id]?.disconnectedAt = now
                }
            }
        }
    }

    /// Detaches a session from its connection (op 9 true): it keeps buffering for a resume.
    func detach(sessionID: String, now: Double) {
        state.withLock { state in
            state.sessions[sessionID]?.connection = nil
            state.sessions[sessionID]?.disconnectedAt = now
        }
    }

    /// Ends a session without a trace (op 9 false, or a close that does not allow resuming).
    func invalidate(sessionID: String) {
        _ = state.withLock { $0.sessions.removeValue(forKey: sessionID) }
    }

    private func expireSessions(_ state: inout State, now: Double) {
        state.sessions = state.sessions.filter { _, session in
            guard let gone = session.disconnectedAt else { return true }
            return now - gone < resumeWindow
        }
    }

    private static func sessionID() -> String {
        var generator = SystemRandomNumberGenerator()
        return (0..<2).map { _ in
            let digits = String(generator.next(), radix: 16)
            return String(repeating: "0", count: 16 - digits.count) + digits
        }.joined()
    }

    // MARK: Dispatching

    /// Numbers `dispatch` for every session that receives it and queues it on their connections.
    func dispatch(_ dispatch: SandboxDispatch) {
        state.withLock { route(dispatch, in: &$0) }
    }

    /// Sends dispatches in order under one lock (the traffic generator's path).
    func dispatch(batch: [SandboxDispatch]) {
        state.withLock { state in
            for item in batch { route(item, in: &state) }
        }
    }

    private func route(_ dispatch: SandboxDispatch, in state: inout State) {
        var index = state.sessions.values.startIndex
        while index != state.sessions.values.endIndex {
            if state.sessions.values[index].receives(dispatch) {
                let withoutContent = state.sessions.values[index].intents & SandboxIntents.messageContent == 0
                let data = (withoutContent ? dispatch.redactedData : nil) ?? dispatch.data
                state.sessions.values[index].sequence += 1
                let sequence = state.sessions.values[index].sequence
                let frame = GatewayFrames.dispatch(sequence: sequence, name: dispatch.name, data: data)
                state.sessions.values[index].buffer.append(sequence: sequence, frame: frame)
                state.sessions.values[index].connection?.enqueue(frame)
                state.dispatched += 1
            }
            index = state.sessions.values.index(after: index)
        }
    }

    // MARK: Faults and inspection

    /// Connections attached to sessions on `shardID` (every shard when `nil`).
    func connections(onShard shardID: Int?) -> [(sessionID: String, connection: GatewayConnection)] {
        state.withLock { state in
            state.sessions.values.compactMap { session in
                guard shardID == nil || session.shardID == shardID, let connection = session.connection else { return nil }
                return (session.id, connection)
            }
        }
    }

    var summaries: [SessionSummary] {
        state.withLock { state in
            state.sessions.values.map {
                SessionSummary(
                    id: $0.id, shardID: $0.shardID, shardCount: $0.shardCount, intents: $0.intents,
                    sequence: $0.sequence, connected: $0.connection != nil, backlog: $0.connection?.backlog ?? 0
                )
            }.sorted { ($0.shardID, $0.id) < ($1.shardID, $1.id) }
        }
    }

    var sessionStartsRemaining: Int { state.withLock { sessionStartLimit - $0.sessionStartsUsed } }

    /// Milliseconds until the session-start budget is whole again.
    func sessionStartResetAfter(now: Double) -> Int {
        state.withLock { state in
            guard let began = state.sessionStartWindowBegan else { return Int(Self.sessionStartPeriod * 1_000) }
            return max(0, Int((began + Self.sessionStartPeriod - now) * 1_000))
        }
    }

    /// The largest backlog among connected sessions (the traffic generator's brake).
    var maximumBacklog: Int {
        state.withLock { state in state.sessions.values.reduce(0) { max($0, $1.connection?.backlog ?? 0) } }
    }

    var dispatchedCount: Int { state.withLock { $0.dispatched } }

    /// Identifies answered with op 9 because their rate-limit key identified within the
    /// window, or the session-start budget was spent.
    var identifyRefusals: Int { state.withLock { $0.identifyRefusals } }
}
