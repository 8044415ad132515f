import GuildhallBackends
import GuildhallCore
import GuildhallDiscordREST
import GuildhallGuildSettings
import GuildhallJobs
import GuildhallPremium
import GuildhallStorage
import Logging

/// What the platform hands each feature when it starts: its shared resources, a logger
/// tagged with the feature, and the capabilities other features offer.
public struct FeatureContext: Sendable {
    public let configuration: GuildhallConfiguration
    public let role: FeatureRole
    public let database: GuildhallDatabase
    /// Cache, pub/sub and rate limiter (Redis, or in-process in the embedded mode).
    public let backends: Backends
    /// Where the feature enqueues and schedules its jobs.
    public let jobs: JobQueue
    public let premium: PremiumService
    /// Which modules each guild has on.
    public let settings: GuildSettingsService
    /// The bot's REST client, set once the process has one (jobs fail `unavailable`, and
    /// are retried, until then).
    public let discord: LateBound<DiscordRESTClient>
    public let capabilities: CapabilityRegistry
    public let logger: Logger

    public init(
        configuration: GuildhallConfiguration, role: FeatureRole, database: GuildhallDatabase, backends: Backends, jobs: JobQueue, premium: PremiumService,
        settings: GuildSettingsService, discord: LateBound<DiscordRESTClient>, capabilities: CapabilityRegistry, logger: Logger
    ) {
        self.configuration = configuration
        self.role = role
        self.database = database
        self.backends = backends
        self.jobs = jobs
        self.premium = premium
        self.settings = settings
        self.discord = discord
        self.capabilities = capabilities
        self.logger = logger
    }

    /// The same context with the logger tagged for one feature.
    public func scoped(to feature: String) -> FeatureContext {
        var logger = logger
        logger[metadataKey: LogKey.feature] = .string(feature)
        return FeatureContext(
            configuration: configuration, role: role, database: database, backends: backends, jobs: jobs, premium: premium, settings: settings,
            discord: discord, capabilities: capabilities, logger: logger
        )
    }
}
