import Logging
import Synchronization
import NIOCore
import NIOPosix

/// One TCP connection to Redis, after its handshake. Safe to use from any task: requests are
/// queued under a lock and written in batches on the event loop, so commands from many tasks
/// share one flush.
final class RedisConnection: Sendable {
    private struct Outbox {
        var requests: [RedisOutboundRequest] = []
        var drainScheduled = false
    }

    let channel: any Channel
    private let handler: NIOLoopBound<RedisChannelHandler>
    private let outbox = Mutex(Outbox())

    var eventLoop: any EventLoop { channel.eventLoop }
    var isActive: Bool { channel.isActive }
    var closeFuture: EventLoopFuture<Void> { channel.closeFuture }

    private init(channel: any Channel, handler: NIOLoopBound<RedisChannelHandler>) {
        self.channel = channel
        self.handler = handler
    }

    /// Connects and runs the handshake (HELLO 3, or RESP2 AUTH/SELECT).
    static func connect(
        configuration: RedisConfiguration,
        group: any EventLoopGroup,
        logger: Logger,
        pushHandler: (@Sendable (RESPValue) -> Void)? = nil
    ) async throws -> RedisConnection {
        let bootstrap = ClientBootstrap(group: group)
            .connectTimeout(configuration.connectTimeout)
            .channelOption(.socketOption(.tcp_nodelay), value: 1)
            .channelOption(.socketOption(.so_keepalive), value: 1)
        let connection: RedisConnection
        do {
            connection = try await bootstrap.connect(host: configuration.host, port: configuration.port) { channel in
                channel.eventLoop.makeCompletedFuture {
                    let handler = RedisChannelHandler(pushHandler: pushHandler, logger: logger)
                    try channel.pipeline.syncOperations.addHandler(handler)
                    return RedisConnection(channel: channel, handler: NIOLoopBound(handler, eventLoop: channel.eventLoop))
                }
            }
        } catch {
            throw RedisError(
                .connectionFailed,
                "cannot connect to \(configuration.host):\(configuration.port)",
                underlying: error
            )
        }
        do {
            try await connection.handshake(configuration, logger: logger)
        } catch {
            connection.close()
            throw error
        }
        return connection
    }

    private func handshake(_ configuration: RedisConfiguration, logger: Logger) async throws {
        if configuration.protocolVersion == .resp3 {
            var hello = ["HELLO", "3"]
            if let password = configuration.password {
                hello += ["AUTH", configuration.username ?? "default", password]
            }
            if let name = configuration.clientName {
                hello += ["SETNAME", name]
            }
            let reply = try await send(hello, timeout: configuration.commandTimeout)
            if case .error(let message) = reply {
                guard message.hasPrefix("NOPROTO") || message.lowercased().contains("unknown command") else {
                    throw RedisError(.connectionFailed, "server rejected HELLO: \(message)")
                }
                logger.info("redis server does not speak RESP3; falling back to RESP2", metadata: ["reply": "\(message)"])
            } else {
                try await select(configuration)
                return
            }
        }
        if let password = configuration.password {
            var auth = ["AUTH"]
            if let username = configuration.username { auth.append(username) }
            auth.append(password)
            try await checked(auth, configuration, what: "AUTH")
        }
        if let name = configuration.clientName {
            try await checked(["CLIENT", "SETNAME", name], configuration, what: "CLIENT SETNAME")
        }
        try await select(configuration)
    }

    private func select(_ configuration: RedisConfiguration) async throws {
        if configuration.database != 0 {
            try await checked(["SELECT", String(configuration.database)], configuration, what: "SELECT")
        }
    }

    private func checked(_ command: [String], _ configuration: RedisConfiguration, what: String) async throws {
        let reply = try await send(command, timeout: configuration.commandTimeout)
        if case .error(let message) = reply {
            throw RedisError(.connectionFailed, "server rejected \(what): \(message)")
        }
    }

    func send(_ command: [String], timeout: TimeAmount) async throws -> RESPValue {
        var payload = channel.allocator.buffer(capacity: 64)
        payload.writeRESPCommand(command)
        return try await send(payload, timeout: timeout)
    }

    /// Writes one encoded command and waits for its reply (error replies are returned, not thrown).
    func send(_ payload: ByteBuffer, timeout: TimeAmount) async throws -> RESPValue {
        let promise = eventLoop.makePromise(of: RESPValue.self)
        submit(RedisOutboundRequest(payload: payload, reply: .single(promise), timeout: timeout))
        return try await promise.futureResult.get()
    }

    /// Writes `count` encoded commands at once and waits for all their replies, in order.
    func send(batch payload: ByteBuffer, count: Int, timeout: TimeAmount) async throws -> [RESPValue] {
        let promise = eventLoop.makePromise(of: [RESPValue].self)
        submit(RedisOutboundRequest(payload: payload, reply: .multiple(count: count, promise), timeout: timeout))
        return try await promise.futureResult.get()
    }

    func submit(_ request: RedisOutboundRequest) {
        let mustSchedule = outbox.withLock { outbox -> Bool in
            outbox.requests.append(request)
            guard !outbox.drainScheduled else { return false }
            outbox.drainScheduled = true
            return true
        }
        if mustSchedule {
            if eventLoop.inEventLoop {
                drain()
            } else {
                eventLoop.execute { self.drain() }
            }
        }
    }

    private func drain() {
        let requests = outbox.withLock { outbox -> [RedisOutboundRequest] in
            outbox.drainScheduled = false
            defer { outbox.requests.removeAll(keepingCapacity: true) }
            return outbox.requests
        }
        handler.value.submit(requests)
    }

    func close() {
        channel.close(promise: nil)
    }
}
