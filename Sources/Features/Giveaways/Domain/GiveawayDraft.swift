import Foundation
import GuildhallCore
import GuildhallPremium

/// What `/giveaway start` and the dashboard ask for, checked against the plan before
/// anything is stored. Times are seconds since 1970 (UTC).
public struct GiveawayDraft: Sendable, Equatable, Codable {
    public struct Requirements: Sendable, Equatable, Codable {
        /// A role the entrant must have.
        public var roleID: Snowflake?
        /// Leveling's level, when leveling is on.
        public var minimumLevel: Int?
        /// Days since the entrant's Discord account was made.
        public var accountAgeDays: Int?
        /// Days since the entrant joined the server.
        public var memberDays: Int?

        public init(roleID: Snowflake? = nil, minimumLevel: Int? = nil, accountAgeDays: Int? = nil, memberDays: Int? = nil) {
            self.roleID = roleID
            self.minimumLevel = minimumLevel
            self.accountAgeDays = accountAgeDays
            self.memberDays = memberDays
        }

        public var isEmpty: Bool { roleID == nil && minimumLevel == nil && accountAgeDays == nil && memberDays == nil }

        enum CodingKeys: String, CodingKey {
            case roleID = "role_id", minimumLevel = "minimum_level", accountAgeDays = "account_age_days", memberDays = "member_days"
        }
    }

    public var prize: String
    public var winners: Int
    public var channelID: Snowflake
    /// When entries open; nil for now.
    public var startsAt: Double?
    public var endsAt: Double
    public var requirements: Requirements

    public static let maximumPrizeLength = 256
    /// Shorter giveaways end before members can see them.
    public static let minimumDurationSeconds: Double = 10

    public init(prize: String, winners: Int, channelID: Snowflake, startsAt: Double? = nil, endsAt: Double, requirements: Requirements = .init()) {
        self.prize = prize
        self.winners = winners
        self.channelID = channelID
        self.startsAt = startsAt
        self.endsAt = endsAt
        self.requirements = requirements
    }

    enum CodingKeys: String, CodingKey {
        case prize, winners, requirements
        case channelID = "channel_id", startsAt = "starts_at", endsAt = "ends_at"
    }

    /// Names the first thing wrong, against the plan's limits, `running` giveaways already
    /// in the guild, and the time `now`; nothing is stored when this throws. A limit the
    /// plan sets is `premium_required`-worthy: its error says which limit.
    public func validate(limits: TierLimits, running: Int, now: Double) throws {
        func fail(_ message: String) -> GuildhallError { GuildhallError(.invalidInput, "giveaway: \(message)") }
        func plan(_ message: String) -> GuildhallError { GuildhallError(.forbidden, "giveaway: \(message)") }
        let trimmed = prize.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !trimmed.isEmpty, prize.count <= Self.maximumPrizeLength else {
            throw fail("the prize must be 1 to \(Self.maximumPrizeLength) characters")
        }
        guard winners >= 1 else { throw fail("at least one winner") }
        guard winners <= limits.count(GiveawayPlan.winners) else { throw plan("this plan allows at most \(limits.count(GiveawayPlan.winners)) winners") }
        let start = startsAt ?? now
        guard startsAt == nil || start >= now else { throw fail("the start is in the past") }
        guard endsAt - start >= Self.minimumDurationSeconds else { throw fail("a giveaway lasts at least \(Int(Self.minimumDurationSeconds)) s") }
        guard endsAt - now <= Double(limits.count(GiveawayPlan.days)) * 86_400 else { throw plan("this plan allows giveaways of at most \(limits.count(GiveawayPlan.days)) days") }
        guard running < limits.count(GiveawayPlan.running) else { throw plan("this plan allows \(limits.count(GiveawayPlan.running)) giveaways at once") }
        if let level = requirements.minimumLevel, !(1...1_000).contains(level) { throw fail("the minimum level must be 1 to 1000") }
        if let days = requirements.accountAgeDays, !(1...3_650).contains(days) { throw fail("the account age must be 1 to 3650 days") }
        if let days = requirements.memberDays, !(1...3_650).contains(days) { throw fail("the time in the server must be 1 to 3650 days") }
    }
}
