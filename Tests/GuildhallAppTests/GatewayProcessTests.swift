import Foundation
@testable import GuildhallApp
import GuildhallCore
import GuildhallDatabaseTestSupport
import GuildhallDiscordModels
import GuildhallSandbox
import GuildhallTestSupport
import Logging
import Testing

/// Issue #3's multi-process acceptance: two `guildhall gateway` processes split four shards
/// of one bot, identify through buckets they share in Redis, and serve their guilds.
@Suite("two gateway processes")
struct GatewayProcessTests {
    @Test("shards 0-1 and 2-3 in two processes: all four connect with no identify refused, and each process answers /modules for its guilds")
    func twoProcessesShareIdentifyBuckets() async throws {
        try #require(FileManager.default.isExecutableFile(atPath: RoleProcess.binary.path), "build the guildhall binary first: \(RoleProcess.binary.path)")
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent(TestEnvironment.uniqueName(prefix: "gateway-procs"))
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let redis = try await RedisServerProcess.start()
        defer { redis.stop() }
        let database = try await TestDatabase.open(.postgres, migrations: FeatureCatalog.migrations)
        guard case .postgres(let postgres) = database.location else { Issue.record("expected PostgreSQL"); return }
        await database.shutdown()
        let databaseURL = "postgres://\(postgres.username)\(postgres.password.map { ":\($0)" } ?? "")@\(postgres.host):\(postgres.port)/\(postgres.database)"

        // Two identify buckets (shards 0 and 2 share one, 1 and 3 the other), Discord's 5 s window.
        let sandbox = try SandboxServer(configuration: SandboxConfiguration(
            seed: UInt64.random(in: 1...UInt64(UInt32.max)), guildCount: 40, membersPerGuild: 3, recommendedShards: 4,
            maxConcurrency: 2, logger: TestDatabase.quietLogger
        ))
        let endpoints = try await sandbox.start()
        let application = sandbox.world.read { $0.application }
        let environment = [
            "DISCORD_TOKEN": application.token, "DISCORD_APPLICATION_ID": application.id.description,
            "DISCORD_API_URL": endpoints.apiBaseURL.absoluteString,
        ]
        let common = ["--shard-count", "4", "--redis-url", redis.url, "--database-url", databaseURL, "--port", "0", "--log-level", "info"]
        let low = try RoleProcess(role: "gateway", arguments: ["--shards", "0-1"] + common, environment: environment, folder: folder)
        let high = try RoleProcess(role: "gateway", arguments: ["--shards", "2-3"] + common, environment: environment, folder: folder)

        let connected = await waitUntil(timeout: .seconds(60)) {
            Set(sandbox.control.sessions.filter(\.connected).map(\.shardID)) == [0, 1, 2, 3]
        }
        try #require(connected, "sessions: \(sandbox.control.sessions)\nlow: \(low.log.suffix(1500))\nhigh: \(high.log.suffix(1500))")
        #expect(sandbox.control.sessions.count == 4, "one session per shard")
        #expect(sandbox.control.identifyRefusals == 0, "the processes shared their identify buckets through Redis")
        #expect(sandbox.control.sessions.allSatisfy { $0.shardCount == 4 })

        // A guild of shard 3 (the second process) and one of shard 0 (the first) both get answers.
        let commandsRegistered = await waitUntil(timeout: .seconds(30)) { !sandbox.world.read { $0.globalCommands }.isEmpty }
        try #require(commandsRegistered)
        for shard in [0, 3] {
            let guild = try #require(sandbox.world.read { $0.orderedGuilds.first { $0.id.shard(count: 4) == shard } })
            let channel = try #require(sandbox.world.read { state in
                guild.channelIDs.compactMap { state.channels[$0] }.first { $0.name == "general" }?.id
            })
            let asked = try await sandbox.control.invokeCommand(
                channelID: channel, userID: guild.ownerID, name: "modules", options: [.object(["type": .integer(1), "name": .string("list")])]
            )
            let answered = await waitUntil(timeout: .seconds(20)) { sandbox.control.interaction(asked.id)?.response != nil }
            #expect(answered, "shard \(shard)'s process answered /modules")
        }
        low.kill()
        high.kill()
        await sandbox.stop()
    }
}
