import GuildhallCore
import GuildhallDiscordModels

/// One shard's gateway protocol as a value with no I/O: inputs (connection events, frames,
/// timers, permits) carry the current instant, and each returns the actions the transport
/// must perform. Time and randomness come from the caller, so tests drive every
/// transition with a manual clock.
///
/// A connection's life: `connect` → socket open → Hello → first heartbeat after
/// `interval × jitter` → Resume (when a session and sequence exist) or, once the identify
/// limiter grants a permit, Identify → READY / RESUMED → dispatches. Any loss of the
/// connection leads back to `connect`, resuming when the session survives and
/// identifying afresh when it does not; fatal close codes stop the shard with an error.
public struct ShardStateMachine: Sendable {
    public typealias Instant = ContinuousClock.Instant

    /// The code this machine closes with when it wants to resume: anything but 1000/1001
    /// keeps the session alive on Discord's side.
    public static let resumableCloseCode = GatewayCloseCode(4000)

    enum Plan: Sendable, Hashable {
        case identify
        case resume
    }

    enum State: Sendable, Hashable {
        case idle
        case connecting(Plan)
        case waitingForHello(Plan, since: Instant)
        case waitingForIdentifyPermit
        case identifying(since: Instant)
        case resuming(since: Instant)
        case connected
        /// Waiting for the transport to report the close it was asked for; then reconnect
        /// with `plan`, no sooner than `delay` after the close.
        case closing(Plan, delay: Duration)
        case waitingToReconnect(Plan, until: Instant)
        case stopped
        case failed
    }

    struct Heartbeat: Sendable, Hashable {
        var interval: Duration
        var nextAt: Instant
        var awaitingAck = false
        var lastSentAt: Instant?
    }

    public let configuration: Configuration
    let random: ShardRandomSource
    var state: State = .idle
    var heartbeat: Heartbeat?
    /// Connections in a row that ended before READY or RESUMED.
    var consecutiveFailures = 0
    var sessionEstablishedOnConnection = false
    var announcedDeadline: Instant?

    /// The session READY established (kept across reconnects until it is invalidated).
    public internal(set) var session: Session?
    /// The last sequence number received (`s`); sent in heartbeats and Resume.
    public internal(set) var lastSequence: Int?
    /// The round trip of the last acknowledged heartbeat.
    public internal(set) var lastHeartbeatLatency: Duration?

    /// A machine for a new session, or one that resumes `session` at `sequence` (a
    /// process that saved them before restarting).
    public init(configuration: Configuration, random: ShardRandomSource = .system, resuming session: Session? = nil, sequence: Int? = nil) {
        self.configuration = configuration
        self.random = random
        self.session = session
        self.lastSequence = session == nil ? nil : sequence
    }

    // MARK: State queries

    public var status: ShardStatus {
        switch state {
        case .idle: .idle
        case .connecting(let plan), .waitingForHello(let plan, _): plan == .resume ? .resuming : .starting
        case .waitingForIdentifyPermit, .identifying: .starting
        case .resuming: .resuming
        case .connected: .connected
        case .closing, .waitingToReconnect: .down
        case .stopped: .stopped
        case .failed: .failed
        }
    }

    /// Feature commands may be sent only on an established session.
    public var canSendCommands: Bool { state == .connected }

    /// True once the shard has stopped for good (on request or after a fatal close).
    public var isFinished: Bool { state == .stopped || state == .failed }

    /// The heartbeat interval of the current connection, once Hello arrived.
    public var heartbeatInterval: Duration? { heartbeat?.interval }

    var canResume: Bool { session != nil && lastSequence != nil }

    // MARK: Inputs

    /// Starts the shard: connect for a new session (or to resume a restored one).
    public mutating func start(now: Instant) -> [ShardAction] {
        guard state == .idle else { return [] }
        var actions: [ShardAction] = []
        connect(canResume ? .resume : .identify, into: &actions)
        return finish(actions, now: now)
    }

    /// The WebSocket is open.
    public mutating func connectionOpened(now: Instant) -> [ShardAction] {
        guard case .connecting(let plan) = state else { return [] }
        state = .waitingForHello(plan, since: now)
        sessionEstablishedOnConnection = false
        return finish([], now: now)
    }

    /// The connection is gone (or could not be opened), with the server's close code if it sent one.
    public mutating func connectionClosed(code: GatewayCloseCode?, now: Instant) -> [ShardAction] {
        var actions: [ShardAction] = []
        switch state {
        case .idle, .stopped, .failed, .waitingToReconnect:
            return finish([], now: now)
        case .closing(let plan, let delay):
            countConnectionOutcome()
            reconnect(plan, minimumDelay: delay, now: now, into: &actions)
        case .connecting(let plan):
            consecutiveFailures += 1
            reconnect(plan, minimumDelay: .zero, now: now, into: &actions)
        case .waitingForHello, .waitingForIdentifyPermit, .identifying, .resuming, .connected:
            countConnectionOutcome()
            if let code, let error = code.fatalError {
                state = .failed
                heartbeat = nil
                actions.append(.fail(error))
                return finish(actions, now: now)
            }
            if code?.disposition == .reidentify { invalidateSession() }
            reconnect(.resume, minimumDelay: .zero, now: now, into: &actions)
        }
        return finish(actions, now: now)
    }

    /// A frame from the server.
    public mutating func received(_ payload: GatewayServerPayload, now: Instant) -> [ShardAction] {
        guard isSocketOpen else { return [] }
        var actions: [ShardAction] = []
        switch payload {
        case .dispatch(let sequence, let event):
            receivedDispatch(event, sequence: sequence, into: &actions)
        case .hello(let hello):
            receivedHello(hello, now: now, into: &actions)
        case .heartbeatAck:
            if var beat = heartbeat, beat.awaitingAck, let sentAt = beat.lastSentAt {
                beat.awaitingAck = false
                heartbeat = beat
                lastHeartbeatLatency = sentAt.duration(to: now)
                actions.append(.heartbeatAcknowledged(latency: sentAt.duration(to: now)))
            }
        case .heartbeatRequest:
            sendHeartbeat(now: now, into: &actions)
        case .reconnect:
            close(reason: .reconnectRequested, then: .resume, after: .zero, into: &actions)
        case .invalidSession(let resumable):
            if resumable && canResume {
                close(reason: .invalidSession, then: .resume, after: random.duration(in: configuration.invalidSessionWait), into: &actions)
            } else {
                invalidateSession()
                close(reason: .invalidSession, then: .identify, after: random.duration(in: configuration.invalidSessionWait), into: &actions)
            }
        case .unknown:
            break
        }
        return finish(actions, now: now)
    }

    /// The hot path for a dispatch that is neither READY nor RESUMED: it only moves the
    /// sequence, needs no clock and produces no action but handing the event on. Returns
    /// false when no connection is open (the event is dropped, as `received` would).
    public mutating func recordDispatch(sequence: Int?) -> Bool {
        guard isSocketOpen else { return false }
        if let sequence { lastSequence = sequence }
        return true
    }

    /// The identify limiter granted this shard a permit: Identify now, if still waiting for one.
    public mutating func identifyPermitGranted(now: Instant) -> [ShardAction] {
        guard state == .waitingForIdentifyPermit else { return [] }
        state = .identifying(since: now)
        return finish([.send(.identify(configuration.identify))], now: now)
    }

    /// The timer the machine asked for has fired (early or stale firings are harmless).
    public mutating func timerFired(now: Instant) -> [ShardAction] {
        announcedDeadline = nil
        var actions: [ShardAction] = []
        switch state {
        case .waitingToReconnect(let plan, let until) where now >= until:
            connect(plan, into: &actions)
        case .waitingForHello(let plan, let since) where now >= since + configuration.helloTimeout:
            close(reason: .helloTimeout, then: plan, after: .zero, into: &actions)
        case .identifying(let since) where now >= since + configuration.sessionTimeout:
            close(reason: .sessionTimeout, then: .identify, after: .zero, into: &actions)
        case .resuming(let since) where now >= since + configuration.sessionTimeout:
            close(reason: .sessionTimeout, then: .resume, after: .zero, into: &actions)
        default:
            if let beat = heartbeat, now >= beat.nextAt, isSocketOpen, !isClosing {
                if beat.awaitingAck {
                    // No ACK since the last heartbeat: the connection is a zombie.
                    close(reason: .zombieConnection, then: .resume, after: .zero, into: &actions)
                } else {
                    sendHeartbeat(now: now, into: &actions)
                    heartbeat?.nextAt = now + beat.interval
                }
            }
        }
        return finish(actions, now: now)
    }

    /// Stops the shard for good: closes with 1000, which ends the session on Discord's side.
    public mutating func stop(now: Instant) -> [ShardAction] {
        var actions: [ShardAction] = []
        switch state {
        case .stopped, .failed:
            return []
        case .idle, .waitingToReconnect:
            break
        case .connecting, .waitingForHello, .waitingForIdentifyPermit, .identifying, .resuming, .connected, .closing:
            actions.append(.closeConnection(code: .normalClosure, reason: .stopping))
        }
        state = .stopped
        heartbeat = nil
        return finish(actions, now: now)
    }
}
