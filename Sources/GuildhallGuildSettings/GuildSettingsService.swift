import FluentKit
import Foundation
import GuildhallBackends
import GuildhallCore
import GuildhallPremium
import GuildhallStorage
import Logging
import Metrics
import SQLKit
import Synchronization

/// Reads and changes which modules a guild has on.
///
/// Reads never touch the database while a cache holds the answer: first this process's
/// memory (30 s), then the shared cache (Redis or in-process, 10 min), then the database,
/// which is the truth. Every write bumps the guild's `settings_version`; caches only ever
/// replace an entry with a newer version, so concurrent writers and slow readers cannot
/// leave an old answer behind. Other processes drop their memory copy on the
/// invalidation message.
public final class GuildSettingsService: Sendable {
    /// `bot:{<guildId>}:settings:modules` → `"<version>|<module>,<module>"`.
    public static let cacheKind = RedisKeyKind(
        feature: "settings", name: "modules", lifetime: .expiring(.seconds(600)),
        cleanup: "expires 10 minutes after it was written; replaced by every settings write"
    )

    public static let feature = "settings"
    /// How long this process trusts its own memory copy without hearing an invalidation.
    public static let localTTL: Duration = .seconds(30)

    private struct LocalEntry {
        let settings: VersionedSettings
        let expiresAt: UInt64
    }

    private let storage: GuildhallDatabase
    private let backends: Backends
    private let logger: Logger
    private let clock: MonotonicClock
    private let local = Mutex<[Snowflake: LocalEntry]>([:])
    /// Premium-only modules are checked here too, where the effect happens (nil: no checks,
    /// for tools that run without premium data).
    public let premium: PremiumService?
    /// The modules this build registers: only these can be switched (on or off).
    public let modules: ModuleCatalog
    private let lookups = LookupCounters(label: "guildhall_settings_lookups_total")

    public init(
        database: GuildhallDatabase, backends: Backends, logger: Logger, modules: ModuleCatalog, clock: MonotonicClock = .system, premium: PremiumService? = nil
    ) {
        self.modules = modules
        self.storage = database
        self.backends = backends
        self.premium = premium
        var logger = logger
        logger[metadataKey: LogKey.feature] = .string(Self.feature)
        self.logger = logger
        self.clock = clock
    }

    // MARK: Reading

    /// The guild's modules. Unknown guilds have everything off.
    public func settings(for guild: Snowflake) async throws -> ModuleSettings {
        try await versionedSettings(for: guild).settings
    }

    public func versionedSettings(for guild: Snowflake) async throws -> VersionedSettings {
        let now = clock.milliseconds()
        if let entry = local.withLock({ $0[guild] }), entry.expiresAt > now {
            lookups.memory.increment()
            return entry.settings
        }
        let key = try Self.cacheKind.key(guild: guild)
        do {
            if let cached = try await backends.cache.get(key) {
                if let parsed = VersionedSettings(encoded: cached) {
                    lookups.cache.increment()
                    remember(parsed, for: guild)
                    return parsed
                }
                logger.warning("corrupted settings cache entry; rebuilding from the database", metadata: [LogKey.guildID: "\(guild)"])
            }
        } catch {
            // The cache is an optimisation: when it is down, the database still answers.
            logger.warning("settings cache unavailable; reading the database", metadata: [LogKey.guildID: "\(guild)", "error": "\(error)"])
        }
        lookups.database.increment()
        let loaded = try await loadFromDatabase(guild: guild)
        await publishToCache(loaded, for: guild)
        remember(loaded, for: guild)
        return loaded
    }

    private func loadFromDatabase(guild: Snowflake) async throws -> VersionedSettings {
        do {
            let database = storage.database
            let version = try await GuildRecord.find(guild.databaseValue, on: database)?.settingsVersion ?? 0
            let rows = try await GuildModuleRecord.query(on: database)
                .filter(\.$guildID == guild.databaseValue)
                .all()
            var settings = ModuleSettings()
            for row in rows where row.enabled {
                if ModuleID.isWellFormed(row.module) { settings.set(ModuleID(row.module), enabled: true) }
            }
            return VersionedSettings(version: version, settings: settings)
        } catch {
            throw GuildhallError(.unavailable, "the database could not be read for guild \(guild)'s settings", underlying: error)
        }
    }

    /// Stores an answer in the shared cache unless a newer one is already there.
    private func publishToCache(_ value: VersionedSettings, for guild: Snowflake) async {
        do {
            let key = try Self.cacheKind.key(guild: guild)
            _ = try await backends.cache.run(
                CacheScript.storeIfNewer, keys: [key],
                arguments: [String(value.version), value.settings.encoded, String(Self.cacheKind.ttl!.wholeMilliseconds)]
            )
        } catch {
            logger.warning("could not update the settings cache", metadata: [LogKey.guildID: "\(guild)", "error": "\(error)"])
        }
    }

    private func remember(_ value: VersionedSettings, for guild: Snowflake) {
        let expiresAt = clock.milliseconds() + UInt64(Self.localTTL.wholeMilliseconds)
        local.withLock { entries in
            if let existing = entries[guild], existing.settings.version > value.version { return }
            entries[guild] = LocalEntry(settings: value, expiresAt: expiresAt)
        }
    }

    /// Forgets this process's copy of a guild's settings.
    public func forget(guild: Snowflake) {
        _ = local.withLock { $0.removeValue(forKey: guild) }
    }

    // MARK: Writing

    /// Switches one module on or off. Checks the actor's access, writes the change and its
    /// audit entry in one transaction, then refreshes the caches and tells other processes.
    @discardableResult
    public func setModule(
        _ module: ModuleID, enabled: Bool, guild: Snowflake,
        actor: Snowflake, access: GuildAccess, requestID: String? = nil
    ) async throws -> ModuleChange {
        guard let descriptor = modules.descriptor(module) else {
            let known = modules.ids.map(\.rawValue).joined(separator: ", ")
            throw GuildhallError(.invalidInput, "'\(module)' is not a module of this Guildhall (known: \(known.isEmpty ? "none" : known))")
        }
        guard ModuleAccessPolicy.mayToggle(access) else {
            logger.notice("module change refused", metadata: [
                LogKey.guildID: "\(guild)", "actor_id": "\(actor)", "module": "\(module.rawValue)", "access": "\(access)",
            ])
            throw GuildhallError(.forbidden, "you may not change this guild's modules")
        }
        // Switching a premium module on needs the plan; switching it off never does.
        if enabled, let feature = descriptor.premium, let premium {
            try await premium.require(feature, guild: guild)
        }
        let change: ModuleChange
        do {
            change = try await storage.database.transaction { database in
                // Lock the guild's row before reading anything: on PostgreSQL the UPDATE
                // holds the row lock until commit, on SQLite it takes the write lock, so
                // concurrent writers of one guild queue up and read each other's result.
                let current = try await Self.lockGuild(guild, on: database)
                let row = try await GuildModuleRecord.query(on: database)
                    .filter(\.$guildID == guild.databaseValue)
                    .filter(\.$module == module.rawValue)
                    .first()
                let before = row?.enabled ?? false
                // Asking for the state the guild is already in changes nothing: no new
                // version, no audit entry. A repeated command or double click is harmless.
                if before == enabled {
                    return ModuleChange(module: module, before: before, after: enabled, version: current, changed: false)
                }
                let version = try await Self.bumpVersion(guild: guild, on: database)
                if let row {
                    row.enabled = enabled
                    try await row.save(on: database)
                } else {
                    try await GuildModuleRecord(guildID: guild, module: module.rawValue, enabled: enabled).save(on: database)
                }
                try await AuditLogRecord(
                    guildID: guild, actorID: actor, action: enabled ? "module.enable" : "module.disable",
                    target: module.rawValue, before: "{\"enabled\":\(before)}", after: "{\"enabled\":\(enabled)}",
                    requestID: requestID
                ).save(on: database)
                return ModuleChange(module: module, before: before, after: enabled, version: version, changed: true)
            }
        } catch let error as GuildhallError {
            throw error
        } catch {
            throw GuildhallError(.unavailable, "the database refused the change; nothing was changed", underlying: error)
        }
        guard change.changed else { return change }
        logger.info("module changed", metadata: [
            LogKey.guildID: "\(guild)", "actor_id": "\(actor)", "module": "\(module.rawValue)",
            "enabled": "\(enabled)", "version": "\(change.version)", LogKey.requestID: "\(requestID ?? "-")",
        ])
        Counter(label: "guildhall_settings_module_changes_total", dimensions: [("module", module.rawValue), ("enabled", "\(enabled)")]).increment()
        forget(guild: guild)
        let fresh = try await loadFromDatabase(guild: guild)
        await publishToCache(fresh, for: guild)
        remember(fresh, for: guild)
        await announce(guild: guild)
        return change
    }

    /// Takes the guild row's lock with a write that changes nothing; returns the current
    /// version, or throws `notFound` for an unknown guild.
    static func lockGuild(_ guild: Snowflake, on database: any Database) async throws -> Int64 {
        try await versionUpdate("settings_version", guild: guild, on: database)
    }

    /// `settings_version = settings_version + 1`, in SQL so no increment is lost.
    static func bumpVersion(guild: Snowflake, on database: any Database) async throws -> Int64 {
        try await versionUpdate("settings_version + 1", guild: guild, on: database)
    }

    private static func versionUpdate(_ expression: String, guild: Snowflake, on database: any Database) async throws -> Int64 {
        let sql = database as! any SQLDatabase
        let row = try await sql.raw("""
            UPDATE guilds SET settings_version = \(unsafeRaw: expression) WHERE id = \(bind: guild.databaseValue) RETURNING settings_version
            """).first()
        guard let row else { throw GuildhallError(.notFound, "guild \(guild) is not known to Guildhall") }
        return try row.decode(column: "settings_version", as: Int64.self)
    }

    /// Records a guild the bot is in (from GUILD_CREATE, or fixtures). Idempotent; a guild
    /// that comes back has its `left_at` cleared and keeps its settings.
    public func registerGuild(id: Snowflake, name: String, ownerID: Snowflake) async throws {
        let database = storage.database
        if let existing = try await GuildRecord.find(id.databaseValue, on: database) {
            existing.name = name
            existing.ownerID = ownerID.databaseValue
            existing.leftAt = nil
            try await existing.save(on: database)
        } else {
            try await GuildRecord(id: id, name: name, ownerID: ownerID).create(on: database)
        }
    }

    /// The bot left (or was removed from) a guild: `left_at` is set and every setting is
    /// kept, so a guild that invites the bot again finds them. Returns false when the guild
    /// was unknown or had already left.
    @discardableResult
    public func markLeft(guild: Snowflake) async throws -> Bool {
        guard let record = try await GuildRecord.find(guild.databaseValue, on: storage.database), record.leftAt == nil else { return false }
        record.leftAt = Date()
        try await record.save(on: storage.database)
        forget(guild: guild)
        logger.info("guild left", metadata: [LogKey.guildID: "\(guild)"])
        return true
    }

    // MARK: Cache maintenance

    /// Fills the shared cache for every guild (at start-up), in batches; returns how many.
    @discardableResult
    public func warmCache(batchSize: Int = 500) async throws -> Int {
        var warmed = 0
        var lastID: Int64? = nil
        while true {
            var query = GuildRecord.query(on: storage.database).filter(\.$leftAt == nil).sort(\.$id).limit(batchSize)
            if let lastID { query = query.filter(\.$id > lastID) }
            let guilds = try await query.all()
            for guild in guilds {
                let snowflake = guild.snowflake
                let loaded = try await loadFromDatabase(guild: snowflake)
                await publishToCache(loaded, for: snowflake)
                warmed += 1
            }
            guard guilds.count == batchSize, let last = guilds.last?.id else { break }
            lastID = last
        }
        logger.info("settings cache warmed", metadata: ["guilds": "\(warmed)"])
        return warmed
    }

    private func announce(guild: Snowflake) async {
        do {
            try await backends.pubSub.publish(try PlatformKeys.invalidation.key(guild: Keyspace.platform), "\(guild):\(Self.feature)")
        } catch {
            logger.warning("could not announce a settings change; other processes may serve their cached copy until it expires", metadata: [
                LogKey.guildID: "\(guild)", "error": "\(error)",
            ])
        }
    }

    /// Listens for other processes' changes and drops this process's copies. Returns when
    /// the task is cancelled or the subscription ends.
    public func listenForInvalidations(ready: (@Sendable () -> Void)? = nil) async throws {
        let stream = try await backends.pubSub.subscribe([try PlatformKeys.invalidation.key(guild: Keyspace.platform)])
        ready?()
        for await message in stream {
            let parts = message.payload.split(separator: ":")
            guard parts.count == 2, parts[1] == Self.feature[...], let guild = Snowflake(parts[0]) else { continue }
            forget(guild: guild)
        }
    }
}

/// Settings with the version they were read at.
public struct VersionedSettings: Sendable, Equatable {
    public let version: Int64
    public let settings: ModuleSettings

    public init(version: Int64, settings: ModuleSettings) {
        self.version = version
        self.settings = settings
    }

    init?(encoded: String) {
        guard let bar = encoded.firstIndex(of: "|"), let version = Int64(encoded[..<bar]), version >= 0,
              let settings = ModuleSettings(encoded: String(encoded[encoded.index(after: bar)...])) else { return nil }
        self.init(version: version, settings: settings)
    }
}

/// What one write changed.
public struct ModuleChange: Sendable, Equatable {
    public let module: ModuleID
    public let before: Bool
    public let after: Bool
    /// The guild's settings version after the call.
    public let version: Int64
    /// False when the module was already in the asked-for state (nothing was written).
    public let changed: Bool
}
