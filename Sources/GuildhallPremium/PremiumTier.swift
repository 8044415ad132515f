/// The plans a guild can be on.
public enum PremiumTier: String, Sendable, Codable, CaseIterable, Comparable {
    case free, premium

    public static func < (lhs: PremiumTier, rhs: PremiumTier) -> Bool {
        allCases.firstIndex(of: lhs)! < allCases.firstIndex(of: rhs)!
    }
}

/// One limit of the plan table: the feature that reads it and its name there
/// (`giveaways.running`). Features declare the rows they read; the premium module owns the
/// table they make.
public struct PlanLimit: Hashable, Sendable, Comparable, CustomStringConvertible {
    public let feature: String
    public let name: String

    public init(feature: String, name: String) {
        self.feature = feature
        self.name = name
    }

    public var description: String { "\(feature).\(name)" }

    public static func < (lhs: PlanLimit, rhs: PlanLimit) -> Bool { lhs.description < rhs.description }
}

/// A limit's value on one plan: how many, or whether at all.
public enum PlanValue: Sendable, Equatable, Encodable, CustomStringConvertible {
    case count(Int)
    case allowed(Bool)

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .count(let count): try container.encode(count)
        case .allowed(let allowed): try container.encode(allowed)
        }
    }

    public var description: String {
        switch self {
        case .count(let count): "\(count)"
        case .allowed(let allowed): allowed ? "yes" : "no"
        }
    }
}

/// One row of the plan table, as a feature contributes it: the limit, how people read it,
/// and its value on each plan.
public struct PlanRow: Sendable, Equatable {
    public let limit: PlanLimit
    /// What the limit is, for people ("role XP multipliers"): refusals name it.
    public let title: String
    public let free: PlanValue
    public let premium: PlanValue

    public init(_ limit: PlanLimit, title: String, free: PlanValue, premium: PlanValue) {
        self.limit = limit
        self.title = title
        self.free = free
        self.premium = premium
    }

    public func value(on tier: PremiumTier) -> PlanValue {
        switch tier {
        case .free: free
        case .premium: premium
        }
    }
}

/// The one table of limits, every registered feature's rows. Every check reads it, at the
/// API and again where the effect happens; nothing else decides a limit.
public struct PlanTable: Sendable, Equatable {
    public let rows: [PlanRow]

    public init(_ rows: [PlanRow]) {
        var seen = Set<PlanLimit>()
        for row in rows { precondition(seen.insert(row.limit).inserted, "plan limit \(row.limit) is declared twice") }
        self.rows = rows
    }

    public func row(_ limit: PlanLimit) -> PlanRow? {
        rows.first { $0.limit == limit }
    }

    /// What `tier` allows: the table's column for it.
    public func limits(for tier: PremiumTier) -> TierLimits {
        TierLimits(tier: tier, values: Dictionary(uniqueKeysWithValues: rows.map { ($0.limit, $0.value(on: tier)) }))
    }
}

/// What one plan allows, read by limit. A limit the table lacks allows nothing (0, or no):
/// a feature that reads a row it did not declare gets nothing rather than everything.
public struct TierLimits: Sendable, Equatable, Encodable {
    public let tier: PremiumTier
    public let values: [PlanLimit: PlanValue]

    public init(tier: PremiumTier, values: [PlanLimit: PlanValue] = [:]) {
        self.tier = tier
        self.values = values
    }

    public func count(_ limit: PlanLimit) -> Int {
        if case .count(let count)? = values[limit] { return count }
        return 0
    }

    public func allows(_ limit: PlanLimit) -> Bool {
        switch values[limit] {
        case .allowed(let allowed)?: allowed
        case .count(let count)?: count > 0
        case nil: false
        }
    }

    /// `{"<feature>": {"<name>": value}}`, features and names sorted.
    public func encode(to encoder: any Encoder) throws {
        var byFeature: [String: [String: PlanValue]] = [:]
        for (limit, value) in values { byFeature[limit.feature, default: [:]][limit.name] = value }
        var container = encoder.singleValueContainer()
        try container.encode(byFeature)
    }
}
