import Logging
import NIOCore
import Synchronization

/// One message received on a subscribed channel.
public struct RedisPubSubMessage: Sendable, Equatable {
    public let channel: String
    public let payload: String

    public init(channel: String, payload: String) {
        self.channel = channel
        self.payload = payload
    }
}

/// Messages from channels subscribed on a dedicated connection, as an `AsyncSequence`.
///
/// When the connection drops, the subscription reconnects (with back-off) and subscribes again;
/// messages published while it was down are lost, as with any Redis pub/sub. It ends when
/// `unsubscribe()` is called, the iterating task is cancelled, the object is released, or the
/// client is closed.
public final class RedisSubscription: AsyncSequence, Sendable {
    public typealias Element = RedisPubSubMessage
    public typealias Failure = Never

    public let channels: [String]
    let driver: RedisSubscriptionDriver
    private let stream: AsyncStream<RedisPubSubMessage>

    init(channels: [String], driver: RedisSubscriptionDriver, stream: AsyncStream<RedisPubSubMessage>) {
        self.channels = channels
        self.driver = driver
        self.stream = stream
    }

    deinit {
        driver.stopNow()
    }

    public struct AsyncIterator: AsyncIteratorProtocol {
        // Keeps the subscription alive for as long as someone iterates it.
        let subscription: RedisSubscription
        var base: AsyncStream<RedisPubSubMessage>.Iterator

        public mutating func next() async -> RedisPubSubMessage? {
            await base.next()
        }
    }

    public func makeAsyncIterator() -> AsyncIterator {
        AsyncIterator(subscription: self, base: stream.makeAsyncIterator())
    }

    /// Stops receiving and closes the subscription's connection.
    public func unsubscribe() async {
        await driver.stop()
    }
}

/// Owns a subscription's connection: subscribes, routes messages, and resubscribes after drops.
final class RedisSubscriptionDriver: Sendable {
    private struct State {
        var connection: RedisConnection?
        var stopped = false
        var awaitingConfirmation: Set<String> = []
        var confirmation: EventLoopPromise<Void>?
        var supervisor: Task<Void, Never>?
    }

    let channels: [String]
    private let configuration: RedisConfiguration
    private let group: any EventLoopGroup
    private let logger: Logger
    private let continuation: AsyncStream<RedisPubSubMessage>.Continuation
    private let onStop: @Sendable (RedisSubscriptionDriver) -> Void
    private let state = Mutex(State())

    init(
        channels: [String],
        configuration: RedisConfiguration,
        group: any EventLoopGroup,
        logger: Logger,
        continuation: AsyncStream<RedisPubSubMessage>.Continuation,
        onStop: @escaping @Sendable (RedisSubscriptionDriver) -> Void
    ) {
        self.channels = channels
        self.configuration = configuration
        self.group = group
        self.logger = logger
        self.continuation = continuation
        self.onStop = onStop
    }

    /// Subscribes for the first time (throwing if that fails), then watches the connection.
    func start() async throws {
        continuation.onTermination = { [weak self] _ in self?.stopNow() }
        let connection: RedisConnection
        do {
            connection = try await connectAndSubscribe()
        } catch {
            stopNow()
            throw error
        }
        let supervisor = Task { await self.supervise(from: connection) }
        let stopped = state.withLock { state -> Bool in
            state.supervisor = supervisor
            return state.stopped
        }
        if stopped { supervisor.cancel() }
    }

    private func supervise(from first: RedisConnection) async {
        var connection = first
        while true {
            try? await connection.closeFuture.get()
            var failures = 0
            while true {
                if isStopped { return }
                if failures > 0 {
                    let shift = Int64(min(failures - 1, 30))
                    let delay = min(
                        configuration.reconnectInitialDelay.nanoseconds << shift,
                        configuration.reconnectMaximumDelay.nanoseconds
                    )
                    do {
                        try await Task.sleep(nanoseconds: UInt64(delay))
                    } catch {
                        return
                    }
                }
                do {
                    connection = try await connectAndSubscribe()
                    logger.info("redis subscription restored", metadata: ["channels": "\(channels)"])
                    break
                } catch {
                    failures += 1
                    logger.warning("redis resubscribe failed", metadata: ["error": "\(error)", "attempt": "\(failures)"])
                }
            }
        }
    }

    private var isStopped: Bool {
        state.withLock { $0.stopped }
    }

    private func connectAndSubscribe() async throws -> RedisConnection {
        let connection = try await RedisConnection.connect(
            configuration: configuration,
            group: group,
            logger: logger,
            pushHandler: { [weak self] value in self?.handle(value) }
        )
        let confirmation = connection.eventLoop.makePromise(of: Void.self)
        let stopped = state.withLock { state -> Bool in
            guard !state.stopped else { return true }
            state.connection = connection
            state.awaitingConfirmation = Set(channels)
            state.confirmation = confirmation
            return false
        }
        guard !stopped else {
            connection.close()
            confirmation.fail(RedisError(.poolClosed, "subscription stopped"))
            throw RedisError(.poolClosed, "subscription stopped while connecting")
        }
        var payload = ByteBufferAllocator().buffer(capacity: 64)
        payload.writeRESPCommand(["SUBSCRIBE"] + channels)
        connection.submit(RedisOutboundRequest(payload: payload, reply: .none, timeout: .zero, entersSubscriberMode: true))
        let timeout = connection.eventLoop.scheduleTask(in: configuration.commandTimeout) {
            confirmation.fail(RedisError(.timeout, "no SUBSCRIBE confirmation within the command timeout"))
        }
        connection.closeFuture.whenComplete { _ in
            confirmation.fail(RedisError(.connectionClosed, "connection closed before SUBSCRIBE was confirmed"))
        }
        do {
            try await confirmation.futureResult.get()
            timeout.cancel()
            return connection
        } catch {
            timeout.cancel()
            state.withLock { state in
                if state.connection === connection { state.connection = nil }
            }
            connection.close()
            throw error
        }
    }

    /// Called on the connection's event loop for every pub/sub frame.
    private func handle(_ value: RESPValue) {
        guard let items = value.array, items.count >= 3, let kind = items[0].string else { return }
        switch kind.lowercased() {
        case "message":
            continuation.yield(RedisPubSubMessage(channel: items[1].string ?? "", payload: items[2].string ?? ""))
        case "subscribe":
            let channel = items[1].string ?? ""
            let confirmed = state.withLock { state -> EventLoopPromise<Void>? in
                state.awaitingConfirmation.remove(channel)
                guard state.awaitingConfirmation.isEmpty else { return nil }
                defer { state.confirmation = nil }
                return state.confirmation
            }
            confirmed?.succeed(())
        default:
            break
        }
    }

    /// Stops at once without waiting for the connection to close. Safe to call more than once.
    func stopNow() {
        let (connection, supervisor, wasStopped) = state.withLock { state in
            defer {
                state.stopped = true
                state.connection = nil
                state.supervisor = nil
            }
            return (state.connection, state.supervisor, state.stopped)
        }
        guard !wasStopped else { return }
        supervisor?.cancel()
        connection?.close()
        continuation.finish()
        onStop(self)
    }

    /// Stops and waits until the connection is closed.
    func stop() async {
        let connection = state.withLock { $0.connection }
        stopNow()
        if let connection {
            try? await connection.closeFuture.get()
        }
    }
}
