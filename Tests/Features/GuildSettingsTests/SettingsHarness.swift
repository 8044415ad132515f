import FluentKit
import GuildhallBackends
import GuildhallCore
import GuildhallDatabaseTestSupport
import GuildhallFixtures
import GuildhallGuildSettings
import GuildhallRedis
import GuildhallStorage
import GuildhallTestSupport
import Logging
import Synchronization

/// A settings service on a fresh database and the chosen backends, with mock guilds registered.
struct SettingsHarness {
    let database: GuildhallDatabase
    let backends: Backends
    let service: GuildSettingsService
    let guilds: [MockGuild]
    let closeBackends: @Sendable () async -> Void

    static func make(
        engine: TestDatabase.Engine = .sqlite, redis: Bool = false, guildCount: Int = 2,
        clock: MonotonicClock = .system, logger: Logger = TestDatabase.quietLogger
    ) async throws -> SettingsHarness {
        let database = try await TestDatabase.open(engine)
        let backends: Backends
        var close: @Sendable () async -> Void = {}
        if redis {
            let client = RedisClient(configuration: try RedisConfiguration(url: try TestEnvironment.redisURL()), logger: logger)
            backends = .redis(client)
            close = { await client.close() }
        } else {
            backends = .inProcess(clock: clock)
        }
        let service = GuildSettingsService(database: database, backends: backends, logger: logger, modules: TestModules.catalog, clock: clock)
        // Random ids: the test Redis is shared by every test and every run.
        var factory = MockFactory.random()
        let guilds = factory.guilds(perShard: 1, shardCount: guildCount)
        for guild in guilds {
            try await service.registerGuild(id: guild.id, name: guild.name, ownerID: guild.ownerID)
        }
        return SettingsHarness(database: database, backends: backends, service: service, guilds: guilds, closeBackends: close)
    }

    func auditEntries(_ guild: MockGuild) async throws -> [AuditLogRecord] {
        try await AuditLogRecord.query(on: database.database).filter(\.$guildID == guild.id.databaseValue).all()
    }

    func version(_ guild: MockGuild) async throws -> Int64 {
        try await GuildRecord.find(guild.id.databaseValue, on: database.database)!.settingsVersion
    }

    func cached(_ guild: MockGuild) async throws -> String? {
        try await backends.cache.get(try GuildSettingsService.cacheKind.key(guild: guild.id))
    }

    func close() async {
        await closeBackends()
        await database.shutdown()
    }
}

/// A clock the test moves by hand.
final class ManualClock: Sendable {
    private let now = Mutex<UInt64>(10_000)
    func advance(by duration: Duration) { now.withLock { $0 += UInt64(duration.wholeMilliseconds) } }
    var clock: MonotonicClock { MonotonicClock { self.now.withLock { $0 } } }
}

