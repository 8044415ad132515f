import GuildhallBackends
import GuildhallAPI
import GuildhallBot
import GuildhallCore
import GuildhallDashboard
import GuildhallHTTP
import GuildhallJobs
import GuildhallKit
import GuildhallSandbox
import Hummingbird
import Logging
import NIOCore
import ServiceLifecycle

/// How a role runs jobs: its worker and its scheduler.
public struct JobRoleSettings: Sendable, Equatable {
    public var worker: JobWorker.Configuration
    public var scheduler: JobScheduler.Configuration

    public init(worker: JobWorker.Configuration = .init(), scheduler: JobScheduler.Configuration = .init()) {
        self.worker = worker
        self.scheduler = scheduler
    }
}

/// Assembles a role's ServiceGroup. Services stop in reverse order on SIGTERM/SIGINT:
/// the HTTP server first, then the bot, then the job worker (which lets running jobs
/// finish or gives them back), then the scheduler and caches, the sandbox Discord, and the
/// connections last.
public enum RoleRunner {
    /// The embedded role: HTTP (health, metrics), settings cache upkeep, and an in-process
    /// job worker and scheduler (on Redis when the platform has Redis). `onHTTPReady`
    /// receives the bound port (useful with port 0).
    /// With `bot`, the embedded role also runs the Discord bot, stops an in-process
    /// `sandbox` after it, and serves Discord's HTTP `interactions` endpoint.
    public static func serveGroup(
        platform: Platform,
        jobs: JobRoleSettings = JobRoleSettings(),
        bot: BotRuntime? = nil, sandbox: SandboxServer? = nil, interactions: InteractionHTTPEndpoint? = nil, dashboard: APIDashboard? = nil,
        pages: DashboardPages? = nil,
        onHTTPReady: @escaping @Sendable (Int) async -> Void = { _ in }
    ) throws -> ServiceGroup {
        var services = try jobServices(platform: platform, jobs: jobs)
        if let cache = platform.backends.cache as? InProcessCache {
            services.insert(.init(service: InProcessSweeperService(cache: cache)), at: 2)
        }
        if let sandbox {
            services.insert(.init(service: StartedSandboxService(sandbox: sandbox, logger: platform.logger)), at: 1)
        }
        return group(
            platform: platform, services: services, bot: bot, interactions: interactions, api: true, dashboard: dashboard, pages: pages,
            onHTTPReady: onHTTPReady
        )
    }

    /// The gateway role: shard connections and the bot, with `/healthz` (shards included) and `/metrics`.
    public static func gatewayGroup(
        platform: Platform, bot: BotRuntime,
        onHTTPReady: @escaping @Sendable (Int) async -> Void = { _ in }
    ) -> ServiceGroup {
        let services: [ServiceGroupConfiguration.ServiceConfiguration] = [
            .init(service: PlatformResourcesService(platform: platform)),
            .init(service: SettingsCacheService(settings: platform.settings, logger: platform.logger)),
        ] + featureServices(platform: platform, role: .gateway) + [
            .init(service: ShardStatusService(board: ShardStatusBoard(cache: platform.backends.cache), manager: bot.manager, logger: platform.logger)),
        ]
        return group(platform: platform, services: services, bot: bot, interactions: nil, api: false, onHTTPReady: onHTTPReady)
    }

    /// The worker role: the job worker and scheduler, with `/healthz` and `/metrics`.
    public static func workerGroup(
        platform: Platform,
        jobs: JobRoleSettings,
        onHTTPReady: @escaping @Sendable (Int) async -> Void = { _ in }
    ) throws -> ServiceGroup {
        group(platform: platform, services: try jobServices(platform: platform, jobs: jobs), bot: nil, interactions: nil, api: false, onHTTPReady: onHTTPReady)
    }

    /// The api role: the JSON API under `/api` (the platform's routes, every feature's, and
    /// the OpenAPI document), the dashboard's pages when logins are configured, and every
    /// feature's services for the api role, with `/healthz` and `/metrics`.
    public static func apiGroup(
        platform: Platform, dashboard: APIDashboard? = nil, pages: DashboardPages? = nil,
        onHTTPReady: @escaping @Sendable (Int) async -> Void = { _ in }
    ) -> ServiceGroup {
        let services: [ServiceGroupConfiguration.ServiceConfiguration] = [
            .init(service: PlatformResourcesService(platform: platform)),
            .init(service: SettingsCacheService(settings: platform.settings, logger: platform.logger)),
        ] + featureServices(platform: platform, role: .api)
        return group(platform: platform, services: services, bot: nil, interactions: nil, api: true, dashboard: dashboard, pages: pages, onHTTPReady: onHTTPReady)
    }

    /// Resources, settings upkeep, scheduler, worker: the order they start (and the reverse
    /// of the order they stop).
    /// Every feature's services for `role`, in registry order.
    static func featureServices(platform: Platform, role: FeatureRole) -> [ServiceGroupConfiguration.ServiceConfiguration] {
        platform.features.flatMap { $0.services(role) }.map { .init(service: $0) }
    }

    private static func jobServices(platform: Platform, jobs: JobRoleSettings) throws -> [ServiceGroupConfiguration.ServiceConfiguration] {
        let logger = platform.logger
        let worker = try platform.jobs.worker(configuration: jobs.worker, logger: logger)
        let scheduler = try platform.jobs.scheduler(configuration: jobs.scheduler, logger: logger)
        return [
            .init(service: PlatformResourcesService(platform: platform)),
            .init(service: SettingsCacheService(settings: platform.settings, logger: logger)),
            .init(service: JobSchedulerService(scheduler: scheduler, queue: platform.jobs.queue, logger: logger)),
        ]
            // Features' services stop after the job worker and before the connections close
            // (the XP write-behind makes its last pass then).
            + featureServices(platform: platform, role: platform.role.featureRole)
            + [.init(service: JobWorkerService(worker: worker))]
    }

    private static func group(
        platform: Platform,
        services: [ServiceGroupConfiguration.ServiceConfiguration],
        bot: BotRuntime?, interactions: InteractionHTTPEndpoint?, api: Bool, dashboard: APIDashboard? = nil, pages: DashboardPages? = nil,
        onHTTPReady: @escaping @Sendable (Int) async -> Void
    ) -> ServiceGroup {
        let logger = platform.logger
        let router = Router(context: GuildhallRequestContext.self)
        router.add(middleware: RequestIDMiddleware())
        router.add(middleware: MetricsMiddleware())
        var health = platform.healthCheck
        var services = services
        if let bot {
            let manager = bot.manager
            health = HealthCheck(role: health.role, probes: health.probes + [HealthProbe(name: "gateway") {
                let down = manager.snapshots.filter { !$0.status.isHealthy }.map(\.shardID)
                guard down.isEmpty else {
                    throw GuildhallError(.unavailable, "shards \(down.map(String.init).joined(separator: ",")) are not connected")
                }
            }], timeout: health.timeout)
            services.append(.init(service: BotService(runtime: bot, logger: logger)))
        }
        ObservabilityRoutes.register(on: router, health: health)
        interactions?.register(on: router)
        if api {
            let features = platform.features
            APIMount.mount(
                on: router, settings: APISettings(operatorToken: platform.configuration.operatorToken, operatorUserIDs: platform.configuration.operatorUserIDs),
                cache: platform.backends.cache, jobs: platform.jobs.admin, dashboard: dashboard
            ) { api, web in
                for feature in features { feature.routes?.register(on: api, web: web) }
            }
            pages?.register(on: router)
        }
        let http = Application(
            router: router,
            configuration: .init(address: .hostname(platform.configuration.bindAddress, port: platform.configuration.port), serverName: "guildhall"),
            onServerRunning: { channel in await onHTTPReady(channel.localAddress?.port ?? 0) },
            logger: logger
        )
        return ServiceGroup(configuration: .init(services: services + [.init(service: http)], gracefulShutdownSignals: [.sigterm, .sigint], logger: logger))
    }
}
