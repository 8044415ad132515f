import GuildhallBackends
import GuildhallBot
import GuildhallCore
import GuildhallHTTP
import GuildhallSandbox
import Hummingbird
import Logging
import NIOCore
import ServiceLifecycle

/// Assembles a role's ServiceGroup. Services stop in reverse order on SIGTERM/SIGINT:
/// the HTTP server first, then the bot, then the sandbox, the connections last.
public enum RoleRunner {
    /// The embedded role without Discord: HTTP (health, metrics) and settings cache upkeep.
    /// `onHTTPReady` receives the bound port (useful with port 0).
    public static func serveGroup(
        platform: Platform,
        onHTTPReady: @escaping @Sendable (Int) async -> Void = { _ in }
    ) -> ServiceGroup {
        group(platform: platform, bot: nil, sandbox: nil, interactions: nil, onHTTPReady: onHTTPReady)
    }

    /// A role's group: the platform's services, then optionally a (started) sandbox Discord, the bot
    /// and Discord's HTTP interactions endpoint on the role's HTTP server.
    public static func group(
        platform: Platform, bot: BotRuntime?, sandbox: SandboxServer?, interactions: InteractionHTTPEndpoint?,
        onHTTPReady: @escaping @Sendable (Int) async -> Void = { _ in }
    ) -> ServiceGroup {
        let logger = platform.logger
        let router = Router()
        router.add(middleware: RequestIDMiddleware())
        router.add(middleware: MetricsMiddleware())
        var health = platform.healthCheck
        if let bot {
            let manager = bot.manager
            health = HealthCheck(role: health.role, probes: health.probes + [HealthProbe(name: "gateway") {
                let down = manager.snapshots.filter { !$0.status.isHealthy }.map(\.shardID)
                guard down.isEmpty else {
                    throw GuildhallError(.unavailable, "shards \(down.map(String.init).joined(separator: ",")) are not connected")
                }
            }], timeout: health.timeout)
        }
        ObservabilityRoutes.register(on: router, health: health)
        interactions?.register(on: router)
        let http = Application(
            router: router,
            configuration: .init(address: .hostname(platform.configuration.bindAddress, port: platform.configuration.port), serverName: "guildhall"),
            onServerRunning: { channel in await onHTTPReady(channel.localAddress?.port ?? 0) },
            logger: logger
        )
        var services: [ServiceGroupConfiguration.ServiceConfiguration] = [
            .init(service: PlatformResourcesService(platform: platform)),
        ]
        if let sandbox {
            services.append(.init(service: StartedSandboxService(sandbox: sandbox, logger: logger)))
        }
        services.append(.init(service: SettingsCacheService(settings: platform.settings, logger: logger)))
        if let cache = platform.backends.cache as? InProcessCache {
            services.append(.init(service: InProcessSweeperService(cache: cache)))
        }
        if let bot {
            services.append(.init(service: BotService(runtime: bot, logger: logger)))
        }
        services.append(.init(service: http))
        return ServiceGroup(configuration: .init(services: services, gracefulShutdownSignals: [.sigterm, .sigint], logger: logger))
    }
}
