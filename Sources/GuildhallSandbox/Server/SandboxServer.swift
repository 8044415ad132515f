import Foundation
import GuildhallCore
import Hummingbird
import HummingbirdWebSocket
import Logging
import NIOCore
import ServiceLifecycle
import Synchronization

/// Where a running sandbox listens.
public struct SandboxEndpoints: Sendable, Equatable {
    public let host: String
    public let port: Int

    /// `http://127.0.0.1:<port>`: the OAuth2 authorize page lives here.
    public var baseURL: URL { URL(string: "http://\(host):\(port)")! }
    /// `http://127.0.0.1:<port>/api/v10`: what a client uses instead of `https://discord.com/api/v10`.
    public var apiBaseURL: URL { baseURL.appendingPathComponent("api/v10") }
    /// `ws://127.0.0.1:<port>/gateway`: what `GET /gateway/bot` returns.
    public var gatewayURL: String { "ws://\(host):\(port)/gateway" }
    /// `http://127.0.0.1:<port>/_sandbox`: the control API.
    public var controlURL: URL { baseURL.appendingPathComponent("_sandbox") }
}

/// The sandbox Discord: REST under `/api/v10`, the gateway WebSocket at `/gateway`, OAuth2 at
/// `/oauth2/authorize` and `/api/v10/oauth2/token`, and the control API under `/_sandbox`, all
/// on one loopback port. Run it as a `Service` in a service group (`run()`), or in the
/// background with `start()` and `stop()`.
public final class SandboxServer: Service, Sendable {
    public let configuration: SandboxConfiguration
    /// The world, for in-process callers (tests, the CLI, benchmarks).
    public let world: SandboxWorld
    /// Everything the control API does, callable in-process.
    public let control: SandboxControl
    let gate: SandboxRESTGate
    let connections = SandboxConnections()

    private struct Lifecycle: Sendable {
        var endpoints: SandboxEndpoints?
        var waiters: [CheckedContinuation<SandboxEndpoints, any Error>] = []
        var task: Task<Void, any Error>?
        /// The group `start()` runs the server in, to shut it down gracefully.
        var group: ServiceGroup?
        var failure: (any Error & Sendable)?
    }

    private let lifecycle = Mutex(Lifecycle())

    public init(configuration: SandboxConfiguration) throws {
        try configuration.validate()
        self.configuration = configuration
        world = SandboxWorld(configuration: configuration)
        gate = SandboxRESTGate(policy: configuration.rateLimits)
        control = SandboxControl(world: world, gate: gate)
    }

    /// The endpoints once the server is listening.
    public var endpoints: SandboxEndpoints? { lifecycle.withLock { $0.endpoints } }

    /// Runs until cancelled or shut down gracefully (the `Service` requirement).
    public func run() async throws {
        let app = buildApplication()
        connections.reopen()
        do {
            try await withTaskCancellationHandler {
                try await app.run()
            } onCancel: {
                connections.closeAll()
            }
        } catch {
            fail(error)
            throw error
        }
        fail(CancellationError())
    }

    /// Starts in the background and returns once the server is listening.
    public func start() async throws -> SandboxEndpoints {
        if let endpoints { return endpoints }
        // In a group of its own, so that `stop()` can shut it down gracefully: cancelling a
        // NIO server while it has a connection accepted but not yet handed over traps in
        // NIO ("Deinited NIOAsyncWriter without calling finish()", apple/swift-nio#3481).
        let group = ServiceGroup(configuration: .init(services: [self], gracefulShutdownSignals: [], logger: configuration.logger))
        let task = Task { try await group.run() }
        lifecycle.withLock { state in
            state.task = task
            state.group = group
        }
        return try await withCheckedThrowingContinuation { continuation in
            let ready = lifecycle.withLock { state -> Result<SandboxEndpoints, any Error>? in
                if let endpoints = state.endpoints { return .success(endpoints) }
                if let failure = state.failure { return .failure(failure) }
                state.waiters.append(continuation)
                return nil
            }
            if let ready { continuation.resume(with: ready) }
        }
    }

    /// Stops a server started with `start()`: open connections are closed, traffic stops.
    public func stop() async {
        control.traffic.stopAll()
        let (task, group) = lifecycle.withLock { state -> (Task<Void, any Error>?, ServiceGroup?) in
            defer {
                state.task = nil
                state.group = nil
            }
            return (state.task, state.group)
        }
        // Gracefully: the listener closes first, so nothing is accepted while the server
        // winds down; then the open connections are closed.
        await group?.triggerGracefulShutdown()
        connections.closeAll()
        guard let task else { return }
        // Bounded: a connection Hummingbird still waits on (one accepted before it was
        // tracked) must not hold a stop for the client's idle timeout, ten minutes for
        // AsyncHTTPClient's shared pool. Past the grace the task is cancelled (the listener
        // is closed by then) and left to finish on its own.
        if await !Self.finishes(task, within: stopGrace) {
            configuration.logger.warning(
                "sandbox server still waiting on a connection after stop; not waiting longer",
                metadata: ["grace": "\(stopGrace)", "tracked_open": "\(connections.count)"]
            )
            task.cancel()
        }
    }

    /// How long `stop()` waits for the server task after closing every connection.
    static let defaultStopGrace: Duration = .seconds(5)
    var stopGrace: Duration { Self.defaultStopGrace }

    /// Whether `task` ends within `limit` (it is not cancelled further either way).
    static func finishes(_ task: Task<Void, any Error>, within limit: Duration) async -> Bool {
        let once = FirstOnly()
        return await withCheckedContinuation { (continuation: CheckedContinuation<Bool, Never>) in
            Task {
                _ = try? await task.value
                if once.claim() { continuation.resume(returning: true) }
            }
            Task {
                try? await Task.sleep(for: limit)
                if once.claim() { continuation.resume(returning: false) }
            }
        }
    }

    /// True for the first caller only.
    private final class FirstOnly: Sendable {
        private let claimed = Mutex(false)

        func claim() -> Bool {
            claimed.withLock { claimed in
                defer { claimed = true }
                return !claimed
            }
        }
    }

    private func listening(on port: Int) {
        let endpoints = SandboxEndpoints(host: configuration.host, port: port)
        world.setURLs(gateway: endpoints.gatewayURL, resume: endpoints.gatewayURL + "/resume", base: endpoints.baseURL.absoluteString)
        let waiters = lifecycle.withLock { state in
            state.endpoints = endpoints
            defer { state.waiters = [] }
            return state.waiters
        }
        for waiter in waiters { waiter.resume(returning: endpoints) }
        configuration.logger.notice(
            "sandbox Discord listening: this is the SANDBOX, not discord.com",
            metadata: ["api": "\(endpoints.apiBaseURL)", "gateway": "\(endpoints.gatewayURL)", "seed": "\(configuration.seed)"]
        )
    }

    private func fail(_ error: any Error) {
        let waiters = lifecycle.withLock { state in
            state.failure = state.failure ?? GuildhallError(.unavailable, "sandbox server stopped: \(error)")
            state.endpoints = nil
            defer { state.waiters = [] }
            return state.waiters
        }
        for waiter in waiters { waiter.resume(throwing: error) }
    }

    private func buildApplication() -> some ApplicationProtocol {
        let router = Router(context: SandboxRequestContext.self)
        let rest = SandboxREST(world: world, gate: gate)
        rest.registerRoutes(on: router)
        SandboxOAuthRoutes(world: world, rest: rest).register(on: router)
        control.register(on: router)
        router.get("/") { _, _ in
            SandboxHTTP.html("<!doctype html><title>Guildhall sandbox Discord</title><h1>Guildhall sandbox Discord</h1><p>REST: /api/v10, gateway: /gateway, control: /_sandbox. See docs/sandbox.md.</p>")
        }

        let gateway = GatewayEndpoint(world: world)
        let sockets = Router(context: SandboxRequestContext.self)
        let tracked = connections
        for path in ["/", "/gateway", "/gateway/resume"] {
            sockets.ws(RouterPath(path)) { inbound, outbound, context in
                // Hummingbird adds the per-connection handlers to plain HTTP connections
                // only; an upgraded one is tracked here.
                tracked.track(context.requestContext.channel)
                try await gateway.handle(
                    inbound: inbound, outbound: outbound, path: context.request.uri.path,
                    query: SandboxHTTP.query(context.request), channel: context.requestContext.channel, logger: context.logger
                )
            }
        }
        let webSocket = WebSocketServerConfiguration(maxFrameSize: 1 << 16, autoPing: .disabled, closeTimeout: .seconds(5))
        var logger = configuration.logger
        logger[metadataKey: "sandbox"] = "true"
        return Application(
            router: router,
            server: .http1WebSocketUpgrade(
                webSocketRouter: sockets, configuration: webSocket, additionalChannelHandlers: [tracked.tracker()]
            ),
            configuration: .init(address: .hostname(configuration.host, port: configuration.port), serverName: nil),
            onServerRunning: { [weak self] channel in self?.listening(on: channel.localAddress?.port ?? 0) },
            logger: logger
        )
    }
}
