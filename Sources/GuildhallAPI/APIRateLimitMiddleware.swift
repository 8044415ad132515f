import GuildhallBackends
import GuildhallCore
import Hummingbird

/// Limits API requests per client address in fixed windows (Redis when configured, so
/// every API process shares one count; in-process otherwise). Over the limit: 429 with
/// Retry-After. When the limiter's store is down the API answers 503 rather than run
/// unlimited.
public struct APIRateLimitMiddleware<Context: RemoteAddressRequestContext>: RouterMiddleware {
    let limiter: RateLimiter
    let limit: Int
    let window: Duration

    public init(limiter: RateLimiter, limit: Int, window: Duration) {
        self.limiter = limiter
        self.limit = limit
        self.window = window
    }

    public func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard request.uri.path.hasPrefix("/api/") || request.uri.path.hasPrefix("/auth/") else { return try await next(request, context) }
        let key = try APIKeys.addressLimit.key(guild: Keyspace.platform, Self.subject(context.remoteAddress?.ipAddress))
        let decision = try await APIRouterLimits.hit(limiter, key, limit: limit, window: window, scope: "address")
        var response = try await next(request, context)
        response.headers[.init("X-RateLimit-Limit")!] = String(decision.limit)
        response.headers[.init("X-RateLimit-Remaining")!] = String(decision.remaining)
        return response
    }

    /// An address as a key segment: IPv6 colons become dashes.
    static func subject(_ address: String?) -> String {
        guard let address, !address.isEmpty else { return "unknown" }
        let segment = address.replacingOccurrences(of: ":", with: "-").filter { $0.isLetter || $0.isNumber || $0 == "-" || $0 == "." }
        return segment.isEmpty ? "unknown" : String(segment.prefix(64))
    }
}

/// The per-user and per-guild limits the router applies once it knows who asks and about
/// which guild.
public struct APIRouterLimits: Sendable {
    let limiter: RateLimiter
    let perUser: Int
    let perGuild: Int
    let window: Duration

    func user(_ user: Snowflake) async throws {
        _ = try await Self.hit(limiter, try APIKeys.userLimit.key(guild: Keyspace.platform, user.description), limit: perUser, window: window, scope: "user")
    }

    func guild(_ guild: Snowflake) async throws {
        _ = try await Self.hit(limiter, try APIKeys.guildLimit.key(guild: guild), limit: perGuild, window: window, scope: "guild")
    }

    /// Counts one request; 429 past the limit, 503 when the store is down.
    static func hit(_ limiter: RateLimiter, _ key: RedisKey, limit: Int, window: Duration, scope: String) async throws -> RateLimitDecision {
        let decision: RateLimitDecision
        do {
            decision = try await limiter.hit(key, limit: limit, window: window)
        } catch {
            throw APIError.unavailable("rate limiting is unavailable (its store is down)")
        }
        guard decision.allowed else {
            let seconds = Int((Double(decision.retryAfter.components.seconds) + Double(decision.retryAfter.components.attoseconds) / 1e18).rounded(.up))
            throw APIError.rateLimited(retryAfterSeconds: max(1, seconds), scope: scope)
        }
        return decision
    }
}
