import GuildhallBackends
import GuildhallHTTP
import GuildhallJobs
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
/// the HTTP server first, then the job worker (which lets running jobs finish or gives
/// them back), then the scheduler and caches, and the connections last.
public enum RoleRunner {
    /// The embedded role: HTTP (health, metrics), settings cache upkeep, and an in-process
    /// job worker and scheduler (on Redis when the platform has Redis). `onHTTPReady`
    /// receives the bound port (useful with port 0).
    public static func serveGroup(
        platform: Platform,
        jobs: JobRoleSettings = JobRoleSettings(),
        onHTTPReady: @escaping @Sendable (Int) async -> Void = { _ in }
    ) throws -> ServiceGroup {
        var services = try jobServices(platform: platform, jobs: jobs)
        if let cache = platform.backends.cache as? InProcessCache {
            services.insert(.init(service: InProcessSweeperService(cache: cache)), at: 2)
        }
        return group(platform: platform, services: services, onHTTPReady: onHTTPReady)
    }

    /// The worker role: the job worker and scheduler, with `/healthz` and `/metrics`.
    public static func workerGroup(
        platform: Platform,
        jobs: JobRoleSettings,
        onHTTPReady: @escaping @Sendable (Int) async -> Void = { _ in }
    ) throws -> ServiceGroup {
        group(platform: platform, services: try jobServices(platform: platform, jobs: jobs), onHTTPReady: onHTTPReady)
    }

    /// Resources, settings upkeep, scheduler, worker: the order they start (and the reverse
    /// of the order they stop).
    private static func jobServices(platform: Platform, jobs: JobRoleSettings) throws -> [ServiceGroupConfiguration.ServiceConfiguration] {
        let logger = platform.logger
        let worker = try platform.jobs.worker(configuration: jobs.worker, logger: logger)
        let scheduler = try platform.jobs.scheduler(configuration: jobs.scheduler, logger: logger)
        return [
            .init(service: PlatformResourcesService(platform: platform)),
            .init(service: SettingsCacheService(settings: platform.settings, logger: logger)),
            .init(service: JobSchedulerService(scheduler: scheduler, queue: platform.jobs.queue, logger: logger)),
            .init(service: JobWorkerService(worker: worker)),
        ]
    }

    private static func group(
        platform: Platform,
        services: [ServiceGroupConfiguration.ServiceConfiguration],
        onHTTPReady: @escaping @Sendable (Int) async -> Void
    ) -> ServiceGroup {
        let logger = platform.logger
        let router = Router()
        router.add(middleware: RequestIDMiddleware())
        router.add(middleware: MetricsMiddleware())
        ObservabilityRoutes.register(on: router, health: platform.healthCheck)
        let http = Application(
            router: router,
            configuration: .init(address: .hostname(platform.configuration.bindAddress, port: platform.configuration.port), serverName: "guildhall"),
            onServerRunning: { channel in await onHTTPReady(channel.localAddress?.port ?? 0) },
            logger: logger
        )
        return ServiceGroup(configuration: .init(services: services + [.init(service: http)], gracefulShutdownSignals: [.sigterm, .sigint], logger: logger))
    }
}
