import GuildhallCore

/// What is known about someone entering or being drawn.
public struct GiveawayEntrant: Sendable, Equatable {
    public var user: Snowflake
    public var isBot: Bool
    public var roles: Set<Snowflake>
    /// When they joined the server (milliseconds since 1970), when Discord said.
    public var joinedAt: Int64?

    public init(user: Snowflake, isBot: Bool = false, roles: Set<Snowflake> = [], joinedAt: Int64? = nil) {
        self.user = user
        self.isBot = isBot
        self.roles = roles
        self.joinedAt = joinedAt
    }
}

/// The requirement checks, the same at entry and at the draw. Pure: the level and the time
/// are given.
public enum GiveawayEligibility {
    static let day: Int64 = 86_400_000

    /// Why `entrant` may not take part, or nil when they may. `level` is their leveling level
    /// (only asked for when the giveaway has a minimum level).
    public static func refusal(
        _ requirements: GiveawayDraft.Requirements, entrant: GiveawayEntrant, now: Int64, level: () async throws -> Int
    ) async rethrows -> String? {
        if entrant.isBot { return "bots cannot take part" }
        if let role = requirements.roleID, !entrant.roles.contains(role) { return "you need the role <@&\(role)>" }
        if let days = requirements.accountAgeDays {
            let created = Int64(entrant.user.timestampMilliseconds)
            if now - created < Int64(days) * day { return "your Discord account must be at least \(days) day\(days == 1 ? "" : "s") old" }
        }
        if let days = requirements.memberDays {
            guard let joined = entrant.joinedAt, now - joined >= Int64(days) * day else {
                return "you must have been in this server for \(days) day\(days == 1 ? "" : "s")"
            }
        }
        if let minimum = requirements.minimumLevel {
            let current = try await level()
            if current < minimum { return "you need level \(minimum) (you are level \(current))" }
        }
        return nil
    }
}
