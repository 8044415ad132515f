import GuildhallBackends
import GuildhallJobs
import Hummingbird

/// What the API needs from the deployment.
public struct APISettings: Sendable {
    /// `OPERATOR_TOKEN`; nil turns the operator routes off.
    public var operatorToken: String?
    /// Requests per address per window.
    public var addressLimit: Int
    public var window: Duration
    public var maximumBodyBytes: Int

    public init(operatorToken: String?, addressLimit: Int = 300, window: Duration = .seconds(60), maximumBodyBytes: Int = 64 * 1024) {
        self.operatorToken = operatorToken
        self.addressLimit = addressLimit
        self.window = window
        self.maximumBodyBytes = maximumBodyBytes
    }
}

/// Puts the API on a router: the error shape and the rate limit on every `/api/` path, the
/// OpenAPI document, and the routes built so far.
public enum APIMount {
    @discardableResult
    public static func mount<Context: RemoteAddressRequestContext>(
        on router: Router<Context>, settings: APISettings, cache: any CacheBackend, jobs: JobsAdminService
    ) -> APIRouter<Context> {
        router.add(middleware: APIPathMiddleware(APIErrorMiddleware<Context>()))
        router.add(middleware: APIRateLimitMiddleware(limiter: RateLimiter(cache: cache), limit: settings.addressLimit, window: settings.window))
        let api = APIRouter(router: router, operators: OperatorAuthenticator(token: settings.operatorToken), maximumBodyBytes: settings.maximumBodyBytes)
        OperatorJobsRoutes.register(on: api, admin: jobs)
        return api
    }
}

/// Runs `inner` for `/api/` paths only, so the API's error shape never reaches the health
/// and metrics routes or Discord's interactions endpoint.
struct APIPathMiddleware<Inner: RouterMiddleware>: RouterMiddleware {
    typealias Context = Inner.Context
    let inner: Inner

    init(_ inner: Inner) {
        self.inner = inner
    }

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard request.uri.path.hasPrefix("/api/") else { return try await next(request, context) }
        return try await inner.handle(request, context: context, next: next)
    }
}
