import GuildhallBackends
import GuildhallCore
import GuildhallPremium
import GuildhallFeatures
import GuildhallGiveaways
import GuildhallGuildSettings
import GuildhallHTTP
import GuildhallJobs
import GuildhallLeveling
import GuildhallRedis
import GuildhallStorage
import Logging

/// Everything a running role shares: the database, the backends, the feature services.
/// Made once at start, closed once at shutdown.
public final class Platform: Sendable {
    public let configuration: GuildhallConfiguration
    public let role: Role
    public let logger: Logger
    public let database: GuildhallDatabase
    public let backends: Backends
    public let settings: GuildSettingsService
    /// Plans and limits (the settings service checks premium modules through it too).
    public var premium: PremiumService { settings.premium ?? PremiumService(database: database, logger: logger) }
    /// The job queue on these backends, the durable job stores and the registered handlers.
    public let jobs: JobSystem

    /// Where the hourly premium sync lists Discord's entitlements (set where the bot runs).
    public let premiumSync: PremiumSyncSource
    /// Leveling: XP, the write-behind, resets, rewards (level-ups go to `jobs.queue`).
    public let leveling: LevelingService
    /// Where leveling's jobs reach Discord (set by processes with the bot's REST client).
    public let levelingDiscord: LevelingDiscordSource
    /// Giveaways: creation, entries, endings, rerolls (endings run as jobs on `jobs.queue`).
    public let giveaways: GiveawayService

    init(
        configuration: GuildhallConfiguration, role: Role, logger: Logger, database: GuildhallDatabase, backends: Backends, settings: GuildSettingsService,
        jobs: JobSystem, premiumSync: PremiumSyncSource = PremiumSyncSource(), leveling: LevelingService, levelingDiscord: LevelingDiscordSource,
        giveaways: GiveawayService
    ) {
        self.giveaways = giveaways
        self.premiumSync = premiumSync
        self.leveling = leveling
        self.levelingDiscord = levelingDiscord
        self.configuration = configuration
        self.role = role
        self.logger = logger
        self.database = database
        self.backends = backends
        self.settings = settings
        self.jobs = jobs
    }

    /// Opens the database (migrating it when `migrate` is true, else refusing to run on an
    /// out-of-date schema) and connects to Redis when configured. `jobQueue` names the queue
    /// this process's jobs go to and come from.
    public static func open(configuration: GuildhallConfiguration, role: Role, logger: Logger, migrate: Bool, jobQueue: String = "default") async throws -> Platform {
        try role.validate(configuration)
        let database = try GuildhallDatabase(location: configuration.database, migrations: FeatureCatalog.migrations, logger: logger)
        do {
            if migrate {
                let applied = try await database.migrate()
                if !applied.isEmpty { logger.info("database migrated", metadata: ["applied": "\(applied)"]) }
            } else {
                let pending = try await database.pendingMigrations()
                guard pending.isEmpty else {
                    throw GuildhallError(.invalidConfiguration, "the database at DATABASE_URL has \(pending.count) pending migration(s); run `guildhall migrate` first")
                }
            }
        } catch let error as GuildhallError {
            await database.shutdown()
            throw error
        } catch {
            await database.shutdown()
            throw GuildhallError(.unavailable, "DATABASE_URL: cannot open \(configuration.database): \(error)", underlying: error)
        }
        let backends: Backends
        if let url = configuration.redisURL {
            do {
                let client = RedisClient(configuration: try RedisConfiguration(url: url), logger: logger)
                do {
                    _ = try await client.send(["PING"])
                } catch {
                    await client.close()
                    throw error
                }
                backends = .redis(client)
                logger.info("shared state in Redis", metadata: ["redis": "\(Self.redact(url))"])
            } catch {
                await database.shutdown()
                throw GuildhallError(.unavailable, "REDIS_URL: cannot reach Redis at \(Self.redact(url)): \(error)", underlying: error)
            }
        } else {
            backends = .inProcess()
            logger.info("no REDIS_URL: shared state kept in this process")
        }
        let premium = PremiumService(database: database, grace: .seconds(configuration.premiumGraceDays * 86_400), logger: logger)
        let premiumSync = PremiumSyncSource()
        let settings = GuildSettingsService(database: database, backends: backends, logger: logger, premium: premium)
        let levelingSettings = LevelingSettingsService(store: LevelingStore(database: database), backends: backends, premium: premium, logger: logger)
        let levelingDiscord = LevelingDiscordSource()
        let giveawayDiscord = GiveawayDiscordSource()
        // The job handlers' copies have no queue (they schedule nothing); the platform's do.
        let handlerLeveling = LevelingService(settings: levelingSettings, awards: XPAwards(cache: backends.cache), queue: nil, logger: logger)
        let giveaways = { @Sendable (queue: JobQueue?, leveling: LevelingService) in
            GiveawayService(
                store: GiveawayStore(database: database), discord: giveawayDiscord, queue: queue, premium: premium, settings: settings,
                cache: backends.cache, levels: { guild, user in try await leveling.level(of: user, in: guild) }, logger: logger
            )
        }
        let jobs: JobSystem
        do {
            jobs = try FeatureCatalog.jobSystem(
                database: database, backends: backends, queue: jobQueue, premium: premium, premiumSync: premiumSync,
                leveling: handlerLeveling, levelingDiscord: levelingDiscord, giveaways: giveaways(nil, handlerLeveling)
            )
        } catch {
            if let redis = backends.redis { await redis.close() }
            await database.shutdown()
            throw error
        }
        let leveling = LevelingService(settings: levelingSettings, awards: XPAwards(cache: backends.cache), queue: jobs.queue, logger: logger)
        return Platform(
            configuration: configuration, role: role, logger: logger, database: database, backends: backends, settings: settings, jobs: jobs,
            premiumSync: premiumSync, leveling: leveling, levelingDiscord: levelingDiscord, giveaways: giveaways(jobs.queue, leveling)
        )
    }

    /// The dependencies `/healthz` reports for this platform.
    public var healthCheck: HealthCheck {
        let database = self.database
        var probes = [HealthProbe(name: "database") { try await database.ping() }]
        if let redis = backends.redis {
            probes.append(HealthProbe(name: "redis") { _ = try await redis.send(["PING"]) })
        } else {
            probes.append(.notConfigured("redis", reason: "REDIS_URL unset: in-process backends"))
        }
        return HealthCheck(role: role.rawValue, probes: probes)
    }

    /// Finishes pending giveaway edits, then closes Redis and the database.
    public func close() async {
        await giveaways.finishPendingEdits()
        if let redis = backends.redis { await redis.close() }
        await database.shutdown()
    }

    static func redact(_ url: String) -> String {
        guard let at = url.lastIndex(of: "@") else { return url }
        return "redis://***@" + url[url.index(after: at)...]
    }
}
