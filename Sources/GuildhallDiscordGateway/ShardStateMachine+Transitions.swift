import GuildhallDiscordModels

extension ShardStateMachine {
    var isSocketOpen: Bool {
        switch state {
        case .waitingForHello, .waitingForIdentifyPermit, .identifying, .resuming, .connected, .closing: true
        default: false
        }
    }

    var isClosing: Bool {
        if case .closing = state { return true }
        return false
    }

    /// When the machine next needs `timerFired`.
    var deadline: Instant? {
        switch state {
        case .waitingToReconnect(_, let until): until
        case .waitingForHello(_, let since): since + configuration.helloTimeout
        case .identifying(let since), .resuming(let since):
            min(since + configuration.sessionTimeout, heartbeat?.nextAt ?? since + configuration.sessionTimeout)
        case .waitingForIdentifyPermit, .connected: heartbeat?.nextAt
        default: nil
        }
    }

    /// Appends the timer change, if any, to the input's actions.
    mutating func finish(_ actions: [ShardAction], now: Instant) -> [ShardAction] {
        let next = deadline
        guard next != announcedDeadline else { return actions }
        announcedDeadline = next
        return actions + [next.map { .scheduleTimer(at: $0) } ?? .cancelTimer]
    }

    mutating func connect(_ plan: Plan, into actions: inout [ShardAction]) {
        let resume = plan == .resume && canResume
        state = .connecting(resume ? .resume : .identify)
        let base = resume ? session!.resumeURL : configuration.gatewayURL
        actions.append(.connect(url: GatewayURL.connectionURL(base: base)))
    }

    mutating func reconnect(_ plan: Plan, minimumDelay: Duration, now: Instant, into actions: inout [ShardAction]) {
        heartbeat = nil
        let delay = max(minimumDelay, configuration.backoff.delay(afterFailures: consecutiveFailures, random: random))
        if delay > .zero {
            state = .waitingToReconnect(plan, until: now + delay)
        } else {
            connect(plan, into: &actions)
        }
    }

    /// A connection that never reached READY/RESUMED counts towards the backoff.
    mutating func countConnectionOutcome() {
        consecutiveFailures = sessionEstablishedOnConnection ? 0 : consecutiveFailures + 1
        sessionEstablishedOnConnection = false
    }

    mutating func invalidateSession() {
        session = nil
        lastSequence = nil
    }

    mutating func close(reason: ShardCloseReason, then plan: Plan, after delay: Duration, into actions: inout [ShardAction]) {
        guard !isClosing else { return }
        state = .closing(plan, delay: delay)
        actions.append(.closeConnection(code: Self.resumableCloseCode, reason: reason))
    }

    mutating func sendHeartbeat(now: Instant, into actions: inout [ShardAction]) {
        guard !isClosing else { return }
        actions.append(.send(.heartbeat(sequence: lastSequence)))
        heartbeat?.awaitingAck = true
        heartbeat?.lastSentAt = now
    }

    mutating func receivedHello(_ hello: GatewayHello, now: Instant, into actions: inout [ShardAction]) {
        guard case .waitingForHello(let plan, _) = state else { return }
        guard hello.heartbeatInterval > 0 else {
            close(reason: .protocolViolation, then: plan, after: .zero, into: &actions)
            return
        }
        let interval = hello.heartbeatIntervalDuration
        let jitter = min(max(random.unitInterval(), 0), 1)
        heartbeat = Heartbeat(interval: interval, nextAt: now + interval * jitter)
        if plan == .resume, let session, let lastSequence {
            state = .resuming(since: now)
            actions.append(.send(.resume(GatewayResume(token: configuration.token, sessionID: session.id, sequence: lastSequence))))
        } else {
            state = .waitingForIdentifyPermit
            actions.append(.requestIdentifyPermit)
        }
    }

    mutating func receivedDispatch(_ event: GatewayEvent, sequence: Int?, into actions: inout [ShardAction]) {
        _ = recordDispatch(sequence: sequence)
        switch event {
        case .ready(let ready):
            session = Session(id: ready.sessionID, resumeURL: ready.resumeGatewayURL)
            establishSession(resumed: false, into: &actions)
        case .resumed:
            establishSession(resumed: true, into: &actions)
        default:
            break
        }
        actions.append(.dispatch(event, sequence: sequence))
    }

    mutating func establishSession(resumed: Bool, into actions: inout [ShardAction]) {
        guard !isClosing else { return }
        state = .connected
        sessionEstablishedOnConnection = true
        consecutiveFailures = 0
        actions.append(.sessionEstablished(resumed: resumed))
    }
}
