import GuildhallBackends
import GuildhallCore
import GuildhallPremium
import GuildhallDiscordREST
import GuildhallKit
import GuildhallGuildSettings
import GuildhallHTTP
import GuildhallJobs
import GuildhallRedis
import GuildhallStorage
import Logging

/// Everything a running role shares: the database, the backends, the job system and the
/// registered features, started. Made once at start, closed once at shutdown.
public final class Platform: Sendable {
    public let configuration: GuildhallConfiguration
    public let role: Role
    public let logger: Logger
    public let database: GuildhallDatabase
    public let backends: Backends
    public let settings: GuildSettingsService
    /// Plans and limits (the settings service checks premium modules through it too).
    public var premium: PremiumService { settings.premium ?? PremiumService(database: database, plans: registry.plans, logger: logger) }
    /// The job queue on these backends, the durable job stores and the registered handlers.
    public let jobs: JobSystem
    /// Where the hourly premium sync lists Discord's entitlements (set where the bot runs).
    public let premiumSync: PremiumSyncSource
    /// The features this process runs, as the catalog registered them.
    public let registry: FeatureRegistry
    /// Each registered feature's running parts, in registry order.
    public let features: [FeatureRuntime]
    /// What features offer one another (and what tests and benches ask for).
    public let capabilities: CapabilityRegistry
    /// The bot's REST client, once this process has one.
    public let discord: LateBound<DiscordRESTClient>

    init(
        configuration: GuildhallConfiguration, role: Role, logger: Logger, database: GuildhallDatabase, backends: Backends, settings: GuildSettingsService,
        jobs: JobSystem, premiumSync: PremiumSyncSource, registry: FeatureRegistry, features: [FeatureRuntime], capabilities: CapabilityRegistry,
        discord: LateBound<DiscordRESTClient>
    ) {
        self.premiumSync = premiumSync
        self.configuration = configuration
        self.role = role
        self.logger = logger
        self.database = database
        self.backends = backends
        self.settings = settings
        self.jobs = jobs
        self.registry = registry
        self.features = features
        self.capabilities = capabilities
        self.discord = discord
    }

    /// A capability a feature provides (`LevelingService`, `GiveawayService`), for the
    /// benches and tests that drive a feature directly.
    public func capability<Capability>(_ type: Capability.Type) throws -> Capability {
        try capabilities.require(type)
    }

    /// Opens the database (migrating it when `migrate` is true, else refusing to run on an
    /// out-of-date schema) and connects to Redis when configured. `jobQueue` names the queue
    /// this process's jobs go to and come from.
    public static func open(
        configuration: GuildhallConfiguration, role: Role, logger: Logger, migrate: Bool, jobQueue: String = "default",
        registry: FeatureRegistry = FeatureCatalog.registry
    ) async throws -> Platform {
        try role.validate(configuration)
        let database = try GuildhallDatabase(location: configuration.database, migrations: FeatureCatalog.migrations(for: registry), logger: logger)
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
        let premium = PremiumService(database: database, plans: registry.plans, grace: .seconds(configuration.premiumGraceDays * 86_400), logger: logger)
        let premiumSync = PremiumSyncSource()
        let settings = GuildSettingsService(database: database, backends: backends, logger: logger, modules: registry.modules, premium: premium)
        let capabilities = CapabilityRegistry()
        let discord = LateBound<DiscordRESTClient>(missing: "this process has no Discord REST client yet")
        do {
            let base = try JobSystem.make(database: database, backends: backends, queue: jobQueue) { registry in
                try PremiumJobs.register(in: &registry, premium: premium, source: premiumSync)
            }
            let context = FeatureContext(
                configuration: configuration, role: role.featureRole, database: database, backends: backends, jobs: base.queue, premium: premium,
                settings: settings, discord: discord, capabilities: capabilities, logger: logger
            )
            var runtimes: [FeatureRuntime] = []
            for feature in registry.features {
                runtimes.append(try await feature.start(context.scoped(to: feature.info.id)))
            }
            let jobs = try base.registering { jobRegistry in
                for runtime in runtimes { try runtime.registerJobs(&jobRegistry) }
            }
            return Platform(
                configuration: configuration, role: role, logger: logger, database: database, backends: backends, settings: settings, jobs: jobs,
                premiumSync: premiumSync, registry: registry, features: runtimes, capabilities: capabilities, discord: discord
            )
        } catch {
            if let redis = backends.redis { await redis.close() }
            await database.shutdown()
            throw error
        }
    }

    /// Gives this process's REST client to the platform and every feature (jobs that act on
    /// Discord), and the premium sync its entitlement listing.
    public func bindDiscord(_ rest: DiscordRESTClient, applicationID: Snowflake?) {
        if let applicationID {
            premiumSync.set { try await rest.listAllEntitlements(applicationID: applicationID) }
        }
        discord.set(rest)
        for feature in features { feature.bindDiscord(rest) }
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

    /// Lets every feature finish what it has in flight, then closes Redis and the database.
    public func close() async {
        for feature in features { await feature.close() }
        if let redis = backends.redis { await redis.close() }
        await database.shutdown()
    }

    static func redact(_ url: String) -> String {
        guard let at = url.lastIndex(of: "@") else { return url }
        return "redis://***@" + url[url.index(after: at)...]
    }
}
