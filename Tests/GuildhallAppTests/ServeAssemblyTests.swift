import Foundation
@testable import GuildhallApp
import GuildhallCore
import GuildhallDatabaseTestSupport
import GuildhallHTTP
import GuildhallTestSupport
import Testing

/// `serve` as `ServeCommand.run` assembles it, inside the test process: with no token it
/// starts the sandbox Discord, the bot connects to it, Discord's HTTP interactions endpoint
/// is served, and a graceful shutdown stops everything.
@Suite("serve assembly")
struct ServeAssemblyTests {
    @Test("no token: sandbox in-process, gateway up in /healthz, /interactions refuses a bad signature, clean stop")
    func serveWithTheSandbox() async throws {
        MetricsBootstrap.bootstrap()
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent(TestEnvironment.uniqueName(prefix: "serve-assembly"))
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        var configuration = GuildhallConfiguration(database: .sqliteFile(path: folder.appendingPathComponent("guildhall.sqlite").path))
        configuration.port = 0
        #expect(configuration.discord.usesSandbox)
        let sandbox = try SandboxOptions.parse(["--sandbox-guilds", "2", "--sandbox-members", "4", "--sandbox-seed", "9"])
        let (ports, continuation) = AsyncStream<Int>.makeStream()
        let group = try await ServeCommand.group(
            configuration: configuration, jobs: try JobOptions.parse([]), sandbox: sandbox, logger: TestDatabase.quietLogger
        ) { port in continuation.yield(port) }
        let task = Task { try await group.run() }
        var bound = 0
        for await value in ports {
            bound = value
            break
        }
        let port = bound
        let gatewayUp = await waitUntil(timeout: .seconds(30)) {
            let health = try await HTTPProbe.get(port: port, path: "/healthz")
            let body = try JSONSerialization.jsonObject(with: health.body) as? [String: Any]
            let gateway = (body?["dependencies"] as? [String: Any])?["gateway"] as? [String: Any]
            return health.status == 200 && gateway?["status"] as? String == "up"
        }
        #expect(gatewayUp)
        let unsigned = try await HTTPProbe.post(
            port: port, path: "/interactions", body: Data(#"{"type":1}"#.utf8),
            headers: ["Content-Type": "application/json", "X-Signature-Ed25519": String(repeating: "0", count: 128), "X-Signature-Timestamp": "1"]
        )
        #expect(unsigned.status == 401)
        await group.triggerGracefulShutdown()
        try await task.value
    }

    @Test("sandbox options describe the seeded world and refuse impossible sizes")
    func sandboxOptions() throws {
        let options = try SandboxOptions.parse(["--sandbox-guilds", "7", "--sandbox-members", "3", "--sandbox-seed", "5", "--sandbox-shards", "2"])
        let configuration = options.configuration(port: 4242, logger: TestDatabase.quietLogger)
        #expect(configuration.guildCount == 7 && configuration.membersPerGuild == 3 && configuration.seed == 5)
        #expect(configuration.recommendedShards == 2 && configuration.port == 4242)
        for arguments in [["--sandbox-guilds", "0"], ["--sandbox-members", "0"], ["--sandbox-shards", "2000"]] {
            #expect(throws: (any Error).self, "\(arguments)") { _ = try SandboxOptions.parse(arguments) }
        }
    }
}

/// The api role's group inside the test process: the API with its operator routes.
@Suite("api role")
struct APIRoleTests {
    @Test("serves the OpenAPI document and, with OPERATOR_TOKEN, the operator routes")
    func apiGroup() async throws {
        MetricsBootstrap.bootstrap()
        let token = String(repeating: "a1", count: 20)
        var configuration = GuildhallConfiguration(database: try await TestDatabase.location(.postgres), redisURL: try TestEnvironment.redisURL())
        configuration.port = 0
        configuration.operatorToken = token
        let platform = try await Platform.open(configuration: configuration, role: .api, logger: TestDatabase.quietLogger, migrate: true)
        let (ports, continuation) = AsyncStream<Int>.makeStream()
        let group = RoleRunner.apiGroup(platform: platform) { port in continuation.yield(port) }
        let task = Task { try await group.run() }
        var bound = 0
        for await value in ports {
            bound = value
            break
        }
        let port = bound
        let document = try await HTTPProbe.get(port: port, path: "/api/openapi.json")
        #expect(document.status == 200)
        #expect(document.text.contains("\"/api/v1/operator/jobs/dead/{job_id}/replay\""))
        let refused = try await HTTPProbe.get(port: port, path: "/api/v1/operator/jobs")
        #expect(refused.status == 401)
        #expect(refused.text.contains("\"request_id\""))
        let overview = try await HTTPProbe.get(port: port, path: "/api/v1/operator/jobs", headers: ["Authorization": "Bearer \(token)"])
        #expect(overview.status == 200)
        #expect(overview.text.contains("\"dead_letters\":0"))
        let health = try await HTTPProbe.get(port: port, path: "/healthz")
        #expect(health.status == 200)
        await group.triggerGracefulShutdown()
        try await task.value
    }
}
