import Foundation
import GuildhallCore
import GuildhallDiscordModels
import Logging
import Metrics
import WSClient

extension GatewayShard {
    /// Carries out the machine's actions in order. `outbound` is the connection the actions
    /// were decided for (nil when none is open); sends never go to a later connection.
    func perform(_ actions: [ShardAction], outbound: WebSocketOutboundWriter?) async {
        for action in actions {
            switch action {
            case .connect(let url):
                core.withLock { _ = $0.control?.yield(.connect(url: url)) }
            case .send(let command):
                await sendProtocolCommand(command, on: outbound)
            case .scheduleTimer(let instant):
                scheduleTimer(at: instant)
            case .cancelTimer:
                core.withLock { core in
                    core.timerGeneration += 1
                    core.timerTask?.cancel()
                    core.timerTask = nil
                }
            case .closeConnection(let code, let reason):
                await closeConnection(code: code, reason: reason, outbound: outbound)
            case .requestIdentifyPermit:
                requestIdentifyPermit()
            case .dispatch(let event, let sequence):
                // READY and RESUMED come this way; every other dispatch takes `handle`'s fast path.
                core.withLock { $0.eventsReceived += 1 }
                Counter(label: "guildhall_gateway_events_total", dimensions: [("shard", metrics.shard), ("event", event.name)]).increment()
                await deliver(ShardEvent(shardID: shardID, sequence: sequence, event: event))
            case .heartbeatAcknowledged(let latency):
                metrics.heartbeat(latency: latency)
            case .sessionEstablished(let resumed):
                let wake = core.withLock { core -> AsyncStream<Void>.Continuation? in
                    if resumed { core.resumes += 1 }
                    return core.senderWake
                }
                metrics.session(resumed: resumed)
                logger.info(resumed ? "gateway session resumed" : "gateway session ready")
                wake?.yield()
            case .fail(let error):
                core.withLock { $0.failure = error }
                metrics.failed()
            }
        }
        let (finished, status) = core.withLock { core -> (Bool, ShardStatus) in
            if core.machine.isFinished { core.control?.yield(.finished) }
            return (core.machine.isFinished, core.machine.status)
        }
        if !finished { metrics.status(status) }
    }

    /// Heartbeat, Identify and Resume: written at once, counted against the send limit's
    /// protocol share (which feature commands cannot use up).
    private func sendProtocolCommand(_ command: GatewayCommand, on outbound: WebSocketOutboundWriter?) async {
        guard let outbound else { return }
        let text: String
        do {
            text = String(decoding: try GatewayCoding.encoder.encode(command), as: UTF8.self)
        } catch {
            logger.error("gateway command could not be encoded", metadata: ["command": "\(command)", "error": "\(error)"])
            return
        }
        core.withLock { core in
            core.sendLimiter.record(now: .now)
            if case .identify = command { core.identifies += 1 }
        }
        do {
            try await outbound.write(.text(text))
            logger.trace("gateway command sent", metadata: ["command": "\(command)"])
        } catch {
            logger.debug("gateway command not sent: the connection is closing", metadata: ["command": "\(command)", "error": "\(error)"])
        }
    }

    private func closeConnection(code: GatewayCloseCode, reason: ShardCloseReason, outbound: WebSocketOutboundWriter?) async {
        let (id, task, current) = core.withLock { ($0.connectionID, $0.connectionTask, $0.outbound) }
        logger.info("gateway closing connection", metadata: ["close_code": "\(code.rawValue)", "reason": "\(reason.rawValue)"])
        metrics.closed(reason: reason)
        guard let writer = outbound ?? current else {
            // Still connecting: abandon the attempt.
            task?.cancel()
            return
        }
        try? await writer.close(.unknown(UInt16(clamping: code.rawValue)), reason: reason.rawValue)
        // A zombie never answers the close: give up on it after the close timeout.
        Task {
            try? await Task.sleep(for: configuration.closeTimeout)
            let stale = core.withLock { $0.connectionID == id && $0.connectionTask != nil }
            if stale { task?.cancel() }
        }
    }

    private func scheduleTimer(at instant: ContinuousClock.Instant) {
        core.withLock { core in
            core.timerGeneration += 1
            let generation = core.timerGeneration
            core.timerTask?.cancel()
            core.timerTask = Task {
                do {
                    try await Task.sleep(until: instant, clock: .continuous)
                } catch {
                    return
                }
                // Once fired, the task owns itself: a timer set while it runs must not
                // cancel the heartbeat it is writing.
                let current = self.core.withLock { core -> Bool in
                    guard core.timerGeneration == generation else { return false }
                    core.timerTask = nil
                    return true
                }
                guard current else { return }
                await self.timerFired()
            }
        }
    }

    private func timerFired() async {
        let (actions, outbound) = core.withLock { ($0.machine.timerFired(now: .now), $0.outbound) }
        await perform(actions, outbound: outbound)
    }

    /// Asks the identify limiter for a permit in the background; one request at a time.
    private func requestIdentifyPermit() {
        core.withLock { core in
            guard core.permitTask == nil else { return }
            core.permitTask = Task { await self.acquirePermit() }
        }
    }

    private func acquirePermit() async {
        let maxConcurrency = configuration.maxConcurrency
        while !Task.isCancelled {
            do {
                try await limiter.acquirePermit(shardID: shardID, maxConcurrency: maxConcurrency)
                break
            } catch is CancellationError {
                return
            } catch {
                metrics.permitFailure()
                logger.warning("identify limiter failed; asking again", metadata: ["error": "\(error)"])
                try? await Task.sleep(for: configuration.permitRetryDelay)
            }
        }
        guard !Task.isCancelled else { return }
        let (actions, outbound) = core.withLock { core in
            core.permitTask = nil
            return (core.machine.identifyPermitGranted(now: .now), core.outbound)
        }
        await perform(actions, outbound: outbound)
    }
}
