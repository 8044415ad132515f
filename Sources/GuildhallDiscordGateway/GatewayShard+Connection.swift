import Foundation
import GuildhallCore
import GuildhallDiscordModels
import Logging
import NIOCore
import WSClient

extension GatewayShard {
    var webSocketConfiguration: WebSocketClientConfiguration {
        WebSocketClientConfiguration(
            maxFrameSize: min(configuration.maximumMessageSize, 1 << 24),
            closeTimeout: configuration.closeTimeout
        )
    }

    /// Opens one connection and serves it until it is gone, then tells the machine.
    func runConnection(url: String) async {
        let (id, task) = core.withLock { core -> (Int, Task<GatewayCloseCode?, Never>) in
            core.connectionID += 1
            core.connects += 1
            core.connectionOpened = false
            core.sendLimiter = configuration.sendLimit
            let id = core.connectionID
            let task = Task { await self.connectAndServe(url: url, connection: id) }
            core.connectionTask = task
            return (id, task)
        }
        if id > 1 { metrics.reconnect() }
        logger.debug("gateway connecting", metadata: ["url": "\(url)", "connection": "\(id)"])
        let watchdog = Task {
            try? await Task.sleep(for: configuration.connectTimeout)
            guard !Task.isCancelled else { return }
            let stalled = core.withLock { $0.connectionID == id && !$0.connectionOpened }
            if stalled {
                logger.warning("gateway handshake timed out", metadata: ["url": "\(url)"])
                task.cancel()
            }
        }
        let closeCode = await task.value
        watchdog.cancel()
        let (actions, wasOpen) = core.withLock { core -> ([ShardAction], Bool) in
            let wasOpen = core.connectionOpened
            core.outbound = nil
            core.connectionTask = nil
            core.connectionOpened = false
            return (core.machine.connectionClosed(code: closeCode, now: .now), wasOpen)
        }
        logger.info("gateway connection closed", metadata: [
            "close_code": "\(closeCode.map { String($0.rawValue) } ?? "none")", "was_open": "\(wasOpen)",
        ])
        await perform(actions, outbound: nil)
    }

    /// Runs the WebSocket client; returns the server's close code, if any.
    private func connectAndServe(url: String, connection id: Int) async -> GatewayCloseCode? {
        do {
            let closeFrame = try await WebSocketClient.connect(
                url: url, configuration: webSocketConfiguration, eventLoopGroup: eventLoopGroup, logger: logger
            ) { inbound, outbound, _ in
                try await self.serve(connection: id, inbound: inbound, outbound: outbound)
            }
            return closeFrame.map { GatewayCloseCode(Int(UInt16(webSocketErrorCode: $0.closeCode))) }
        } catch is CancellationError {
            return nil
        } catch {
            logger.warning("gateway connection failed", metadata: ["error": "\(error)"])
            return nil
        }
    }

    /// Reads the connection's messages into the machine until the server closes it.
    private func serve(connection id: Int, inbound: WebSocketInboundStream, outbound: WebSocketOutboundWriter) async throws {
        let actions = core.withLock { core -> [ShardAction]? in
            guard core.connectionID == id else { return nil }
            core.connectionOpened = true
            core.outbound = outbound
            return core.machine.connectionOpened(now: .now)
        }
        guard let actions else { return }
        await perform(actions, outbound: outbound)
        var frames = inbound.makeAsyncIterator()
        var counters = GatewayEventCounters(shard: metrics.shard)
        while let message = try await nextMessage(from: &frames) {
            await handle(message: message, connection: id, outbound: outbound, counters: &counters)
        }
    }

    /// The next whole message, its continuation frames joined; nil once the stream ends.
    private func nextMessage(from frames: inout WebSocketInboundStream.AsyncIterator) async throws -> ByteBuffer? {
        guard let first = try await frames.next() else { return nil }
        var message = first.data
        var final = first.fin
        while !final {
            guard let next = try await frames.next() else { return nil }
            guard next.opcode == .continuation else {
                throw GuildhallError(.invalidInput, "gateway sent a new message inside a fragmented one")
            }
            var data = next.data
            guard message.readableBytes + data.readableBytes <= configuration.maximumMessageSize else {
                throw GuildhallError(.invalidInput, "gateway message larger than \(configuration.maximumMessageSize) bytes")
            }
            message.writeBuffer(&data)
            final = next.fin
        }
        return message
    }

    /// Decodes one message and feeds it to the machine. A plain dispatch (all but READY and
    /// RESUMED) takes the short way: one lock to move the sequence, then straight to `deliver`.
    func handle(message: ByteBuffer, connection id: Int, outbound: WebSocketOutboundWriter?, counters: inout GatewayEventCounters) async {
        let payload: GatewayServerPayload
        do {
            payload = try GatewayFrameDecoder.decode(message)
        } catch {
            let failure = error
            metrics.decodeFailure(event: failure.eventName)
            logger.error("gateway payload could not be decoded", metadata: [
                "event": "\(failure.eventName ?? "-")", "error": "\(failure.underlying)",
            ])
            guard let fallback = failure.fallback else { return }
            payload = fallback
        }
        if case .dispatch(let sequence, let event) = payload, !event.isSessionEvent {
            let accepted = core.withLock { core -> Bool in
                guard core.connectionID == id, core.machine.recordDispatch(sequence: sequence) else { return false }
                core.eventsReceived += 1
                return true
            }
            guard accepted else { return }
            counters.count(event.name)
            await deliver(ShardEvent(shardID: shardID, sequence: sequence, event: event))
            return
        }
        let actions = core.withLock { core -> [ShardAction]? in
            guard core.connectionID == id else { return nil }
            return core.machine.received(payload, now: .now)
        }
        guard let actions else { return }
        await perform(actions, outbound: outbound)
    }
}

extension GatewayEvent {
    /// READY and RESUMED change the shard's state; every other dispatch only moves the sequence.
    var isSessionEvent: Bool {
        switch self {
        case .ready, .resumed: true
        default: false
        }
    }
}
