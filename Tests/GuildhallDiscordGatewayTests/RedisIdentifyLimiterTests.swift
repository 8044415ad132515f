import GuildhallCore
import GuildhallRedis
import GuildhallTestSupport
import Logging
import Synchronization
import Testing
@testable import GuildhallDiscordGateway

/// The identify limiter shared through the test command's Redis; every test has its own scope.
@Suite("RedisIdentifyLimiter")
struct RedisIdentifyLimiterTests {
    static func client() throws -> RedisClient {
        RedisClient(configuration: try RedisConfiguration(url: try TestEnvironment.redisURL()), logger: Transport.quiet)
    }

    static func scope() -> String { TestEnvironment.uniqueName(prefix: "gw") }

    @Test func thePermitIsTakenForOneWindowAcrossProcesses() async throws {
        let (first, second) = (try Self.client(), try Self.client())
        let scope = Self.scope()
        let processA = try RedisIdentifyLimiter(client: first, scope: scope, owner: "process-a")
        let processB = try RedisIdentifyLimiter(client: second, scope: scope, owner: "process-b")
        #expect(try await processA.tryAcquire(shardID: 0, maxConcurrency: 1) == nil)
        let wait = try #require(try await processB.tryAcquire(shardID: 3, maxConcurrency: 1), "the bucket is taken")
        #expect(wait > .zero && wait <= IdentifyWindow.spacing)
        let key = try processA.key(bucket: 0)
        #expect(key.rawValue.hasPrefix("bot:{0}:gateway:identify:\(scope):"))
        #expect(try await first.get(key.rawValue) == "process-a:0")
        let ttl = try await first.pttl(key.rawValue)
        #expect(ttl > 0 && ttl <= 5500)
        // Another bucket of the same bot is free.
        #expect(try await processB.tryAcquire(shardID: 1, maxConcurrency: 2) == nil)
        _ = try await first.del([key.rawValue, try processA.key(bucket: 1).rawValue])
        await first.close()
        await second.close()
    }

    @Test func waitersAcrossProcessesAreGrantedOneWindowApart() async throws {
        let clients = try (0..<3).map { _ in try Self.client() }
        let scope = Self.scope()
        let window = Duration.seconds(1)
        let limiters = try clients.enumerated().map { try RedisIdentifyLimiter(client: $1, scope: scope, window: window, owner: "p\($0)") }
        let grants = Recorder<ContinuousClock.Instant>()
        try await withThrowingTaskGroup(of: Void.self) { group in
            for (index, limiter) in limiters.enumerated() {
                group.addTask {
                    try await limiter.acquirePermit(shardID: index * 4, maxConcurrency: 4)
                    grants.append(.now)
                }
            }
            try await group.waitForAll()
        }
        let times = grants.all.sorted()
        #expect(times.count == 3)
        for (earlier, later) in zip(times, times.dropFirst()) {
            #expect(earlier.duration(to: later) >= .milliseconds(900), "two identifies of one bucket within a window")
        }
        for client in clients { await client.close() }
    }

    @Test func aBucketKeyWithoutTTLIsRepaired() async throws {
        let client = try Self.client()
        let limiter = try RedisIdentifyLimiter(client: client, scope: Self.scope())
        let key = try limiter.key(bucket: 0)
        try await client.set(key.rawValue, "left-behind")
        #expect(try await client.pttl(key.rawValue) == -1)
        let wait = try await limiter.tryAcquire(shardID: 0, maxConcurrency: 1)
        #expect(wait == IdentifyWindow.spacing)
        let ttl = try await client.pttl(key.rawValue)
        #expect(ttl > 0 && ttl <= 5500, "the key expires again, so the bucket cannot stay blocked")
        _ = try await client.del([key.rawValue])
        await client.close()
    }

    @Test func badSettingsAreRefused() throws {
        let client = try Self.client()
        #expect(throws: GuildhallError.self) { try RedisIdentifyLimiter(client: client, scope: "has:colon") }
        #expect(throws: GuildhallError.self) { try RedisIdentifyLimiter(client: client, scope: "ok", window: .seconds(6)) }
        #expect(throws: GuildhallError.self) { try RedisIdentifyLimiter(client: client, scope: "ok", window: .zero) }
    }

    @Test func anUnreachableRedisFailsInsteadOfHanging() async throws {
        let port = try FreePort.loopback()
        var configuration = try RedisConfiguration(url: "redis://127.0.0.1:\(port)")
        configuration.connectTimeout = .seconds(1)
        configuration.commandTimeout = .seconds(1)
        let client = RedisClient(configuration: configuration, logger: Transport.quiet)
        let limiter = try RedisIdentifyLimiter(client: client, scope: Self.scope())
        await #expect(throws: (any Error).self) { try await limiter.acquirePermit(shardID: 0, maxConcurrency: 1) }
        await client.close()
    }

    @Test func shardsOfTwoProcessesShareOneBucketThroughRedis() async throws {
        let clients = try (0..<2).map { _ in try Self.client() }
        let scope = Self.scope()
        let server = ScriptedGateway()
        try await server.start()
        var managers: [ShardManager] = []
        var runs: [Task<Void, any Error>] = []
        var consumers: [ManagerConsumer] = []
        for (index, client) in clients.enumerated() {
            let limiter = try RedisIdentifyLimiter(client: client, scope: scope, window: .seconds(1), owner: "process-\(index)")
            let manager = try ShardManager(
                configuration: ShardManagerTests.configuration(server: server, shards: [index * 2, index * 2 + 1], count: 4),
                identifyLimiter: limiter, logger: Transport.quiet
            )
            managers.append(manager)
            consumers.append(ManagerConsumer(manager))
            runs.append(Task { try await manager.run() })
        }
        try await eventually("four shards in two processes connected", timeout: .seconds(20)) { managers.allSatisfy(\.isHealthy) }
        let times = server.identifies.map(\.at).sorted()
        #expect(times.count == 4)
        // Permits are a 1 s window apart; the server's receipt times add scheduling noise on a
        // loaded machine (a late first identify), so half a window is the bar. Without the
        // shared bucket the four would arrive within milliseconds of each other.
        for (earlier, later) in zip(times, times.dropFirst()) {
            #expect(earlier.duration(to: later) >= .milliseconds(500), "max_concurrency 1: one identify per window across both processes")
        }
        for manager in managers { await manager.stop() }
        for run in runs { _ = await result(of: run) }
        for consumer in consumers { await consumer.waitForEnd() }
        for client in clients { await client.close() }
        await server.stop()
    }
}
