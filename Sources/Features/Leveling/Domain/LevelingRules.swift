import GuildhallCore

/// A guild's leveling rules, MEE6-compatible by default: 15 to 25 XP per message, at most
/// once per 60 s per member, and 5n² + 50n + 100 XP from level n to n + 1. No XP for bots,
/// in ignored channels or for ignored roles. Role multipliers are premium.
public struct LevelingRules: Sendable, Equatable, Codable {
    public var minimumXP: Int
    public var maximumXP: Int
    public var cooldownSeconds: Int
    public var ignoredChannels: Set<Snowflake>
    public var ignoredRoles: Set<Snowflake>
    /// XP multipliers by role; the member's highest applies (premium only).
    public var roleMultipliers: [Snowflake: Double]

    public init(
        minimumXP: Int = 15, maximumXP: Int = 25, cooldownSeconds: Int = 60, ignoredChannels: Set<Snowflake> = [], ignoredRoles: Set<Snowflake> = [],
        roleMultipliers: [Snowflake: Double] = [:]
    ) {
        self.minimumXP = minimumXP
        self.maximumXP = maximumXP
        self.cooldownSeconds = cooldownSeconds
        self.ignoredChannels = ignoredChannels
        self.ignoredRoles = ignoredRoles
        self.roleMultipliers = roleMultipliers
    }

    /// The longest cooldown a guild may set (its Redis key's declared TTL).
    public static let maximumCooldownSeconds = 3_600

    /// Names the first rule that cannot work.
    public func validate() throws {
        func fail(_ message: String) -> GuildhallError { GuildhallError(.invalidInput, "leveling: \(message)") }
        guard (1...1_000).contains(minimumXP), (1...1_000).contains(maximumXP), minimumXP <= maximumXP else {
            throw fail("XP per message must be 1 to 1000, minimum at most maximum (got \(minimumXP)-\(maximumXP))")
        }
        guard (0...Self.maximumCooldownSeconds).contains(cooldownSeconds) else {
            throw fail("the cooldown must be 0 to \(Self.maximumCooldownSeconds) seconds, got \(cooldownSeconds)")
        }
        guard ignoredChannels.count <= 500, ignoredRoles.count <= 250 else { throw fail("at most 500 ignored channels and 250 ignored roles") }
        guard roleMultipliers.count <= 50, roleMultipliers.values.allSatisfy({ (0.1...10).contains($0) }) else {
            throw fail("at most 50 role multipliers, each from 0.1 to 10")
        }
    }

    // MARK: The curve

    /// XP needed to go from `level` to `level + 1`: 5n² + 50n + 100.
    public static func xpToNextLevel(from level: Int) -> Int64 {
        let n = Int64(max(0, level))
        return 5 * n * n + 50 * n + 100
    }

    /// Total XP at which `level` is reached (level 1 at 100, level 2 at 255, …).
    public static func totalXP(forLevel level: Int) -> Int64 {
        (0..<max(0, level)).reduce(Int64(0)) { $0 + xpToNextLevel(from: $1) }
    }

    /// The level a total of XP gives.
    public static func level(forTotalXP total: Int64) -> Int {
        var level = 0
        var remaining = total
        while remaining >= xpToNextLevel(from: level) {
            remaining -= xpToNextLevel(from: level)
            level += 1
        }
        return level
    }

    // MARK: Messages

    /// Whether a message earns XP at all.
    public func isEligible(authorIsBot: Bool, channel: Snowflake, roles: [Snowflake]) -> Bool {
        !authorIsBot && !ignoredChannels.contains(channel) && ignoredRoles.isDisjoint(with: roles)
    }

    /// The member's multiplier: the highest of their roles', 1 without one or without premium.
    public func multiplier(roles: [Snowflake], premium: Bool) -> Double {
        guard premium else { return 1 }
        return roles.compactMap { roleMultipliers[$0] }.max() ?? 1
    }

    /// XP for one message: uniform in the range, times the multiplier, at least 1.
    public func xpForMessage(multiplier: Double, using generator: inout some RandomNumberGenerator) -> Int64 {
        let base = Double(Int.random(in: minimumXP...maximumXP, using: &generator))
        return max(1, Int64((base * multiplier).rounded()))
    }
}
