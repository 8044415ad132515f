import Foundation

/// The eleven layers of the owner's protocol. A feature exists only when it is wired
/// through every one of them, or states why a layer does not apply.
public enum FeatureLayer: String, CaseIterable, Codable, Sendable, Comparable {
    case bot, api, database, redis, worker, dashboard, permissions, logging, premium, tests, docs

    public static func < (lhs: FeatureLayer, rhs: FeatureLayer) -> Bool {
        allCases.firstIndex(of: lhs)! < allCases.firstIndex(of: rhs)!
    }

    /// The heading used in `guildhall features`.
    public var title: String {
        switch self {
        case .bot: return "Bot"
        case .api: return "API"
        case .database: return "Database"
        case .redis: return "Redis"
        case .worker: return "Worker"
        case .dashboard: return "Dashboard"
        case .permissions: return "Permissions"
        case .logging: return "Logging"
        case .premium: return "Premium"
        case .tests: return "Tests"
        case .docs: return "Docs"
        }
    }
}

/// What a feature has in one layer.
public enum LayerStatus: Sendable, Equatable {
    /// Built: the parts that make it up (migration names, key patterns, routes, commands…).
    case wired(parts: [String])
    /// Does not apply to this feature, and why.
    case notApplicable(reason: String)
    /// Not built yet, and where it will come from (an issue). Shown as such; never hidden.
    case pending(reason: String)

    /// A layer is accounted for when it is wired with at least one part, or carries a reason.
    public var isAccountedFor: Bool {
        switch self {
        case .wired(let parts): return !parts.isEmpty && parts.allSatisfy { !$0.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty }
        case .notApplicable(let reason), .pending(let reason): return !reason.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty
        }
    }

    public var kind: String {
        switch self {
        case .wired: return "wired"
        case .notApplicable: return "not_applicable"
        case .pending: return "pending"
        }
    }

    public var detail: [String] {
        switch self {
        case .wired(let parts): return parts
        case .notApplicable(let reason), .pending(let reason): return [reason]
        }
    }
}
