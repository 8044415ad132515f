import GuildhallBackends
import GuildhallCore
import GuildhallFixtures
import GuildhallRedis
import GuildhallTestSupport
import Logging
import NIOCore
import Testing

/// The Redis backends when Redis goes away and comes back: errors, never hangs, and
/// working again without being rebuilt.
@Suite("Redis backends during an outage")
struct RedisBackendFailureTests {
    @Test("operations fail while Redis is down and work after it restarts")
    func outage() async throws {
        let server = try await RedisServerProcess.start()
        defer { server.stop() }
        var configuration = try RedisConfiguration(url: server.url)
        configuration.commandTimeout = .milliseconds(500)
        configuration.connectTimeout = .milliseconds(500)
        configuration.reconnectInitialDelay = .milliseconds(10)
        configuration.reconnectMaximumDelay = .milliseconds(50)
        let client = RedisClient(configuration: configuration, logger: Logger(label: "test"))
        let backends = Backends.redis(client)
        var factory = MockFactory.random()
        let key = try TestKeys.long.key(guild: factory.snowflake(), "outage")
        try await backends.cache.set(key, "before")

        server.kill()
        await #expect(throws: (any Error).self) { _ = try await backends.cache.get(key) }
        await #expect(throws: (any Error).self) { _ = try await backends.rateLimiter.hit(key, limit: 1, window: .seconds(1)) }
        await #expect(throws: (any Error).self) { try await backends.pubSub.publish(try TestKeys.channel.key(guild: key.guild), "x") }

        try await server.restart()
        var recovered = false
        for _ in 0..<100 where !recovered {
            if (try? await backends.cache.set(key, "after")) != nil { recovered = true } else { try await Task.sleep(for: .milliseconds(50)) }
        }
        #expect(recovered, "the same client works again once Redis is back")
        #expect(try await backends.cache.get(key) == "after", "data written before the crash is gone (no persistence), new writes work")
        await client.close()
    }

    @Test("a script reply of an unexpected shape is an error, not a crash")
    func unexpectedReplies() async throws {
        let client = RedisClient(configuration: try RedisConfiguration(url: try TestEnvironment.redisURL()), logger: Logger(label: "test"))
        let backends = Backends.redis(client)
        var factory = MockFactory.random()
        let key = try TestKeys.limit.key(guild: factory.snowflake(), "odd")
        let odd = CacheScript(name: "odd", lua: "return 'text'", local: { _ in .string("text") })
        #expect(try await backends.cache.run(odd, keys: [key], arguments: []) == .string("text"))
        let nothing = CacheScript(name: "nothing", lua: "return nil", local: { _ in .null })
        #expect(try await backends.cache.run(nothing, keys: [key], arguments: []) == .null)
        // PTTL on a string key is an integer; TTL of a key holding a hash is still an integer.
        _ = try await client.send(["HSET", key.rawValue, "f", "v"])
        await #expect(throws: (any Error).self) { _ = try await backends.cache.get(key) }
        await #expect(throws: (any Error).self) { _ = try await backends.cache.increment(key, by: 1) }
        try await backends.cache.delete([key])
        await client.close()
    }
}
