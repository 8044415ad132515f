import GuildhallRedis
import GuildhallTestSupport
import Logging
import NIOCore
import Synchronization
import Testing

/// Tests log at trace level into a recorder nobody reads, so log statements run but print nothing.
let quietLogger = LogRecorder().logger()

/// Starts a private redis-server, hands a client to `body`, and tears both down afterwards.
func withRedis(
    serverArguments: [String] = [],
    configure: (inout RedisConfiguration) -> Void = { _ in },
    logger: Logger = quietLogger,
    _ body: (RedisServerProcess, RedisClient) async throws -> Void
) async throws {
    let server = try await RedisServerProcess.start(extraArguments: serverArguments)
    defer { server.stop() }
    var configuration = try RedisConfiguration(url: server.url, poolSize: 2)
    configure(&configuration)
    let client = RedisClient(configuration: configuration, logger: logger)
    do {
        try await body(server, client)
        await client.close()
    } catch {
        await client.close()
        throw error
    }
}

/// Runs `body`, expects it to throw a `RedisError` with `code`, and returns that error.
@discardableResult
func expectRedisError(
    _ code: RedisError.Code,
    sourceLocation: SourceLocation = #_sourceLocation,
    _ body: () async throws -> Void
) async -> RedisError? {
    do {
        try await body()
        Issue.record("expected RedisError.\(code), but nothing was thrown", sourceLocation: sourceLocation)
        return nil
    } catch let error as RedisError {
        #expect(error.code == code, "got \(error)", sourceLocation: sourceLocation)
        return error
    } catch {
        Issue.record("expected RedisError.\(code), got \(error)", sourceLocation: sourceLocation)
        return nil
    }
}

extension ByteBuffer {
    init(_ text: String) {
        self = ByteBuffer(string: text)
    }
}
