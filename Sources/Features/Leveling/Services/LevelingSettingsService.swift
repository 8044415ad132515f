import Foundation
import GuildhallBackends
import GuildhallCore
import GuildhallGuildSettings
import GuildhallPremium
import Logging
import Metrics
import Synchronization

/// Each guild's leveling configuration. The message hot path reads it from this process's
/// memory (30 s, dropped at once on another process's change), then the shared cache
/// (10 min), then the database; a write goes to the database with its audit entry, then
/// refreshes the caches and tells every process.
public final class LevelingSettingsService: Sendable {
    public static let feature = "leveling"
    public static let localTTL: Duration = .seconds(30)

    private struct LocalEntry {
        let config: LevelingConfig
        let version: Int64
        let expiresAt: UInt64
    }

    let store: LevelingStore
    private let backends: Backends
    private let premium: PremiumService?
    private let logger: Logger
    private let clock: MonotonicClock
    private let local = Mutex<[Snowflake: LocalEntry]>([:])
    private let lookups = LookupCounters(label: "guildhall_leveling_config_lookups_total")

    public init(store: LevelingStore, backends: Backends, premium: PremiumService?, logger: Logger, clock: MonotonicClock = .system) {
        self.store = store
        self.backends = backends
        self.premium = premium
        var logger = logger
        logger[metadataKey: LogKey.feature] = .string(Self.feature)
        self.logger = logger
        self.clock = clock
    }

    /// The guild's configuration (the defaults when it never saved one).
    public func config(for guild: Snowflake) async throws -> LevelingConfig {
        try await versioned(for: guild).config
    }

    public func versioned(for guild: Snowflake) async throws -> (config: LevelingConfig, version: Int64) {
        let now = clock.milliseconds()
        if let entry = local.withLock({ $0[guild] }), entry.expiresAt > now {
            lookups.memory.increment()
            return (entry.config, entry.version)
        }
        let key = try LevelingKeys.config.key(guild: guild)
        do {
            if let cached = try await backends.cache.get(key) {
                if let bar = cached.firstIndex(of: "|"), let version = Int64(cached[..<bar]),
                   let config = LevelingConfig(encoded: String(cached[cached.index(after: bar)...])) {
                    lookups.cache.increment()
                    remember(config, version: version, for: guild)
                    return (config, version)
                }
                logger.warning("corrupted leveling config cache entry; reading the database", metadata: [LogKey.guildID: "\(guild)"])
            }
        } catch {
            logger.warning("leveling config cache unavailable; reading the database", metadata: [LogKey.guildID: "\(guild)", "error": "\(error)"])
        }
        lookups.database.increment()
        let loaded: (config: LevelingConfig, version: Int64)
        do {
            loaded = try await store.config(guild: guild) ?? (LevelingConfig(), 0)
        } catch let error as GuildhallError {
            throw error
        } catch {
            throw GuildhallError(.unavailable, "the database could not be read for guild \(guild)'s leveling settings", underlying: error)
        }
        await publish(loaded.config, version: loaded.version, guild: guild)
        remember(loaded.config, version: loaded.version, for: guild)
        return loaded
    }

    /// Puts a copy in the shared cache unless a newer one is there already.
    private func publish(_ config: LevelingConfig, version: Int64, guild: Snowflake) async {
        do {
            _ = try await backends.cache.run(
                CacheScript.storeIfNewer, keys: [try LevelingKeys.config.key(guild: guild)],
                arguments: [String(version), config.encoded(), String(LevelingKeys.config.ttl!.wholeMilliseconds)]
            )
        } catch {
            logger.warning("could not update the leveling config cache", metadata: [LogKey.guildID: "\(guild)", "error": "\(error)"])
        }
    }

    /// Whether the guild's plan allows role multipliers now (false when it cannot be told:
    /// a multiplier is never applied on a guess). A read, not a refusal: nothing is logged.
    public func multipliersAllowed(guild: Snowflake) async -> Bool {
        guard let premium else { return true }
        return (try? await premium.status(guild: guild).limits.allows(LevelingPlan.roleMultipliers)) ?? false
    }

    /// Whether the guild's plan allows voice XP now (false when it cannot be told).
    public func voiceXPAllowed(guild: Snowflake) async -> Bool {
        guard let premium else { return true }
        return (try? await premium.status(guild: guild).limits.allows(LevelingPlan.voiceXP)) ?? false
    }

    /// Saves a configuration. Checks the actor's access and the plan (multipliers are
    /// premium; an unchanged set of multipliers may be kept after a downgrade), validates,
    /// writes it with its audit entry, then refreshes every process's copy.
    @discardableResult
    public func save(_ config: LevelingConfig, guild: Snowflake, actor: Snowflake, access: GuildAccess, requestID: String?) async throws -> Int64 {
        guard ModuleAccessPolicy.mayToggle(access) else {
            logger.notice("leveling settings change refused", metadata: [LogKey.guildID: "\(guild)", "actor_id": "\(actor)", "access": "\(access)"])
            throw GuildhallError(.forbidden, "you may not change this guild's leveling settings")
        }
        try config.validate()
        let current = try await versioned(for: guild)
        let before = current.config
        // The same document again changes nothing: no new version, no audit entry.
        if config == before { return current.version }
        // Multipliers need the plan when they are added or changed; after a downgrade the
        // stored ones may be kept or removed (removing some is allowed too).
        if config.multipliers.contains(where: { !before.multipliers.contains($0) }), let premium {
            try await premium.require(LevelingPlan.roleMultipliers, guild: guild)
        }
        // Voice XP likewise: switching it on or changing its rate needs the plan; keeping
        // the stored rate or switching it off does not.
        if config.voiceXPPerMinute > 0, config.voiceXPPerMinute != before.voiceXPPerMinute, let premium {
            try await premium.require(LevelingPlan.voiceXP, guild: guild)
        }
        let version: Int64
        do {
            version = try await store.saveConfig(config, guild: guild, actor: actor, before: before, requestID: requestID)
        } catch {
            throw GuildhallError(.unavailable, "the database refused the change; nothing was changed", underlying: error)
        }
        logger.info("leveling settings changed", metadata: [
            LogKey.guildID: "\(guild)", "actor_id": "\(actor)", "version": "\(version)", LogKey.requestID: "\(requestID ?? "-")",
        ])
        Counter(label: "guildhall_leveling_settings_changes_total").increment()
        await publish(config, version: version, guild: guild)
        remember(config, version: version, for: guild)
        do {
            try await backends.pubSub.publish(try PlatformKeys.invalidation.key(guild: Keyspace.platform), "\(guild):\(Self.feature)")
        } catch {
            logger.warning("could not announce a leveling settings change", metadata: [LogKey.guildID: "\(guild)", "error": "\(error)"])
        }
        return version
    }

    private func remember(_ config: LevelingConfig, version: Int64, for guild: Snowflake) {
        let expiresAt = clock.milliseconds() + UInt64(Self.localTTL.wholeMilliseconds)
        local.withLock { entries in
            if let existing = entries[guild], existing.version > version { return }
            entries[guild] = LocalEntry(config: config, version: version, expiresAt: expiresAt)
        }
    }

    public func forget(guild: Snowflake) {
        _ = local.withLock { $0.removeValue(forKey: guild) }
    }

    /// Drops this process's copies when another process announces a change.
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
