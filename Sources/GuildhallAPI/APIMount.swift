import GuildhallBackends
import GuildhallCore
import GuildhallDiscordREST
import GuildhallGuildSettings
import GuildhallJobs
import GuildhallPremium
import GuildhallStorage
import Hummingbird
import Logging

/// What the API needs from the deployment.
public struct APISettings: Sendable {
    /// `OPERATOR_TOKEN`; nil turns the operator routes off for scripts.
    public var operatorToken: String?
    /// `OPERATOR_USER_IDS`: operators by their dashboard session.
    public var operatorUserIDs: [Snowflake]
    /// Requests per address per window.
    public var addressLimit: Int
    /// Requests per logged-in user per window.
    public var userLimit: Int
    /// Requests about one guild per window, whoever sends them.
    public var guildLimit: Int
    public var window: Duration
    public var maximumBodyBytes: Int

    public init(
        operatorToken: String?, operatorUserIDs: [Snowflake] = [], addressLimit: Int = 300, userLimit: Int = 240, guildLimit: Int = 600, window: Duration = .seconds(60),
        maximumBodyBytes: Int = 64 * 1024
    ) {
        self.operatorToken = operatorToken
        self.operatorUserIDs = operatorUserIDs
        self.addressLimit = addressLimit
        self.userLimit = userLimit
        self.guildLimit = guildLimit
        self.window = window
        self.maximumBodyBytes = maximumBodyBytes
    }
}

/// What the dashboard routes need: logins (sessions and Discord OAuth2), the bot's view of
/// guilds for access checks, and the guild settings.
public struct APIDashboard: Sendable {
    public var sessions: SessionAuthenticator
    /// A REST client with the bot token, for OAuth2 exchanges and member lookups.
    public var discord: DiscordRESTClient
    public var settings: GuildSettingsService
    public var database: GuildhallDatabase
    public var cache: any CacheBackend
    public var logger: Logger
    public var premium: PremiumService

    public init(
        sessions: SessionAuthenticator, discord: DiscordRESTClient, settings: GuildSettingsService, database: GuildhallDatabase, cache: any CacheBackend,
        logger: Logger
    ) {
        self.sessions = sessions
        self.discord = discord
        self.settings = settings
        self.database = database
        self.cache = cache
        self.logger = logger
        // Without the settings' premium service there is no plan table: nothing beyond free is allowed.
        premium = settings.premium ?? PremiumService(database: database, plans: PlanTable([]), logger: logger)
    }
}

/// Puts the API on a router: the error shape and the rate limit on every `/api/` path, the
/// OpenAPI document, the platform's routes, and (with a dashboard) the features' routes,
/// which `featureRoutes` mounts.
public enum APIMount {
    @discardableResult
    public static func mount<Context: RemoteAddressRequestContext>(
        on router: Router<Context>, settings: APISettings, cache: any CacheBackend, jobs: JobsAdminService, dashboard: APIDashboard? = nil,
        featureRoutes: (APIRouter<Context>, APIDashboard) -> Void = { _, _ in }
    ) -> APIRouter<Context> {
        router.add(middleware: APIPathMiddleware(APIErrorMiddleware<Context>()))
        router.add(middleware: APIRateLimitMiddleware(limiter: RateLimiter(cache: cache), limit: settings.addressLimit, window: settings.window))
        let guilds = dashboard.map { GuildAccessResolver(database: $0.database, discord: $0.discord, cache: $0.cache) }
        let api = APIRouter(
            router: router, operators: OperatorAuthenticator(token: settings.operatorToken, userIDs: settings.operatorUserIDs), sessions: dashboard?.sessions, guilds: guilds,
            limits: APIRouterLimits(limiter: RateLimiter(cache: cache), perUser: settings.userLimit, perGuild: settings.guildLimit, window: settings.window),
            maximumBodyBytes: settings.maximumBodyBytes
        )
        OperatorJobsRoutes.register(on: api, admin: jobs)
        if let dashboard {
            AuthRoutes.register(on: api, sessions: dashboard.sessions, discord: dashboard.discord)
            GuildPremiumRoute.register(on: api, premium: dashboard.premium)
            featureRoutes(api, dashboard)
            if let guilds {
                GuildPickerRoute.register(on: api, database: dashboard.database, access: guilds)
                GuildGrantsRoutes.register(on: api, grants: DashboardGrantService(database: dashboard.database, logger: dashboard.logger), access: guilds)
            }
        }
        return api
    }
}

/// Runs `inner` for `/api/` and `/auth/` paths only, so the API's error shape never reaches
/// the health and metrics routes or Discord's interactions endpoint.
struct APIPathMiddleware<Inner: RouterMiddleware>: RouterMiddleware {
    typealias Context = Inner.Context
    let inner: Inner

    init(_ inner: Inner) {
        self.inner = inner
    }

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard request.uri.path.hasPrefix("/api/") || request.uri.path.hasPrefix("/auth/") else { return try await next(request, context) }
        return try await inner.handle(request, context: context, next: next)
    }
}
