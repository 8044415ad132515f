import GuildhallAPI
import GuildhallBot
import GuildhallDashboard
import GuildhallDiscordREST
import GuildhallJobs
import Hummingbird
import ServiceLifecycle

/// A feature's running parts in one process, built by `Feature.start`. The platform hands
/// the commands and handlers to the bot, the routes to the API, the job handlers to the
/// worker and the services to the role's service group.
public struct FeatureRuntime: Sendable {
    public var commands: [any SlashCommand]
    public var components: [any ComponentHandler]
    public var gatewayHandlers: [any GatewayEventHandler]
    /// Adds the feature's job handlers to the process's registry.
    public var registerJobs: @Sendable (inout JobRegistry) throws -> Void
    /// Mounts the feature's API routes (nil: it has none).
    public var routes: (any FeatureRoutes)?
    /// Its dashboard tabs, public pages, templates and scripts (nil: it has none).
    public var dashboard: FeatureDashboard?
    /// The services to run in a role, in start order.
    public var services: @Sendable (FeatureRole) -> [any Service]
    /// Receives the bot's REST client once the process has one (jobs that act on Discord).
    public var bindDiscord: @Sendable (DiscordRESTClient) -> Void
    /// Finishes what the feature has in flight, before the platform closes its connections.
    public var close: @Sendable () async -> Void

    public init(
        commands: [any SlashCommand] = [], components: [any ComponentHandler] = [], gatewayHandlers: [any GatewayEventHandler] = [],
        registerJobs: @escaping @Sendable (inout JobRegistry) throws -> Void = { _ in }, routes: (any FeatureRoutes)? = nil,
        dashboard: FeatureDashboard? = nil,
        services: @escaping @Sendable (FeatureRole) -> [any Service] = { _ in [] }, bindDiscord: @escaping @Sendable (DiscordRESTClient) -> Void = { _ in },
        close: @escaping @Sendable () async -> Void = {}
    ) {
        self.bindDiscord = bindDiscord
        self.commands = commands
        self.components = components
        self.gatewayHandlers = gatewayHandlers
        self.registerJobs = registerJobs
        self.routes = routes
        self.dashboard = dashboard
        self.services = services
        self.close = close
    }
}

/// A feature's API routes, mounted on the platform's API router. Generic over the request
/// context so tests and roles mount the same routes.
public protocol FeatureRoutes: Sendable {
    func register<Context: RequestContext>(on api: APIRouter<Context>, web: APIDashboard)
}
