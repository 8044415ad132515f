import GuildhallCore
import GuildhallKit

/// The long-running roles of the one binary.
public enum Role: String, CaseIterable, Sendable {
    case serve, gateway, worker, api, sandbox

    /// The multi-process roles share state through Redis and PostgreSQL and cannot run without them.
    public var requiresRedis: Bool {
        switch self {
        case .gateway, .worker, .api: return true
        case .serve, .sandbox: return false
        }
    }

    /// Checks the configuration for this role, naming the variable that is wrong.
    public func validate(_ configuration: GuildhallConfiguration) throws {
        if requiresRedis, configuration.redisURL == nil {
            throw GuildhallError(
                .invalidConfiguration,
                "REDIS_URL is not set: the \(rawValue) role shares state with other processes through Redis. Set REDIS_URL=redis://host:port (or --redis-url), or run everything in one process with `guildhall serve`."
            )
        }
        if requiresRedis, !configuration.database.isPostgres {
            throw GuildhallError(
                .invalidConfiguration,
                "DATABASE_URL must name PostgreSQL (postgres://…) for the \(rawValue) role: several processes cannot share an SQLite file safely. Use `guildhall serve` for the embedded SQLite setup."
            )
        }
    }
}

extension Role {
    /// The role as features see it (the sandbox runs no feature; it counts as serve).
    var featureRole: FeatureRole {
        switch self {
        case .serve, .sandbox: return .serve
        case .gateway: return .gateway
        case .worker: return .worker
        case .api: return .api
        }
    }
}
