import GuildhallBackends
import GuildhallHTTP
import Hummingbird
import Logging
import NIOCore
import ServiceLifecycle

/// Assembles a role's ServiceGroup. Services stop in reverse order on SIGTERM/SIGINT:
/// the HTTP server first, the connections last.
public enum RoleRunner {
    /// The embedded role: HTTP (health, metrics), settings cache upkeep, and in this build
    /// nothing Discord-facing yet. `onHTTPReady` receives the bound port (useful with port 0).
    public static func serveGroup(
        platform: Platform,
        onHTTPReady: @escaping @Sendable (Int) async -> Void = { _ in }
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
        var services: [ServiceGroupConfiguration.ServiceConfiguration] = [
            .init(service: PlatformResourcesService(platform: platform)),
            .init(service: SettingsCacheService(settings: platform.settings, logger: logger)),
        ]
        if let cache = platform.backends.cache as? InProcessCache {
            services.append(.init(service: InProcessSweeperService(cache: cache)))
        }
        services.append(.init(service: http))
        return ServiceGroup(configuration: .init(services: services, gracefulShutdownSignals: [.sigterm, .sigint], logger: logger))
    }
}
