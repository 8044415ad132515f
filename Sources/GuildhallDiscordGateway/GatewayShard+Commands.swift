import Foundation
import GuildhallCore
import GuildhallDiscordModels
import WSClient

extension GatewayShard {
    /// Sends a feature command (presence, voice state, member request, …). It waits for an
    /// established session and a free slot of the send limit, and returns once written.
    /// Throws for protocol commands (the shard sends those itself), payloads over 4096
    /// bytes, and when the shard stops first; a rejected command changes nothing.
    public func send(_ command: GatewayCommand) async throws {
        guard !command.isProtocolCommand else {
            throw GuildhallError(.gatewayCommandRejected, "\(command.opcode) is sent by the shard itself")
        }
        let encoded = try GatewayCoding.encoder.encode(command)
        guard encoded.count <= Self.maximumCommandSize else {
            throw GuildhallError(.gatewayCommandRejected, "\(command) is \(encoded.count) bytes; the gateway accepts at most \(Self.maximumCommandSize)")
        }
        let text = String(decoding: encoded, as: UTF8.self)
        let id = core.withLock { core -> Int in
            core.nextCommandID += 1
            return core.nextCommandID
        }
        try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
                let refusal = core.withLock { core -> (any Error)? in
                    if Task.isCancelled { return CancellationError() }
                    if core.commandsClosed || core.machine.isFinished {
                        return GuildhallError(.gatewayCommandRejected, "shard \(shardID) is stopped")
                    }
                    core.queue.append(PendingCommand(id: id, text: text, continuation: continuation))
                    core.senderWake?.yield()
                    return nil
                }
                if let refusal { continuation.resume(throwing: refusal) }
            }
        } onCancel: {
            let removed = core.withLock { core -> PendingCommand? in
                guard let index = core.queue.firstIndex(where: { $0.id == id }) else { return nil }
                return core.queue.remove(at: index)
            }
            removed?.continuation.resume(throwing: CancellationError())
        }
    }

    enum SendStep {
        case idle
        case wait(until: ContinuousClock.Instant)
        case write(PendingCommand, WebSocketOutboundWriter)
    }

    /// Drains the command queue whenever woken (new command, new session).
    func runCommandSender(wakeups: AsyncStream<Void>) async {
        for await _ in wakeups {
            await drainCommands()
        }
    }

    private func drainCommands() async {
        while !Task.isCancelled {
            let step = core.withLock { core -> SendStep in
                guard core.machine.canSendCommands, let outbound = core.outbound, !core.queue.isEmpty else { return .idle }
                let now = ContinuousClock.now
                let slot = core.sendLimiter.nextSlot(forProtocol: false, now: now)
                guard slot <= now else { return .wait(until: slot) }
                core.sendLimiter.record(now: now)
                return .write(core.queue.removeFirst(), outbound)
            }
            switch step {
            case .idle:
                return
            case .wait(let instant):
                metrics.commandDelayed()
                try? await Task.sleep(until: instant, clock: .continuous)
            case .write(let command, let outbound):
                do {
                    try await outbound.write(.text(command.text))
                    command.continuation.resume()
                } catch {
                    // The connection went away under the write: keep the command for the next session.
                    core.withLock { $0.queue.insert(command, at: 0) }
                    return
                }
            }
        }
    }
}
