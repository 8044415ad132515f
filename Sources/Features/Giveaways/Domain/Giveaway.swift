import Foundation
import GuildhallCore
import GuildhallPremium

/// One giveaway as stored. Times are milliseconds since 1970 (UTC).
public struct Giveaway: Sendable, Equatable {
    public var id: Int64
    public var guild: Snowflake
    public var channel: Snowflake
    /// The giveaway message; nil until it is posted (a scheduled start posts it later).
    public var message: Snowflake?
    public var prize: String
    public var winnerCount: Int
    /// The plan it was made under; its limits hold until the end, whatever happens to the plan.
    public var tier: PremiumTier
    public var requirements: GiveawayDraft.Requirements
    public var status: GiveawayStatus
    public var startsAt: Int64?
    public var endsAt: Int64
    public var createdBy: Snowflake
    public var createdAt: Int64
    public var endedAt: Int64?
    public var endClaim: String?
    /// The winners of the ending; nil until drawn, [] when nobody could win.
    public var winners: [Snowflake]?
    /// The "congratulations" message, once posted.
    public var announcement: Snowflake?
    public var rerolls: Int
    /// Everyone rerolls picked, in order; earlier winners never win again.
    public var rerollWinners: [Snowflake]

    public init(
        id: Int64, guild: Snowflake, channel: Snowflake, message: Snowflake? = nil, prize: String, winnerCount: Int, tier: PremiumTier,
        requirements: GiveawayDraft.Requirements, status: GiveawayStatus, startsAt: Int64? = nil, endsAt: Int64, createdBy: Snowflake,
        createdAt: Int64, endedAt: Int64? = nil, endClaim: String? = nil, winners: [Snowflake]? = nil, announcement: Snowflake? = nil,
        rerolls: Int = 0, rerollWinners: [Snowflake] = []
    ) {
        self.id = id
        self.guild = guild
        self.channel = channel
        self.message = message
        self.prize = prize
        self.winnerCount = winnerCount
        self.tier = tier
        self.requirements = requirements
        self.status = status
        self.startsAt = startsAt
        self.endsAt = endsAt
        self.createdBy = createdBy
        self.createdAt = createdAt
        self.endedAt = endedAt
        self.endClaim = endClaim
        self.winners = winners
        self.announcement = announcement
        self.rerolls = rerolls
        self.rerollWinners = rerollWinners
    }

    /// Everyone who has won it so far: the ending's winners and every reroll's.
    public var everyWinner: Set<Snowflake> { Set(winners ?? []).union(rerollWinners) }

    /// The schedule keys of its jobs, so ending early or cancelling can stop them.
    public var endScheduleKey: String { "giveaway-\(id)-end" }
    public var startScheduleKey: String { "giveaway-\(id)-start" }
}
