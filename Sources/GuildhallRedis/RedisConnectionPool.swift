import Logging
import Synchronization
import NIOCore

/// A fixed number of pipelined connections, handed out round-robin, each (re)connected lazily.
///
/// A dropped connection is replaced on the next use. When connecting fails, that slot waits
/// (doubling from `reconnectInitialDelay` up to `reconnectMaximumDelay`) before trying again,
/// and commands that reach it meanwhile fail at once with `.connectionFailed` instead of piling
/// up on a dead server.
final class RedisConnectionPool: Sendable {
    private enum SlotState {
        case idle
        case connecting(EventLoopFuture<RedisConnection>)
        case connected(RedisConnection)
    }

    private struct Slot {
        var state: SlotState = .idle
        var failures = 0
        var retryAfter = NIODeadline.uptimeNanoseconds(0)
        var lastError: RedisError?
    }

    private struct State {
        var slots: [Slot]
        var next = 0
        var closed = false
    }

    private enum Lease {
        case ready(RedisConnection)
        case wait(EventLoopFuture<RedisConnection>)
        case connect(slot: Int, EventLoopPromise<RedisConnection>)
        case fail(RedisError)
    }

    let configuration: RedisConfiguration
    let group: any EventLoopGroup
    let logger: Logger
    private let state: Mutex<State>

    init(configuration: RedisConfiguration, group: any EventLoopGroup, logger: Logger) {
        self.configuration = configuration
        self.group = group
        self.logger = logger
        self.state = Mutex(State(slots: Array(repeating: Slot(), count: max(1, configuration.poolSize))))
    }

    /// A connected connection, connecting one if its slot is empty.
    func connection() async throws -> RedisConnection {
        let lease = state.withLock { state -> Lease in
            guard !state.closed else {
                return .fail(RedisError(.poolClosed, "the Redis client is closed"))
            }
            let index = state.next
            state.next = index + 1 == state.slots.count ? 0 : index + 1
            switch state.slots[index].state {
            case .connected(let connection) where connection.isActive:
                return .ready(connection)
            case .connecting(let future):
                return .wait(future)
            case .connected, .idle:
                let slot = state.slots[index]
                let now = NIODeadline.now()
                if slot.failures > 0, now < slot.retryAfter {
                    let waitMs = (slot.retryAfter - now).nanoseconds / 1_000_000
                    return .fail(RedisError(
                        .connectionFailed,
                        "Redis at \(configuration.host):\(configuration.port) is unreachable; next attempt in \(waitMs) ms",
                        underlying: slot.lastError
                    ))
                }
                let promise = group.any().makePromise(of: RedisConnection.self)
                state.slots[index].state = .connecting(promise.futureResult)
                return .connect(slot: index, promise)
            }
        }
        switch lease {
        case .ready(let connection):
            return connection
        case .wait(let future):
            return try await future.get()
        case .fail(let error):
            throw error
        case .connect(let index, let promise):
            do {
                let connection = try await RedisConnection.connect(
                    configuration: configuration, group: group, logger: logger
                )
                try install(connection, at: index)
                promise.succeed(connection)
                return connection
            } catch {
                let redisError = error as? RedisError
                    ?? RedisError(.connectionFailed, "connect failed", underlying: error)
                recordFailure(redisError, at: index)
                promise.fail(redisError)
                throw redisError
            }
        }
    }

    private func install(_ connection: RedisConnection, at index: Int) throws {
        let (closed, hadFailures) = state.withLock { state -> (Bool, Bool) in
            guard !state.closed else { return (true, false) }
            let hadFailures = state.slots[index].failures > 0
            state.slots[index] = Slot(state: .connected(connection))
            return (false, hadFailures)
        }
        if closed {
            connection.close()
            throw RedisError(.poolClosed, "the Redis client was closed while connecting")
        }
        if hadFailures {
            logger.info("redis reconnected", metadata: ["host": "\(configuration.host)", "port": "\(configuration.port)"])
        } else {
            logger.debug("redis connected", metadata: ["host": "\(configuration.host)", "port": "\(configuration.port)"])
        }
        connection.closeFuture.whenComplete { _ in
            let poolOpen = self.state.withLock { state -> Bool in
                if case .connected(let current) = state.slots[index].state, current === connection {
                    state.slots[index].state = .idle
                }
                return !state.closed
            }
            if poolOpen {
                self.logger.warning("redis connection lost; will reconnect on next use", metadata: ["slot": "\(index)"])
            }
        }
    }

    private func recordFailure(_ error: RedisError, at index: Int) {
        let delay = state.withLock { state -> TimeAmount in
            var slot = state.slots[index]
            slot.state = .idle
            slot.failures += 1
            let initial = configuration.reconnectInitialDelay.nanoseconds
            let shift = Int64(min(slot.failures - 1, 30))
            let delay = min(initial << shift, configuration.reconnectMaximumDelay.nanoseconds)
            slot.retryAfter = .now() + .nanoseconds(delay)
            slot.lastError = error
            state.slots[index] = slot
            return .nanoseconds(delay)
        }
        logger.warning(
            "redis connect failed; backing off",
            metadata: ["error": "\(error)", "retryInMs": "\(delay.nanoseconds / 1_000_000)"]
        )
    }

    var isClosed: Bool {
        state.withLock { $0.closed }
    }

    /// Closes every connection; later leases fail with `.poolClosed`.
    func close() async {
        for connection in closeNow() {
            try? await connection.closeFuture.get()
        }
    }

    /// Marks the pool closed and starts closing its connections, without waiting.
    @discardableResult
    func closeNow() -> [RedisConnection] {
        let connections = state.withLock { state -> [RedisConnection] in
            state.closed = true
            return state.slots.compactMap { slot in
                if case .connected(let connection) = slot.state { return connection }
                return nil
            }
        }
        for connection in connections {
            connection.close()
        }
        return connections
    }
}
