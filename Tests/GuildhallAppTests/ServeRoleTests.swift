import Foundation
@testable import GuildhallApp
import GuildhallBackends
import GuildhallCore
import GuildhallDatabaseTestSupport
import GuildhallFixtures
import GuildhallHTTP
import GuildhallRedis
import GuildhallTestSupport
import Logging
import Testing

/// The embedded role end to end: real HTTP on loopback, real SQLite, real Redis where asked.
@Suite("serve role")
struct ServeRoleTests {
    @Test("serves /healthz and /metrics, echoes request ids, and stops cleanly")
    func healthAndMetrics() async throws {
        let location = try await TestDatabase.location(.sqlite)
        let role = try await RunningRole.start(configuration: GuildhallConfiguration(database: location))
        #expect(role.port > 0)

        let health = try await HTTPProbe.get(port: role.port, path: "/healthz")
        #expect(health.status == 200)
        #expect(health.header("Content-Type") == "application/json")
        let report = try JSONDecoder().decode(HealthReport.self, from: health.body)
        #expect(report.role == "serve" && report.status == "ok" && report.version == GuildhallVersion.current)
        #expect(report.dependencies["database"]?.state == .up)
        #expect(report.dependencies["redis"]?.state == .notConfigured)
        let generated = try #require(health.header("X-Request-Id"))
        #expect(generated.count == 36)

        let traced = try await HTTPProbe.get(port: role.port, path: "/healthz", headers: ["X-Request-Id": "trace-abc-12345"])
        #expect(traced.header("X-Request-Id") == "trace-abc-12345")
        let forged = try await HTTPProbe.get(port: role.port, path: "/healthz", headers: ["X-Request-Id": "bad id\" injected"])
        #expect(forged.header("X-Request-Id") != "bad id\" injected")

        let missing = try await HTTPProbe.get(port: role.port, path: "/nowhere")
        #expect(missing.status == 404)
        #expect(missing.header("X-Request-Id") != nil, "errors carry the request id too")

        MetricsBootstrap.announce(role: "serve", version: GuildhallVersion.current)
        let metrics = try await HTTPProbe.get(port: role.port, path: "/metrics")
        #expect(metrics.status == 200)
        #expect(metrics.text.contains("guildhall_build_info"))
        #expect(metrics.text.contains("http_server_request_duration"))
        try await role.stop()
    }

    @Test("with REDIS_URL, shared state lives in that Redis under bot:{<digits>}:<feature>:<key>")
    func keysInRedis() async throws {
        let server = try await RedisServerProcess.start()
        defer { server.stop() }
        let location = try await TestDatabase.location(.sqlite)
        let configuration = GuildhallConfiguration(database: location, redisURL: server.url)
        let platform = try await Platform.open(configuration: configuration, role: .serve, logger: TestDatabase.quietLogger, migrate: true)
        #expect(platform.backends.isRedis)
        var factory = MockFactory.random()
        let guilds = factory.guilds(perShard: 2, shardCount: 3)
        for guild in guilds {
            try await platform.settings.registerGuild(id: guild.id, name: guild.name, ownerID: guild.ownerID)
        }
        MetricsBootstrap.bootstrap()
        let role = try await RunningRole.start(platform: platform)
        try await platform.settings.setModule(.leveling, enabled: true, guild: guilds[0].id, actor: guilds[0].ownerID, access: .owner)

        let inspector = RedisClient(configuration: try RedisConfiguration(url: server.url), logger: TestDatabase.quietLogger)
        var keys: [String] = []
        for _ in 0..<100 {
            keys = try await Self.allKeys(inspector)
            if keys.count >= guilds.count { break }
            try await Task.sleep(for: .milliseconds(20))
        }
        #expect(keys.count == guilds.count, "one settings entry per guild: \(keys)")
        let pattern = try Regex("^bot:\\{[0-9]+\\}:[a-z0-9_-]+:.+$")
        for key in keys {
            #expect(key.wholeMatch(of: pattern) != nil, "\(key) breaks the keyspace rule")
            #expect(Keyspace.parse(key) != nil)
        }
        #expect(Set(keys.compactMap { Keyspace.parse($0)?.guild }) == Set(guilds.map(\.id)))
        let health = try await HTTPProbe.get(port: role.port, path: "/healthz")
        #expect(try JSONDecoder().decode(HealthReport.self, from: health.body).dependencies["redis"]?.state == .up)

        // Redis down: /healthz says so with 503.
        server.kill()
        let degraded = try await HTTPProbe.get(port: role.port, path: "/healthz")
        #expect(degraded.status == 503)
        let report = try JSONDecoder().decode(HealthReport.self, from: degraded.body)
        #expect(report.status == "degraded" && report.dependencies["redis"]?.state == .down)
        await inspector.close()
        try await role.stop()
    }

    static func allKeys(_ client: RedisClient) async throws -> [String] {
        var cursor = "0"
        var keys: [String] = []
        repeat {
            let reply = try await client.send(["SCAN", cursor, "COUNT", "1000"])
            let parts = try #require(reply.array)
            cursor = try #require(parts[0].string)
            keys += (parts[1].array ?? []).compactMap(\.string)
        } while cursor != "0"
        return keys.sorted()
    }

    @Test("without REDIS_URL nothing talks to Redis: the backends are in-process")
    func noRedis() async throws {
        let platform = try await Platform.open(configuration: GuildhallConfiguration(database: .sqliteMemory), role: .serve, logger: TestDatabase.quietLogger, migrate: true)
        #expect(!platform.backends.isRedis)
        #expect(platform.backends.redis == nil)
        #expect(platform.backends.cache is InProcessCache)
        await platform.close()
    }

    @Test("the in-process sweeper and the settings listener stop quietly on shutdown")
    func servicesStop() async throws {
        let cache = InProcessCache()
        let sweeper = InProcessSweeperService(cache: cache, interval: .milliseconds(5))
        let task = Task { try await sweeper.run() }
        try await Task.sleep(for: .milliseconds(30))
        task.cancel()
        try await task.value
    }
}
