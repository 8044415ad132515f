import Foundation
import GuildhallCore
import GuildhallDiscordModels
import Logging
import NIOCore
import NIOPosix
import Synchronization
import WSClient

/// One shard's connection: drives a `ShardStateMachine` over swift-websocket's client.
///
/// Frames, timers and identify permits become machine inputs; the machine's actions
/// become writes, closes, reconnects and events. Dispatches go to `deliver` in order.
/// Heartbeats run on their own timer task and skip the feature-command queue, so neither
/// a slow consumer nor a burst of commands can starve them.
public final class GatewayShard: Sendable {
    enum Control: Sendable {
        case connect(url: String)
        case finished
    }

    struct PendingCommand: Sendable {
        let id: Int
        let text: String
        let continuation: CheckedContinuation<Void, any Error>
    }

    /// Everything that changes, behind one lock. Never held across an `await`.
    struct Core: Sendable {
        var machine: ShardStateMachine
        var started = false
        var control: AsyncStream<Control>.Continuation?
        var connectionID = 0
        var connectionOpened = false
        var outbound: WebSocketOutboundWriter?
        var connectionTask: Task<GatewayCloseCode?, Never>?
        var timerTask: Task<Void, Never>?
        var timerGeneration = 0
        var permitTask: Task<Void, Never>?
        var sendLimiter: GatewaySendLimiter
        var queue: [PendingCommand] = []
        var nextCommandID = 0
        var commandsClosed = false
        var senderWake: AsyncStream<Void>.Continuation?
        var failure: GuildhallError?
        var connects = 0
        var identifies = 0
        var resumes = 0
        var eventsReceived = 0
    }

    public let configuration: Configuration
    let limiter: any IdentifyLimiter
    let deliver: @Sendable (ShardEvent) async -> Void
    let logger: Logger
    let eventLoopGroup: any EventLoopGroup
    let metrics: GatewayShardMetrics
    let core: Mutex<Core>

    /// - Parameters:
    ///   - deliver: called with every dispatch, in sequence order, from the shard's reader,
    ///     which waits for it (a full queue slows reading).
    public init(
        configuration: Configuration, identifyLimiter: any IdentifyLimiter, random: ShardRandomSource = .system,
        logger: Logger = Logger(label: "guildhall.gateway"), eventLoopGroup: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton,
        deliver: @escaping @Sendable (ShardEvent) async -> Void
    ) {
        self.configuration = configuration
        self.limiter = identifyLimiter
        self.deliver = deliver
        var logger = logger
        logger[metadataKey: LogKey.shardID] = .stringConvertible(configuration.shard.id)
        self.logger = logger
        self.eventLoopGroup = eventLoopGroup
        self.metrics = GatewayShardMetrics(shardID: configuration.shard.id)
        self.core = Mutex(Core(
            machine: ShardStateMachine(configuration: configuration.protocolConfiguration, random: random),
            sendLimiter: configuration.sendLimit
        ))
    }

    public var shardID: Int { configuration.shard.id }

    // MARK: Running

    /// Runs the shard until `stop()`, cancellation, or a fatal close code (thrown as a
    /// `GuildhallError` whose code names it). Call once.
    public func run() async throws {
        let (controlStream, control) = AsyncStream.makeStream(of: Control.self)
        let (wakeStream, wake) = AsyncStream.makeStream(of: Void.self, bufferingPolicy: .bufferingNewest(1))
        let actions = try core.withLock { core -> [ShardAction] in
            guard !core.started else { throw GuildhallError(.conflict, "shard \(shardID) is already running") }
            core.started = true
            core.control = control
            core.senderWake = wake
            return core.machine.start(now: .now)
        }
        logger.info("gateway shard starting", metadata: ["shard_count": "\(configuration.shard.count)"])
        await withTaskCancellationHandler {
            await perform(actions, outbound: nil)
            await withTaskGroup(of: Void.self) { group in
                group.addTask { await self.runCommandSender(wakeups: wakeStream) }
                for await step in controlStream {
                    guard case .connect(let url) = step else { break }
                    await runConnection(url: url)
                    if core.withLock({ $0.machine.isFinished }) { break }
                }
                group.cancelAll()
            }
        } onCancel: {
            Task { await self.stop() }
        }
        let failure = finishRun()
        if let failure {
            logger.error("gateway shard stopped on a fatal close code", metadata: ["error": "\(failure)"])
            throw failure
        }
        logger.info("gateway shard stopped")
    }

    /// Stops the shard: closes its connection with 1000 (ending the session) and makes
    /// `run()` return. Queued commands fail.
    public func stop() async {
        let (actions, outbound) = core.withLock { ($0.machine.stop(now: .now), $0.outbound) }
        await perform(actions, outbound: outbound)
        core.withLock { _ = $0.control?.yield(.finished) }
    }

    /// Ends a run: cancels timers and permit requests and fails queued commands.
    private func finishRun() -> GuildhallError? {
        let (pending, failure) = core.withLock { core -> ([PendingCommand], GuildhallError?) in
            core.timerTask?.cancel()
            core.timerTask = nil
            core.permitTask?.cancel()
            core.permitTask = nil
            core.commandsClosed = true
            core.control?.finish()
            core.senderWake?.finish()
            defer { core.queue.removeAll() }
            return (core.queue, core.failure)
        }
        metrics.status(.stopped)
        for command in pending {
            command.continuation.resume(throwing: GuildhallError(.gatewayCommandRejected, "shard \(shardID) stopped before the command was sent"))
        }
        return failure
    }

    /// Puts the shard in an established session on connection 1 without a socket, so the
    /// dispatch benchmark can feed frames to `handle` directly.
    func primeForBenchmark() {
        core.withLock { core in
            core.machine = GatewayDispatchBenchmark.connectedMachine(shard: shardID, count: configuration.shard.count)
            core.connectionID = 1
        }
    }

    // MARK: State

    public var status: ShardStatus { core.withLock { $0.machine.status } }

    public var snapshot: ShardSnapshot {
        core.withLock { core in
            ShardSnapshot(
                shardID: shardID, shardCount: configuration.shard.count, status: core.machine.status,
                lastSequence: core.machine.lastSequence, sessionID: core.machine.session?.id,
                heartbeatLatency: core.machine.lastHeartbeatLatency, reconnects: max(0, core.connects - 1),
                identifies: core.identifies, resumes: core.resumes, eventsReceived: core.eventsReceived,
                queuedCommands: core.queue.count, failure: core.failure?.description
            )
        }
    }
}
