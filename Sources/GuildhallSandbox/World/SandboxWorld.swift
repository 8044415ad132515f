import Foundation
import GuildhallCore
import GuildhallDiscordModels
import Synchronization

/// The live world: the state behind a lock, and the gateway hub its changes are dispatched
/// through. Every change runs under the lock and hands its dispatches to the hub before the
/// lock is released, so the order of changes is the order of events on every session.
public final class SandboxWorld: Sendable {
    let configuration: SandboxConfiguration
    let hub: GatewayHub
    private let state: Mutex<SandboxState>
    private let urls = Mutex<(gateway: String, resume: String, base: String)>(("", "", ""))
    /// Interactions answered by their callback so far: load generators keep a bounded number
    /// of clicks unanswered by reading it, without taking the world's lock.
    let answeredInteractions = Atomic<Int>(0)
    /// Seconds since 1970; tests of pure parts pass their own times instead.
    let clock: @Sendable () -> Double

    init(configuration: SandboxConfiguration, clock: @escaping @Sendable () -> Double = { Date().timeIntervalSince1970 }) {
        self.configuration = configuration
        hub = GatewayHub(configuration: configuration)
        state = Mutex(SandboxSeeder(configuration: configuration).seed())
        self.clock = clock
    }

    var now: Double { clock() }

    /// Reads the world.
    public func read<Result>(_ body: (SandboxState) throws -> Result) rethrows -> Result {
        try state.withLock { try body($0) }
    }

    /// A copy of the whole world (for the control API and tests).
    public var snapshot: SandboxState { state.withLock { $0 } }

    /// Changes the world; what `body` appends to `dispatches` goes out before the lock is
    /// released. `body` checks before it changes anything, so a throw leaves the world as it was.
    func mutate<Result: Sendable>(
        _ body: (inout SandboxState, inout [SandboxDispatch]) throws -> Result
    ) throws -> Result {
        let outcome: Swift.Result<Result, any Error> = state.withLock { state in
            var dispatches: [SandboxDispatch] = []
            do {
                let value = try body(&state, &dispatches)
                hub.dispatch(batch: dispatches)
                return .success(value)
            } catch {
                return .failure(error)
            }
        }
        return try outcome.get()
    }

    func setURLs(gateway: String, resume: String, base: String) {
        urls.withLock { $0 = (gateway, resume, base) }
    }

    var gatewayURL: String { urls.withLock { $0.gateway } }
    var resumeGatewayURL: String { urls.withLock { $0.resume } }
    var baseURL: String { urls.withLock { $0.base } }
}

extension SandboxState {
    /// A dispatch of `json` named `name`, routed by `guildID`.
    func event(_ name: String, guild guildID: Snowflake?, intents: UInt64, _ json: JSONValue, redacted: JSONValue? = nil) -> SandboxDispatch {
        SandboxDispatch(
            name: name, guildID: guildID, requiredIntents: intents, data: SandboxWire.bytes(json),
            redactedData: redacted.map(SandboxWire.bytes)
        )
    }
}
