import FluentKit
import Foundation
import GuildhallBackends
import GuildhallCore
import GuildhallDatabaseTestSupport
import GuildhallFixtures
import GuildhallPremium
@testable import GuildhallGuildSettings
import GuildhallRedis
import GuildhallStorage
import GuildhallTestSupport
import Logging
import Testing

/// The protocol's test types for guild settings, on both databases and both backends.
@Suite("Guild settings service")
struct GuildSettingsServiceTests {
    static let combinations: [(TestDatabase.Engine, Bool)] = [(.sqlite, false), (.sqlite, true), (.postgres, false), (.postgres, true)]

    // MARK: Happy path

    @Test("enable, read back, audit; disable; everything else stays off", arguments: combinations)
    func happyPath(engine: TestDatabase.Engine, redis: Bool) async throws {
        let harness = try await SettingsHarness.make(engine: engine, redis: redis)
        let guild = harness.guilds[0]
        #expect(try await harness.service.settings(for: guild.id) == ModuleSettings(), "a new guild has every module off")

        let change = try await harness.service.setModule("leveling", enabled: true, guild: guild.id, actor: guild.ownerID, access: .owner, requestID: "req-happy-1")
        #expect(change == ModuleChange(module: "leveling", before: false, after: true, version: 1, changed: true))
        let settings = try await harness.service.settings(for: guild.id)
        #expect(settings.isEnabled("leveling"))
        #expect(TestModules.catalog.ids.filter { $0 != "leveling" }.allSatisfy { !settings.isEnabled($0) })
        #expect(try await harness.cached(guild) == "1|leveling", "the shared cache holds the new version")

        let entries = try await harness.auditEntries(guild)
        #expect(entries.count == 1)
        let entry = try #require(entries.first)
        #expect(entry.action == "module.enable" && entry.target == "leveling")
        #expect(entry.before == "{\"enabled\":false}" && entry.after == "{\"enabled\":true}")
        #expect(entry.requestID == "req-happy-1" && entry.actorID == guild.ownerID.databaseValue)

        try await harness.service.setModule("leveling", enabled: false, guild: guild.id, actor: guild.ownerID, access: .owner)
        #expect(try await harness.service.settings(for: guild.id) == ModuleSettings())
        #expect(try await harness.version(guild) == 2)
        await harness.close()
    }

    // MARK: Permission denied

    @Test("viewers and strangers may not toggle; nothing is written", arguments: [GuildAccess.grant(.viewer), .none])
    func permissionDenied(access: GuildAccess) async throws {
        let capture = LogRecorder()
        let harness = try await SettingsHarness.make(logger: capture.logger())
        let guild = harness.guilds[0]
        let member = guild.members(.member)[0]
        let error = await #expect(throws: GuildhallError.self) {
            try await harness.service.setModule("giveaways", enabled: true, guild: guild.id, actor: member.userID, access: access)
        }
        #expect(error?.code == .forbidden)
        #expect(try await harness.version(guild) == 0)
        #expect(try await harness.auditEntries(guild).isEmpty)
        #expect(try await harness.service.settings(for: guild.id) == ModuleSettings())
        #expect(capture.contains("module change refused"), "refusals are logged")
        await harness.close()
    }

    @Test("the access policy", arguments: [
        (GuildAccess.owner, true, true), (.manager, true, true), (.grant(.admin), true, true),
        (.grant(.editor), true, true), (.grant(.viewer), true, false), (.none, false, false),
    ])
    func policy(access: GuildAccess, read: Bool, toggle: Bool) {
        #expect(ModuleAccessPolicy.mayRead(access) == read)
        #expect(ModuleAccessPolicy.mayToggle(access) == toggle)
    }

    // MARK: Invalid input

    @Test("an unknown guild is refused and nothing is written")
    func unknownGuild() async throws {
        let harness = try await SettingsHarness.make()
        var factory = MockFactory.random()
        let stranger = factory.snowflake()
        let error = await #expect(throws: GuildhallError.self) {
            try await harness.service.setModule(.testPremium, enabled: true, guild: stranger, actor: stranger, access: .owner)
        }
        #expect(error?.code == .notFound)
        let count = try await GuildModuleRecord.query(on: harness.database.database).count()
        #expect(count == 0)
        await harness.close()
    }

    @Test("module names parse case-insensitively; names no feature registered do not")
    func moduleNames() {
        #expect(TestModules.catalog.named(" Leveling ")?.id == "leveling")
        #expect(TestModules.catalog.named("TEST-PREMIUM")?.id == .testPremium)
        #expect(TestModules.catalog.named("music") == nil)
        #expect(TestModules.catalog.named("moderation") == nil, "a planned module is not offered until its feature is registered")
        #expect(TestModules.catalog.modules.allSatisfy { !$0.title.isEmpty })
        #expect(ModuleID.isWellFormed("ai-assistant"))
        #expect(!ModuleID.isWellFormed("Leveling") && !ModuleID.isWellFormed("") && !ModuleID.isWellFormed("a,b") && !ModuleID.isWellFormed(String(repeating: "a", count: 41)))
    }

    @Test("a module no registered feature provides cannot be switched, and nothing is written", arguments: TestDatabase.Engine.allCases)
    func unregisteredModuleRefused(engine: TestDatabase.Engine) async throws {
        let harness = try await SettingsHarness.make(engine: engine, redis: false)
        let guild = harness.guilds[0]
        await #expect(throws: GuildhallError.self) {
            try await harness.service.setModule("moderation", enabled: true, guild: guild.id, actor: guild.ownerID, access: .owner)
        }
        #expect(try await harness.auditEntries(guild).isEmpty)
        #expect(try await harness.version(guild) == 0)
        await harness.close()
    }

    @Test("a stored toggle of a module this build does not register is kept, read and offered nowhere", arguments: TestDatabase.Engine.allCases)
    func storedUnregisteredToggleKept(engine: TestDatabase.Engine) async throws {
        let harness = try await SettingsHarness.make(engine: engine, redis: false)
        let guild = harness.guilds[0]
        try await GuildModuleRecord(guildID: guild.id, module: "reminders", enabled: true).create(on: harness.database.database)
        let settings = try await harness.service.settings(for: guild.id)
        #expect(settings.isEnabled("reminders"), "the stored toggle survives a build without its feature")
        #expect(!TestModules.catalog.states(settings, limits: TierLimits(tier: .free)).contains { $0.module.id == "reminders" })
        #expect(ModuleSettings(encoded: settings.encoded) == settings)
        await harness.close()
    }

    @Test("cached forms round-trip; corrupted ones are rejected")
    func encodings() {
        var settings = ModuleSettings()
        settings.set(.testPlain, enabled: true)
        settings.set("giveaways", enabled: true)
        #expect(settings.encoded == "giveaways,test-plain")
        #expect(ModuleSettings(encoded: settings.encoded) == settings)
        #expect(ModuleSettings(encoded: "") == ModuleSettings())
        #expect(ModuleSettings(encoded: "leveling,,ai") == nil)
        #expect(ModuleSettings(encoded: "leveling,Music!") == nil)
        #expect(ModuleSettings(encoded: "leveling,music")?.isEnabled("music") == true, "a module this build does not register is kept, not an error")
    }

    // MARK: Redis failure

    @Test("with Redis down, reads come from the database and writes still land")
    func redisDown() async throws {
        let server = try await RedisServerProcess.start()
        defer { server.stop() }
        var configuration = try RedisConfiguration(url: server.url)
        configuration.commandTimeout = .milliseconds(300)
        configuration.connectTimeout = .milliseconds(300)
        let client = RedisClient(configuration: configuration, logger: TestDatabase.quietLogger)
        let database = try await TestDatabase.open(.sqlite)
        let capture = LogRecorder()
        let service = GuildSettingsService(database: database, backends: .redis(client), logger: capture.logger(), modules: TestModules.catalog)
        var factory = MockFactory.random()
        let guild = factory.guild()
        try await service.registerGuild(id: guild.id, name: guild.name, ownerID: guild.ownerID)
        server.kill()

        let change = try await service.setModule(.testPlain, enabled: true, guild: guild.id, actor: guild.ownerID, access: .owner)
        #expect(change.changed && change.version == 1, "the database write does not depend on Redis")
        service.forget(guild: guild.id)
        #expect(try await service.settings(for: guild.id).isEnabled(.testPlain), "reads fall back to the database")
        #expect(capture.contains("settings cache unavailable"))
        #expect(capture.contains("could not announce a settings change"))
        await client.close()
        await database.shutdown()
    }

    // MARK: DB failure

    @Test("with the database unreachable, reads and writes fail clearly and change nothing")
    func databaseDown() async throws {
        let port = try FreePort.loopback()
        let location = DatabaseLocation.postgres(.init(host: "127.0.0.1", port: port, username: "nobody", database: "gone"))
        let database = try GuildhallDatabase(location: location, logger: TestDatabase.quietLogger)
        let backends = Backends.inProcess()
        let service = GuildSettingsService(database: database, backends: backends, logger: TestDatabase.quietLogger, modules: TestModules.catalog)
        var factory = MockFactory.random()
        let guild = factory.guild()
        let readError = await #expect(throws: GuildhallError.self) { _ = try await service.settings(for: guild.id) }
        #expect(readError?.code == .unavailable)
        let writeError = await #expect(throws: GuildhallError.self) {
            try await service.setModule("leveling", enabled: true, guild: guild.id, actor: guild.ownerID, access: .owner)
        }
        #expect(writeError?.code == .unavailable)
        #expect(try await backends.cache.get(try GuildSettingsService.cacheKind.key(guild: guild.id)) == nil)
        await database.shutdown()
    }

    // MARK: Cross-guild isolation

    @Test("a change in one guild never shows in another", arguments: [false, true])
    func isolation(redis: Bool) async throws {
        let harness = try await SettingsHarness.make(redis: redis, guildCount: 4)
        let (first, second) = (harness.guilds[0], harness.guilds[1])
        try await harness.service.setModule(.testPremium, enabled: true, guild: first.id, actor: first.ownerID, access: .owner)
        #expect(try await harness.service.settings(for: second.id) == ModuleSettings())
        #expect(try await harness.auditEntries(second).isEmpty)
        #expect(try await harness.version(second) == 0)
        #expect(try await harness.cached(second) == "0|")
        #expect(first.shardID != second.shardID, "the fixtures put the guilds on different shards")
        await harness.close()
    }

    // MARK: Concurrency

    @Test("concurrent writers of one guild: every change gets its own version and the cache ends on the last", arguments: TestDatabase.Engine.allCases)
    func concurrentWriters(engine: TestDatabase.Engine) async throws {
        let harness = try await SettingsHarness.make(engine: engine, redis: true)
        let guild = harness.guilds[0]
        let changes = try await withThrowingTaskGroup(of: ModuleChange.self) { group in
            for index in 0..<24 {
                let module = TestModules.catalog.ids[index % TestModules.catalog.ids.count]
                group.addTask {
                    try await harness.service.setModule(module, enabled: index % 2 == 0, guild: guild.id, actor: guild.ownerID, access: .manager)
                }
            }
            return try await group.reduce(into: [ModuleChange]()) { $0.append($1) }
        }
        let applied = changes.filter(\.changed)
        #expect(Set(applied.map(\.version)).count == applied.count, "no two changes share a version")
        let finalVersion = try await harness.version(guild)
        #expect(finalVersion == Int64(applied.count))
        #expect(try await harness.auditEntries(guild).count == applied.count)
        harness.service.forget(guild: guild.id)
        let truth = try await harness.service.versionedSettings(for: guild.id)
        #expect(truth.version == finalVersion)
        #expect(try await harness.cached(guild) == "\(finalVersion)|\(truth.settings.encoded)")
        await harness.close()
    }

    // MARK: Duplicate execution

    @Test("asking twice for the same state changes the world once", arguments: [false, true])
    func duplicate(redis: Bool) async throws {
        let harness = try await SettingsHarness.make(redis: redis)
        let guild = harness.guilds[0]
        let first = try await harness.service.setModule("giveaways", enabled: true, guild: guild.id, actor: guild.ownerID, access: .owner)
        let second = try await harness.service.setModule("giveaways", enabled: true, guild: guild.id, actor: guild.ownerID, access: .owner)
        #expect(first.changed && !second.changed)
        #expect(second.version == first.version)
        #expect(try await harness.auditEntries(guild).count == 1)
        let untouched = try await harness.service.setModule(.testPremium, enabled: false, guild: guild.id, actor: guild.ownerID, access: .owner)
        #expect(!untouched.changed, "disabling a module that was never on is a no-op")
        #expect(try await harness.version(guild) == 1)
        await harness.close()
    }

    // MARK: Caching

    @Test("another process drops its copy when it hears the invalidation")
    func invalidationAcrossProcesses() async throws {
        let first = try await SettingsHarness.make(redis: true)
        let guild = first.guilds[0]
        // A second "process": its own service and Redis client on the same database.
        let client = RedisClient(configuration: try RedisConfiguration(url: try TestEnvironment.redisURL()), logger: TestDatabase.quietLogger)
        let second = GuildSettingsService(database: first.database, backends: .redis(client), logger: TestDatabase.quietLogger, modules: TestModules.catalog)
        let ready = AsyncStream<Void>.makeStream()
        let listener = Task { try await second.listenForInvalidations { ready.continuation.yield() } }
        for await _ in ready.stream { break }

        #expect(try await second.settings(for: guild.id) == ModuleSettings(), "the second process caches 'all off'")
        try await first.service.setModule(.testPlain, enabled: true, guild: guild.id, actor: guild.ownerID, access: .owner)
        var seen = false
        for _ in 0..<250 where !seen {
            seen = try await second.settings(for: guild.id).isEnabled(.testPlain)
            if !seen { try await Task.sleep(for: .milliseconds(20)) }
        }
        #expect(seen, "the change reached the other process well before its 30 s memory TTL")
        listener.cancel()
        await client.close()
        await first.close()
    }

    @Test("memory copies expire after 30 s; the shared cache then answers without the database")
    func memoryTTL() async throws {
        let time = ManualClock()
        let harness = try await SettingsHarness.make(clock: time.clock)
        let guild = harness.guilds[0]
        try await harness.service.setModule("leveling", enabled: true, guild: guild.id, actor: guild.ownerID, access: .owner)
        // Change the cache behind the service's back; its memory copy still answers.
        try await harness.backends.cache.set(try GuildSettingsService.cacheKind.key(guild: guild.id), "7|test-premium")
        #expect(try await harness.service.settings(for: guild.id).isEnabled("leveling"))
        time.advance(by: .seconds(31))
        #expect(try await harness.service.versionedSettings(for: guild.id) == VersionedSettings(version: 7, settings: ModuleSettings(enabled: [.testPremium])))
        await harness.close()
    }

    @Test("a corrupted cache entry is rebuilt from the database", arguments: [false, true])
    func corruptedCache(redis: Bool) async throws {
        let capture = LogRecorder()
        let harness = try await SettingsHarness.make(redis: redis, logger: capture.logger())
        let guild = harness.guilds[0]
        try await harness.service.setModule(.testPlain, enabled: true, guild: guild.id, actor: guild.ownerID, access: .owner)
        harness.service.forget(guild: guild.id)
        for garbage in ["garbage", "x|leveling", "3|Music!", "-1|test-premium", "4|a b"] {
            try await harness.backends.cache.set(try GuildSettingsService.cacheKind.key(guild: guild.id), garbage)
            harness.service.forget(guild: guild.id)
            #expect(try await harness.service.settings(for: guild.id) == ModuleSettings(enabled: [.testPlain]), "\(garbage)")
        }
        #expect(capture.contains("corrupted settings cache entry"))
        await harness.close()
    }

    @Test("the cache keeps the newest version whatever order writes arrive in", arguments: [false, true])
    func storeIfNewer(redis: Bool) async throws {
        let harness = try await SettingsHarness.make(redis: redis)
        let key = try GuildSettingsService.cacheKind.key(guild: harness.guilds[0].id)
        let script = CacheScript.storeIfNewer
        let ttl = String(GuildSettingsService.cacheKind.ttl!.wholeMilliseconds)
        #expect(try await harness.backends.cache.run(script, keys: [key], arguments: ["5", "ai", ttl]) == .integer(1))
        #expect(try await harness.backends.cache.run(script, keys: [key], arguments: ["4", "leveling", ttl]) == .integer(0))
        #expect(try await harness.backends.cache.run(script, keys: [key], arguments: ["5", "leveling", ttl]) == .integer(0))
        #expect(try await harness.backends.cache.get(key) == "5|ai")
        #expect(try await harness.backends.cache.run(script, keys: [key], arguments: ["6", "", ttl]) == .integer(1))
        #expect(try await harness.backends.cache.get(key) == "6|")
        #expect(try await harness.backends.cache.timeToLive(key) != nil, "cache entries always carry their TTL")
        await harness.close()
    }

    @Test("warming fills the cache for every present guild, in batches", arguments: [false, true])
    func warmCache(redis: Bool) async throws {
        let harness = try await SettingsHarness.make(redis: redis, guildCount: 7)
        let gone = harness.guilds[6]
        let record = try #require(try await GuildRecord.find(gone.id.databaseValue, on: harness.database.database))
        record.leftAt = Date()
        try await record.save(on: harness.database.database)
        #expect(try await harness.service.warmCache(batchSize: 2) == 6)
        for guild in harness.guilds.prefix(6) {
            #expect(try await harness.cached(guild) == "0|")
        }
        #expect(try await harness.cached(gone) == nil, "guilds the bot left are not warmed")
        await harness.close()
    }

    @Test("registering is idempotent and a returning guild keeps its settings")
    func registration() async throws {
        let harness = try await SettingsHarness.make()
        let guild = harness.guilds[0]
        try await harness.service.setModule("leveling", enabled: true, guild: guild.id, actor: guild.ownerID, access: .owner)
        let record = try #require(try await GuildRecord.find(guild.id.databaseValue, on: harness.database.database))
        record.leftAt = Date()
        try await record.save(on: harness.database.database)
        try await harness.service.registerGuild(id: guild.id, name: "Renamed", ownerID: guild.members(.admin)[0].userID)
        let back = try #require(try await GuildRecord.find(guild.id.databaseValue, on: harness.database.database))
        #expect(back.leftAt == nil && back.name == "Renamed" && back.settingsVersion == 1)
        harness.service.forget(guild: guild.id)
        #expect(try await harness.service.settings(for: guild.id).isEnabled("leveling"))
        await harness.close()
    }
}
