import ArgumentParser
import Foundation
import GuildhallCore
import GuildhallDashboard
import GuildhallSandbox
import GuildhallAPI
import GuildhallBot
import GuildhallHTTP
import GuildhallKit
import Logging
import ServiceLifecycle

/// `guildhall serve`: everything in one process (the embedded default).
struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Run every role in one process: SQLite and in-process backends unless DATABASE_URL/REDIS_URL say otherwise."
    )

    @OptionGroup var options: ConfigurationOptions
    @OptionGroup var jobOptions: JobOptions

    @OptionGroup var sandbox: SandboxOptions

    func run() async throws {
        let configuration = try options.resolve()
        let logger = LoggingBootstrap.logger(for: configuration, role: Role.serve.rawValue)
        MetricsBootstrap.bootstrap()
        MetricsBootstrap.announce(role: Role.serve.rawValue, version: GuildhallVersion.current)
        let group = try await Self.group(configuration: configuration, jobs: jobOptions, sandbox: sandbox, logger: logger) { port in
            logger.notice("guildhall serve listening", metadata: ["url": "http://\(configuration.bindAddress):\(port)"])
        }
        try await group.run()
    }

    /// Everything `serve` runs: the platform, the bot (against the in-process sandbox when no
    /// token is set), the interactions endpoint, the job worker and the HTTP server.
    static func group(
        configuration: GuildhallConfiguration, jobs: JobOptions, sandbox: SandboxOptions, logger: Logger,
        onHTTPReady: @escaping @Sendable (Int) async -> Void
    ) async throws -> ServiceGroup {
        try await assembleServe(configuration: configuration, jobs: jobs, sandbox: sandbox, logger: logger, onHTTPReady: onHTTPReady).group
    }

    /// The group with the platform it runs on (tests read and seed the database through it).
    static func assemble(
        configuration: GuildhallConfiguration, jobs: JobOptions, sandbox: SandboxOptions, logger: Logger,
        onHTTPReady: @escaping @Sendable (Int) async -> Void
    ) async throws -> (platform: Platform, group: ServiceGroup, sandbox: SandboxServer?) {
        let served = try await assembleServe(configuration: configuration, jobs: jobs, sandbox: sandbox, logger: logger, onHTTPReady: onHTTPReady)
        return (served.platform, served.group, served.sandbox)
    }

    /// Everything `serve` runs, with the bot (the contract test reads its router), for a
    /// given registry of features (the catalog's, unless a test brings its own).
    static func assembleServe(
        configuration: GuildhallConfiguration, jobs: JobOptions, sandbox: SandboxOptions, logger: Logger, registry: FeatureRegistry = FeatureCatalog.registry,
        onHTTPReady: @escaping @Sendable (Int) async -> Void
    ) async throws -> ServedStack {
        let platform = try await Platform.open(
            configuration: configuration, role: .serve, logger: logger, migrate: true, jobQueue: jobs.queue, registry: registry
        )
        let target = configuration.discord.usesSandbox
            ? try await DiscordTarget.inProcessSandbox(sandbox.configuration(logger: logger), logger: logger)
            : try DiscordTarget.configured(configuration)
        let runtime = try await BotAssembly.make(platform: platform, target: target, shardIDs: nil, shardCount: nil, logger: logger)
        let interactions = try target.publicKeyHex.map {
            InteractionHTTPEndpoint(verifier: try InteractionSignatureVerifier(publicKeyHex: $0), dispatcher: runtime.dispatcher)
        }
        logger.notice("guildhall serve starting", metadata: [
            "database": "\(configuration.database)", "backends": "\(platform.backends.isRedis ? "redis" : "in-process")",
            "discord": "\(target.isSandbox ? "sandbox (in-process)" : target.apiURL)",
        ])
        let dashboard = try await DashboardAssembly.make(platform: platform, target: target, role: .serve, logger: logger)
        let manager = runtime.manager
        var pages: DashboardPages?
        if let dashboard {
            let operators = OperatorAuthenticator(token: configuration.operatorToken, userIDs: configuration.operatorUserIDs)
            pages = try await DashboardPages(dashboard: dashboard, operators: (operators, platform.jobs.admin), features: platform.features.compactMap(\.dashboard)) { guild in
                manager.status(ofShard: manager.shardID(for: guild))?.isHealthy == false
            }
        }
        let group = try RoleRunner.serveGroup(
            platform: platform, jobs: jobs.settings, bot: runtime, sandbox: target.sandbox, interactions: interactions, dashboard: dashboard,
            pages: pages, onHTTPReady: onHTTPReady
        )
        return ServedStack(platform: platform, group: group, sandbox: target.sandbox, bot: runtime)
    }
}

/// What `serve` assembled: the platform, the service group, the in-process sandbox (nil
/// with a real token) and the bot.
struct ServedStack {
    let platform: Platform
    let group: ServiceGroup
    let sandbox: SandboxServer?
    let bot: BotRuntime
}

/// `guildhall worker`: runs jobs and the durable scheduler; several may run side by side.
struct WorkerCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "worker",
        abstract: "Run jobs: every registered feature's (giveaway endings, level-up announcements) and the platform's (needs REDIS_URL and a PostgreSQL DATABASE_URL)."
    )

    @OptionGroup var options: ConfigurationOptions
    @OptionGroup var jobOptions: JobOptions

    func run() async throws {
        let configuration = try options.resolve()
        try Role.worker.validate(configuration)
        let logger = LoggingBootstrap.logger(for: configuration, role: Role.worker.rawValue)
        MetricsBootstrap.bootstrap()
        MetricsBootstrap.announce(role: Role.worker.rawValue, version: GuildhallVersion.current)
        let platform = try await Platform.open(configuration: configuration, role: .worker, logger: logger, migrate: false, jobQueue: jobOptions.queue)
        if configuration.discord.token != nil {
            // Jobs that act on Discord (level-up announcements, reward roles, the premium
            // sync) need the bot's REST client; without DISCORD_TOKEN they retry elsewhere.
            try BotAssembly.installDiscordClients(platform: platform, target: DiscordTarget.configured(configuration), logger: logger)
        }
        let settings = jobOptions.settings
        let queue = jobOptions.queue
        let group = try RoleRunner.workerGroup(platform: platform, jobs: settings) { port in
            logger.notice("guildhall worker listening", metadata: [
                "url": "http://\(configuration.bindAddress):\(port)", "database": "\(configuration.database)",
                "queue": "\(queue)", "concurrency": "\(settings.worker.concurrency)", "worker_id": "\(settings.worker.workerID)",
            ])
        }
        try await group.run()
    }
}

/// `guildhall api`: the JSON API under `/api`. Several may run behind a load balancer.
struct APICommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "api", abstract: "Serve the JSON API under /api (needs REDIS_URL and a PostgreSQL DATABASE_URL)."
    )
    @OptionGroup var options: ConfigurationOptions

    func run() async throws {
        let configuration = try options.resolve()
        try Role.api.validate(configuration)
        let logger = LoggingBootstrap.logger(for: configuration, role: Role.api.rawValue)
        MetricsBootstrap.bootstrap()
        MetricsBootstrap.announce(role: Role.api.rawValue, version: GuildhallVersion.current)
        let platform = try await Platform.open(configuration: configuration, role: .api, logger: logger, migrate: false)
        let dashboard = try await configuration.discord.token == nil
            ? nil : DashboardAssembly.make(platform: platform, target: DiscordTarget.configured(configuration), role: .api, logger: logger)
        if configuration.discord.token == nil { logger.warning("dashboard logins are off: set DISCORD_TOKEN (the bot's view of guilds decides access)") }
        var pages: DashboardPages?
        if let dashboard {
            let operators = OperatorAuthenticator(token: configuration.operatorToken, userIDs: configuration.operatorUserIDs)
            let board = ShardStatusBoard(cache: platform.backends.cache)
            pages = try await DashboardPages(dashboard: dashboard, operators: (operators, platform.jobs.admin), features: platform.features.compactMap(\.dashboard)) { guild in await board.isDown(guild: guild) }
        }
        let group = RoleRunner.apiGroup(platform: platform, dashboard: dashboard, pages: pages) { port in
            logger.notice("guildhall api listening", metadata: [
                "url": "http://\(configuration.bindAddress):\(port)", "operator_api": "\(configuration.operatorToken == nil ? "off" : "on")",
            ])
        }
        try await group.run()
    }
}
