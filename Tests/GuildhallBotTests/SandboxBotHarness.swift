import Foundation
import GuildhallBackends
import GuildhallBot
import GuildhallCore
import GuildhallDatabaseTestSupport
import GuildhallDiscordGateway
import GuildhallDiscordModels
import GuildhallDiscordREST
import GuildhallGuildSettings
import GuildhallGuildSettingsFeature
import GuildhallSandbox
import GuildhallStorage
import GuildhallTestSupport
import Logging
import Synchronization

/// Records every event the runtime hands to feature handlers.
final class EventRecorder: GatewayEventHandler {
    struct Seen: Sendable, Hashable {
        let shardID: Int
        let sequence: Int?
        let name: String
        let guildID: Snowflake?
        let messageID: Snowflake?
    }

    private let seen = Mutex<[Seen]>([])

    func handle(_ event: ShardEvent) async {
        var guild: Snowflake?
        var message: Snowflake?
        switch event.event {
        case .guildCreate(let value): guild = value.id
        case .messageCreate(let value):
            guild = value.guildID
            message = value.id
        default: break
        }
        let entry = Seen(shardID: event.shardID, sequence: event.sequence, name: event.event.name, guildID: guild, messageID: message)
        seen.withLock { $0.append(entry) }
    }

    var all: [Seen] { seen.withLock { $0 } }

    func named(_ name: String) -> [Seen] { all.filter { $0.name == name } }
}

/// The real bot runtime (REST client, shard manager, router, settings on SQLite) connected
/// over loopback sockets to a sandbox Discord started in the test process.
struct SandboxBotHarness {
    let sandbox: SandboxServer
    let endpoints: SandboxEndpoints
    let database: GuildhallDatabase
    let settings: GuildSettingsService
    let rest: DiscordRESTClient
    let runtime: BotRuntime
    let recorder: EventRecorder
    let runTask: Task<Void, any Error>
    let guilds: [SandboxGuild]
    /// What the gateway and the bot runtime logged.
    let logs: LogRecorder

    static func start(
        guilds: Int = 8, shards: Int = 2, extraCommands: [any SlashCommand] = [], interactionsEndpoint: URL? = nil,
        interactionDeadline: Duration = .milliseconds(2_200),
        handlers: (GuildSettingsService, LogRecorder) -> [any GatewayEventHandler] = { _, _ in [] }
    ) async throws -> SandboxBotHarness {
        let logger = TestDatabase.quietLogger
        let sandbox = try SandboxServer(configuration: SandboxConfiguration(
            seed: UInt64.random(in: 1...UInt64(UInt32.max)), guildCount: guilds, membersPerGuild: 5, recommendedShards: shards,
            maxConcurrency: shards, interactionsEndpointURL: interactionsEndpoint, logger: logger
        ))
        let endpoints = try await sandbox.start()
        let database = try await TestDatabase.open(.sqlite)
        let settings = GuildSettingsService(database: database, backends: .inProcess(), logger: logger, modules: TestModules.catalog)
        let application = sandbox.world.read { $0.application }
        let rest = try DiscordRESTClient(
            configuration: DiscordRESTConfiguration(token: application.token, baseURL: endpoints.apiBaseURL.absoluteString), logger: logger
        )
        let info = try await rest.getGatewayBot()
        // The gateway and the runtime log into a recorder, at every level, so tests can read what they said.
        let logs = LogRecorder()
        let manager = try ShardManager(
            configuration: .init(token: application.token, intents: [.guilds, .guildMessages], shardIDs: Array(0..<info.shards), shardCount: info.shards, botInfo: info),
            logger: logs.logger(label: "gateway")
        )
        let recorder = EventRecorder()
        let router = InteractionRouter(commands: [ModulesCommand(settings: settings)] + extraCommands)
        let runtime = BotRuntime(
            manager: manager, rest: rest, router: router, settings: settings, handlers: [recorder] + handlers(settings, logs),
            applicationID: application.id, interactionDeadline: interactionDeadline, logger: logs.logger(label: "bot")
        )
        let runTask = Task { try await runtime.run() }
        let seeded = sandbox.world.read { $0.orderedGuilds }
        return SandboxBotHarness(
            sandbox: sandbox, endpoints: endpoints, database: database, settings: settings, rest: rest,
            runtime: runtime, recorder: recorder, runTask: runTask, guilds: seeded, logs: logs
        )
    }

    /// Waits until every seeded guild arrived and was recorded in the database.
    func waitUntilReady() async throws -> Bool {
        await waitUntil {
            guard Set(recorder.named("GUILD_CREATE").compactMap(\.guildID)).count == guilds.count else { return false }
            return try await GuildRecord.query(on: database.database).count() == guilds.count
        }
    }

    /// The guild's first text channel.
    func textChannel(of guild: SandboxGuild) -> Snowflake {
        sandbox.world.read { state in
            guild.channelIDs.first { state.channels[$0]?.kind == .text }!
        }
    }

    /// A member with neither MANAGE_GUILD nor ADMINISTRATOR from any role, and not the owner.
    func plainMember(of guild: SandboxGuild) -> Snowflake {
        let everyone = guild.roles[guild.id]?.permissions ?? 0
        let powerful = Permissions([.administrator, .manageGuild]).rawValue
        return guild.orderedMembers.first { member in
            guard member.userID != guild.ownerID, sandbox.world.read({ $0.users[member.userID]?.isBot }) == false else { return false }
            let bits = member.roleIDs.reduce(everyone) { $0 | (guild.roles[$1]?.permissions ?? 0) }
            return bits & powerful == 0
        }!.userID
    }

    /// Waits for the bot's answer to an interaction the sandbox recorded.
    func response(to interaction: SandboxInteraction) async -> SandboxInteraction? {
        var latest: SandboxInteraction?
        _ = await waitUntil {
            latest = sandbox.control.interaction(interaction.id)
            return latest?.response != nil
        }
        return latest
    }

    func stop() async {
        await runtime.stop()
        _ = try? await runTask.value
        await sandbox.stop()
        await database.shutdown()
    }
}
