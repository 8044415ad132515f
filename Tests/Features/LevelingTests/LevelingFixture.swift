import Foundation
import GuildhallBackends
import GuildhallCore
import GuildhallDiscordREST
import GuildhallDatabaseTestSupport
import GuildhallGuildSettings
import GuildhallJobs
@testable import GuildhallLeveling
import GuildhallPremium
import GuildhallRedis
import GuildhallStorage
import GuildhallTestSupport
import Logging
import Synchronization

/// Discord for leveling's jobs, in process: records posts, DMs and role changes, and can
/// fail on demand. (Jobs also run against the sandbox Discord over real sockets in
/// GuildhallAppTests' LevelingEndToEndTests; this fake lets these tests count effects.)
final class InProcessFakeLevelingDiscord: LevelingDiscord {
    struct State {
        var posts: [(channel: Snowflake, content: String)] = []
        var directMessages: [(user: Snowflake, content: String)] = []
        var roles: [Snowflake: Set<Snowflake>] = [:]
        var departed: Set<Snowflake> = []
        var failingPosts = 0
        /// Posts and DMs answered with Discord's 403 (closed DMs, no Send Messages).
        var refuseMessages = false
        var refusedRoles: Set<Snowflake> = []
    }

    let state = Mutex(State())

    func post(channel: Snowflake, content: String, mention: Snowflake) async throws {
        try state.withLock { state in
            if state.refuseMessages { throw Self.forbidden }
            if state.failingPosts > 0 {
                state.failingPosts -= 1
                throw GuildhallError(.unavailable, "Discord is down (injected)")
            }
            state.posts.append((channel, content))
        }
    }

    func directMessage(user: Snowflake, content: String) async throws {
        try state.withLock { state in
            if state.refuseMessages { throw Self.forbidden }
            state.directMessages.append((user, content))
        }
    }

    static let forbidden = DiscordRESTError(.httpError, "Cannot send messages to this user (injected)", route: "POST /channels/{channel.id}/messages", status: 403)

    func member(guild: Snowflake, user: Snowflake) async throws -> (name: String, roles: Set<Snowflake>)? {
        state.withLock { $0.departed.contains(user) ? nil : ("member\(user)", $0.roles[user] ?? []) }
    }

    func guildName(_ guild: Snowflake) async throws -> String { "Guild \(guild)" }

    func addRole(_ role: Snowflake, to user: Snowflake, guild: Snowflake, reason: String) async throws {
        try state.withLock { state in
            if state.refusedRoles.contains(role) {
                throw Self.forbidden
            }
            state.roles[user, default: []].insert(role)
        }
    }

    func removeRole(_ role: Snowflake, from user: Snowflake, guild: Snowflake, reason: String) async throws {
        _ = state.withLock { $0.roles[user]?.remove(role) }
    }

    var posts: [(channel: Snowflake, content: String)] { state.withLock { $0.posts } }
    var directMessages: [(user: Snowflake, content: String)] { state.withLock { $0.directMessages } }
    func roles(of user: Snowflake) -> Set<Snowflake> { state.withLock { $0.roles[user] ?? [] } }
}

/// Leveling's services on one of the two stacks a deployment runs: SQLite with the
/// in-process backends (embedded), or PostgreSQL with Redis.
struct LevelingFixture {
    enum Stack: String, CaseIterable, Sendable, CustomStringConvertible {
        case embedded, postgresRedis = "postgres+redis"
        var description: String { rawValue }
    }

    let database: GuildhallDatabase
    let backends: Backends
    let jobs: JobSystem
    let leveling: LevelingService
    let settings: GuildSettingsService
    let premium: PremiumService
    let discord: InProcessFakeLevelingDiscord
    let logs: LogRecorder
    let redis: RedisClient?

    static func make(_ stack: Stack, redisURL: String? = nil) async throws -> LevelingFixture {
        let logs = LogRecorder()
        let logger = logs.logger(label: "leveling-test")
        let database = try await TestDatabase.open(stack == .embedded ? .sqlite : .postgres, migrations: PlatformMigrations.all + LevelingMigrations.all)
        var redis: RedisClient?
        let backends: Backends
        if stack == .postgresRedis {
            let client = RedisClient(configuration: try RedisConfiguration(url: try redisURL ?? TestEnvironment.redisURL()), logger: logger)
            redis = client
            backends = .redis(client)
        } else {
            backends = .inProcess()
        }
        let premium = PremiumService(database: database, plans: PlanTable(LevelingPlan.rows), logger: logger)
        let levelingSettings = LevelingSettingsService(store: LevelingStore(database: database), backends: backends, premium: premium, logger: logger)
        let discord = InProcessFakeLevelingDiscord()
        let source = LevelingDiscordSource()
        source.set(discord)
        let queue = "leveling-\(UInt32.random(in: 0...UInt32.max))"
        let jobs = try JobSystem.make(database: database, backends: backends, queue: queue) { registry in
            try LevelingJobs.register(
                in: &registry, leveling: LevelingService(settings: levelingSettings, awards: XPAwards(cache: backends.cache), queue: nil, logger: logger),
                discord: source
            )
        }
        let leveling = LevelingService(settings: levelingSettings, awards: XPAwards(cache: backends.cache), queue: jobs.queue, logger: logger)
        let settings = GuildSettingsService(database: database, backends: backends, logger: logger, modules: TestModules.catalog, premium: premium)
        return LevelingFixture(
            database: database, backends: backends, jobs: jobs, leveling: leveling, settings: settings, premium: premium, discord: discord, logs: logs,
            redis: redis
        )
    }

    /// A fresh guild with leveling on, owned by `owner`.
    func guild(owner: Snowflake = Snowflake(1_000)) async throws -> Snowflake {
        let guild = Snowflake(UInt64.random(in: 1_000_000...UInt64(Int64.max)))
        try await settings.registerGuild(id: guild, name: "Guild \(guild)", ownerID: owner)
        try await settings.setModule(.leveling, enabled: true, guild: guild, actor: owner, access: .owner)
        return guild
    }

    /// Saves a configuration as the owner.
    func configure(_ guild: Snowflake, _ change: (inout LevelingConfig) -> Void) async throws {
        var config = try await leveling.settings.config(for: guild)
        change(&config)
        try await leveling.settings.save(config, guild: guild, actor: Snowflake(1_000), access: .owner, requestID: nil)
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

    /// Deletes the guild's leveling keys, as a Redis that lost its data would have.
    func loseCache(_ guild: Snowflake, users: [Snowflake]) async throws {
        var keys = [try LevelingKeys.ready.key(guild: guild), try LevelingKeys.dirty.key(guild: guild), try LevelingKeys.flushing.key(guild: guild)]
        for user in users {
            keys.append(try LevelingKeys.xp.key(guild: guild, user.description))
            keys.append(try LevelingKeys.cooldown.key(guild: guild, user.description))
        }
        try await backends.cache.delete(keys)
    }

    func close() async {
        if let redis { await redis.close() }
        await database.shutdown()
    }
}
