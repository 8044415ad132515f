import Foundation
import GuildhallBackends
import GuildhallCore
import GuildhallDatabaseTestSupport
import GuildhallDiscordModels
import GuildhallDiscordREST
@testable import GuildhallGiveaways
import GuildhallGuildSettings
import GuildhallJobs
import GuildhallKit
import GuildhallPremium
import GuildhallRedis
import GuildhallSandbox
import GuildhallStorage
import GuildhallTestSupport
import Logging
import Synchronization

/// A value tests and the service share (a Mutex in a class, so the fixture stays copyable).
final class Shared<Value: Sendable>: Sendable {
    private let mutex: Mutex<Value>
    init(_ value: Value) { mutex = Mutex(value) }
    func withLock<Result>(_ body: (inout Value) -> Result) -> Result { mutex.withLock { body(&$0) } }
}

/// Giveaways' services on one of the two stacks a deployment runs (SQLite with in-process
/// backends, or PostgreSQL with Redis), talking to a sandbox Discord over loopback sockets
/// through the bot's real REST client.
struct GiveawayFixture {
    enum Stack: String, CaseIterable, Sendable, CustomStringConvertible {
        case embedded, postgresRedis = "postgres+redis"
        var description: String { rawValue }
    }

    let sandbox: SandboxServer
    let rest: DiscordRESTClient
    let database: GuildhallDatabase
    let backends: Backends
    let jobs: JobSystem
    let giveaways: GiveawayService
    let settings: GuildSettingsService
    let premium: PremiumService
    let logs: LogRecorder
    /// Leveling levels by user, for minimum-level requirements.
    let levels: Shared<[Snowflake: Int]>
    let clock: Shared<Int64>

    static func make(_ stack: Stack, countEditWindow: Duration = .milliseconds(300)) async throws -> GiveawayFixture {
        let logs = LogRecorder()
        let logger = logs.logger(label: "giveaway-test")
        let sandbox = try SandboxServer(configuration: SandboxConfiguration(
            seed: UInt64.random(in: 1...UInt64(UInt32.max)), guildCount: 1, membersPerGuild: 12, logger: TestDatabase.quietLogger
        ))
        let endpoints = try await sandbox.start()
        let application = sandbox.world.read { $0.application }
        let rest = try DiscordRESTClient(
            configuration: DiscordRESTConfiguration(token: application.token, baseURL: endpoints.apiBaseURL.absoluteString), logger: TestDatabase.quietLogger
        )
        let database = try await TestDatabase.open(stack == .embedded ? .sqlite : .postgres, migrations: PlatformMigrations.all + GiveawayMigrations.all)
        let backends: Backends = stack == .embedded
            ? .inProcess()
            : .redis(RedisClient(configuration: try RedisConfiguration(url: try TestEnvironment.redisURL()), logger: logger))
        let premium = PremiumService(database: database, plans: PlanTable(GiveawayPlan.rows), logger: logger)
        let settings = GuildSettingsService(database: database, backends: backends, logger: logger, modules: TestModules.catalog, premium: premium)
        let source = GiveawayDiscordSource()
        source.set(RESTGiveawayDiscord(rest: rest))
        let levels = Shared<[Snowflake: Int]>([:])
        let clock = Shared<Int64>(Int64(Date().timeIntervalSince1970 * 1_000))
        let levelSource = FixtureLevels(levels: levels, settings: settings)
        func service(_ queue: JobQueue?) -> GiveawayService {
            GiveawayService(
                store: GiveawayStore(database: database), discord: source, queue: queue, premium: premium, settings: settings, cache: backends.cache,
                levels: levelSource, logger: logger, clock: { clock.withLock { $0 } }, countEditWindow: countEditWindow
            )
        }
        let jobs = try JobSystem.make(database: database, backends: backends, queue: "giveaways-\(UInt32.random(in: 0...UInt32.max))") { registry in
            try GiveawayJobs.register(in: &registry, giveaways: service(nil))
        }
        return GiveawayFixture(
            sandbox: sandbox, rest: rest, database: database, backends: backends, jobs: jobs, giveaways: service(jobs.queue), settings: settings,
            premium: premium, logs: logs, levels: levels, clock: clock
        )
    }

    /// Runs `body` with a fresh fixture and closes it afterwards, whatever happened.
    static func with(_ stack: Stack, _ body: (GiveawayFixture) async throws -> Void) async throws {
        let fixture = try await make(stack)
        do {
            try await body(fixture)
        } catch {
            await fixture.close()
            throw error
        }
        await fixture.close()
    }

    var guild: SandboxGuild { sandbox.world.read { $0.orderedGuilds[0] } }
    var now: Int64 { clock.withLock { $0 } }

    func advance(seconds: Int64) {
        clock.withLock { $0 += seconds * 1_000 }
    }

    /// Registers the sandbox's guild with giveaways (and leveling) switched on.
    func prepare() async throws -> Snowflake {
        let guild = self.guild
        try await settings.registerGuild(id: guild.id, name: guild.name, ownerID: guild.ownerID)
        try await settings.setModule(.giveaways, enabled: true, guild: guild.id, actor: guild.ownerID, access: .owner)
        try await settings.setModule("leveling", enabled: true, guild: guild.id, actor: guild.ownerID, access: .owner)
        return guild.id
    }

    var textChannel: Snowflake {
        let guild = self.guild
        return sandbox.world.read { state in guild.channelIDs.first { state.channels[$0]?.kind == .text }! }
    }

    /// The guild's human members (not the bot).
    var humans: [Snowflake] {
        let guild = self.guild
        return sandbox.world.read { state in guild.orderedMembers.map(\.userID).filter { state.users[$0]?.isBot == false } }
    }

    var owner: GiveawayActor { .member(guild.ownerID, permissions: .all, roles: []) }

    func draft(prize: String = "A mug", winners: Int = 1, seconds: Double = 60, requirements: GiveawayDraft.Requirements = .init()) -> GiveawayDraft {
        GiveawayDraft(prize: prize, winners: winners, channelID: textChannel, endsAt: Double(now) / 1_000 + seconds, requirements: requirements)
    }

    func entrant(_ user: Snowflake) -> GiveawayEntrant {
        let guild = self.guild
        return sandbox.world.read { state in
            let member = state.guilds[guild.id]?.members[user]
            return GiveawayEntrant(
                user: user, isBot: state.users[user]?.isBot ?? false, roles: Set(member?.roleIDs ?? []), joinedAt: member?.joinedAt.millisecondsSinceEpoch
            )
        }
    }

    /// The bot's messages in `channel`, oldest first.
    func messages(in channel: Snowflake) -> [SandboxMessage] {
        sandbox.world.read { state in (state.channelMessages[channel] ?? []).compactMap { state.messages[$0] } }
    }

    func announcements(of giveaway: Giveaway) -> [SandboxMessage] {
        messages(in: giveaway.channel).filter { $0.messageReference?.messageID == giveaway.message && $0.id != giveaway.message }
    }

    /// Runs the job worker until `condition` holds (at most `timeout`).
    func runJobs(until condition: @escaping @Sendable () async -> Bool, timeout: Duration = .seconds(20)) async throws -> Bool {
        let worker = try jobs.worker(configuration: .init(concurrency: 4, pollInterval: .milliseconds(20)), logger: logs.logger(label: "worker"))
        let task = Task { await worker.run() }
        let met = await waitUntil(timeout: timeout) { await condition() }
        worker.shutdown()
        await task.value
        return met
    }

    func close() async {
        await giveaways.finishPendingEdits()
        if let redis = backends.redis { await redis.close() }
        await sandbox.stop()
        await database.shutdown()
    }
}

/// Levels for the giveaway tests, set by the test (as leveling would provide them); they
/// count as on where the guild has the leveling module on.
struct FixtureLevels: MemberLevels {
    let levels: Shared<[Snowflake: Int]>
    let settings: GuildSettingsService

    func areOn(in guild: Snowflake) async throws -> Bool {
        try await settings.settings(for: guild).isEnabled("leveling")
    }

    func level(of user: Snowflake, in guild: Snowflake) async throws -> Int {
        levels.withLock { $0[user] ?? 0 }
    }
}
