import GuildhallCore
import GuildhallDiscordModels
import Logging
import Metrics
import Synchronization

/// Gets every interaction an answer inside Discord's three seconds. The handler runs with
/// a budget (`initialDeadline`, well under 3 s); when it overruns, Discord is told
/// "thinking…" (a deferred answer) and the handler's result replaces it when it arrives.
public struct InteractionDispatcher: Sendable {
    public let router: InteractionRouter
    public let transport: any InteractionReplyTransport
    public let initialDeadline: Duration
    let logger: Logger

    public init(router: InteractionRouter, transport: any InteractionReplyTransport, initialDeadline: Duration = .milliseconds(2_200), logger: Logger) {
        self.router = router
        self.transport = transport
        self.initialDeadline = initialDeadline
        self.logger = logger
    }

    /// The first answer: the handler's own when it finished in time, else a deferral while
    /// the handler goes on in the background and edits the original answer later.
    public func firstAnswer(to interaction: Interaction) async -> InteractionResponse {
        let router = router
        let logger = logger
        let handler = Task { await router.route(interaction, logger: logger) }
        let outcome = await Self.race(handler, deadline: initialDeadline)
        if let response = outcome {
            return response
        }
        Counter(label: "guildhall_interactions_deferred_total").increment()
        let transport = transport
        Task {
            let late = await handler.value
            // A handler that itself deferred or answered with a non-message has nothing to put in place.
            guard let message = late.message else { return }
            do {
                try await transport.editOriginalResponse(message, of: interaction)
            } catch {
                logger.error("could not deliver a deferred answer", metadata: [
                    "interaction_id": "\(interaction.id)", "error": "\(error)",
                ])
            }
        }
        return .deferredMessage(ephemeral: router.defersEphemerally(interaction))
    }

    /// Handles an interaction that arrived over the gateway: the first answer goes out by REST.
    public func handleGatewayInteraction(_ interaction: Interaction) async {
        let response = await firstAnswer(to: interaction)
        do {
            try await transport.sendInitialResponse(response, to: interaction)
        } catch {
            logger.error("could not answer an interaction", metadata: [
                "interaction_id": "\(interaction.id)", "error": "\(error)",
            ])
        }
    }

    /// Waits for `task` at most `deadline`; nil when the deadline came first. The task
    /// keeps running either way (awaiting `Task.value` cannot be cancelled, so a task group
    /// would wait for the slow handler; a one-shot continuation does not).
    static func race(_ task: Task<InteractionResponse, Never>, deadline: Duration) async -> InteractionResponse? {
        let gate = OneShot<InteractionResponse?>()
        return await withCheckedContinuation { continuation in
            gate.arm(continuation)
            Task { gate.fire(await task.value) }
            Task {
                try? await Task.sleep(for: deadline)
                gate.fire(nil)
            }
        }
    }
}

/// A continuation resumed by whichever caller comes first; later calls are ignored.
final class OneShot<Value: Sendable>: Sendable {
    private let state = Mutex<(continuation: CheckedContinuation<Value, Never>?, fired: Bool)>((nil, false))

    func arm(_ continuation: CheckedContinuation<Value, Never>) {
        state.withLock { $0.continuation = continuation }
    }

    func fire(_ value: Value) {
        let continuation = state.withLock { state -> CheckedContinuation<Value, Never>? in
            guard !state.fired else { return nil }
            state.fired = true
            return state.continuation
        }
        continuation?.resume(returning: value)
    }
}
