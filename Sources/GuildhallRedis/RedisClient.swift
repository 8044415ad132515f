import Logging
import NIOCore
import NIOPosix
import Synchronization

/// The entry point: a pool of pipelined connections to one Redis server.
///
/// Safe to share between tasks. Connections are made on first use and remade after they drop,
/// so a Redis restart shows up as failed commands while it is down and working ones afterwards,
/// with the same client.
public final class RedisClient: Sendable {
    public let configuration: RedisConfiguration
    let pool: RedisConnectionPool
    let eventLoopGroup: any EventLoopGroup
    let logger: Logger
    private let subscriptions = Mutex<[ObjectIdentifier: RedisSubscriptionDriver]>([:])

    public init(
        configuration: RedisConfiguration,
        eventLoopGroup: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton,
        logger: Logger = Logger(label: "guildhall.redis")
    ) {
        self.configuration = configuration
        self.eventLoopGroup = eventLoopGroup
        self.logger = logger
        self.pool = RedisConnectionPool(configuration: configuration, group: eventLoopGroup, logger: logger)
    }

    deinit {
        // A client dropped without `close()` must not leave its sockets open.
        pool.closeNow()
    }

    /// Closes every connection and subscription; later commands fail with `.poolClosed`.
    public func close() async {
        let drivers = subscriptions.withLock { drivers in
            defer { drivers.removeAll() }
            return Array(drivers.values)
        }
        for driver in drivers {
            await driver.stop()
        }
        await pool.close()
    }

    // MARK: - Commands

    /// Sends one command; an error reply throws `RedisError` with code `.server`.
    public func send(_ arguments: [String]) async throws -> RESPValue {
        var payload = ByteBufferAllocator().buffer(capacity: Self.estimatedSize(arguments))
        payload.writeRESPCommand(arguments)
        return try await send(encoded: payload)
    }

    /// Sends one command whose arguments may be raw bytes (binary-safe) or integers.
    public func send(_ arguments: [RESPArgument]) async throws -> RESPValue {
        var payload = ByteBufferAllocator().buffer(capacity: 16 * arguments.count + 64)
        payload.writeRESPCommand(arguments)
        return try await send(encoded: payload)
    }

    /// Sends a command already encoded as one RESP array (see `ByteBuffer.writeRESPCommand`).
    public func send(encoded payload: ByteBuffer, extraTimeout: TimeAmount = .zero) async throws -> RESPValue {
        let connection = try await pool.connection()
        let reply = try await connection.send(payload, timeout: configuration.commandTimeout + extraTimeout)
        if case .error(let message) = reply {
            throw RedisError.server(message)
        }
        return reply
    }

    /// Writes all commands with one flush on one connection and returns their replies in order;
    /// an error reply is a `.failure` in its place, while a lost connection throws.
    public func pipeline(_ commands: [[String]]) async throws -> [Result<RESPValue, RedisError>] {
        guard !commands.isEmpty else { return [] }
        var payload = ByteBufferAllocator().buffer(capacity: commands.reduce(0) { $0 + Self.estimatedSize($1) })
        for command in commands {
            payload.writeRESPCommand(command)
        }
        let replies = try await pipeline(encoded: payload, count: commands.count)
        return replies.map { reply in
            if case .error(let message) = reply {
                return .failure(RedisError.server(message))
            }
            return .success(reply)
        }
    }

    /// Writes `count` commands already encoded back to back in `payload`, and returns the raw
    /// replies (error replies included as `.error` values). For hot paths that encode themselves.
    public func pipeline(encoded payload: ByteBuffer, count: Int) async throws -> [RESPValue] {
        let connection = try await pool.connection()
        return try await connection.send(batch: payload, count: count, timeout: configuration.commandTimeout)
    }

    /// Runs the commands between MULTI and EXEC on one connection and returns EXEC's replies
    /// (a command that failed while running is an `.error` value in its place).
    ///
    /// Throws `.transactionAborted` when EXEC runs nothing: a command was rejected while queueing
    /// (EXECABORT), or EXEC answered null.
    public func transaction(_ commands: [[String]]) async throws -> [RESPValue] {
        var payload = ByteBufferAllocator().buffer(capacity: commands.reduce(32) { $0 + Self.estimatedSize($1) })
        payload.writeRESPCommand(["MULTI"])
        for command in commands {
            payload.writeRESPCommand(command)
        }
        payload.writeRESPCommand(["EXEC"])
        let replies = try await pipeline(encoded: payload, count: commands.count + 2)
        if case .error(let message) = replies[0] {
            throw RedisError.server(message)
        }
        let queueErrors = replies[1..<(replies.count - 1)].compactMap(\.errorMessage)
        switch replies[replies.count - 1] {
        case .array(let results):
            return results
        case .null:
            throw RedisError(.transactionAborted, "EXEC returned null: a watched key changed")
        case .error(let message):
            let reasons = ([message] + queueErrors).joined(separator: "; ")
            throw RedisError(.transactionAborted, "transaction discarded: \(reasons)")
        case let other:
            throw RedisError.unexpected(other, expected: "EXEC array")
        }
    }

    static func estimatedSize(_ arguments: [String]) -> Int {
        var size = 16
        for argument in arguments {
            size += argument.utf8.count + 16
        }
        return size
    }

    // MARK: - Subscriptions bookkeeping

    func register(_ driver: RedisSubscriptionDriver) {
        subscriptions.withLock { $0[ObjectIdentifier(driver)] = driver }
    }

    func unregister(_ driver: RedisSubscriptionDriver) {
        _ = subscriptions.withLock { $0.removeValue(forKey: ObjectIdentifier(driver)) }
    }
}
