/// The plans a guild can be on.
public enum PremiumTier: String, Sendable, Codable, CaseIterable, Comparable {
    case free, premium

    public static func < (lhs: PremiumTier, rhs: PremiumTier) -> Bool {
        allCases.firstIndex(of: lhs)! < allCases.firstIndex(of: rhs)!
    }
}

/// What a plan allows. One table that every feature reads, at the API and again where the
/// effect happens; nothing else decides a limit.
public struct TierLimits: Sendable, Equatable, Codable {
    /// Giveaways running at once in a guild.
    public var runningGiveaways: Int
    public var giveawayWinners: Int
    public var giveawayDays: Int
    /// Leveling: XP multipliers by role, and XP for time in voice.
    public var roleMultipliers: Bool
    public var voiceXP: Bool
    /// Reminders and scheduled messages waiting at once.
    public var scheduledMessages: Int
    /// The per-guild AI assistant module.
    public var aiAssistant: Bool

    enum CodingKeys: String, CodingKey {
        case runningGiveaways = "running_giveaways", giveawayWinners = "giveaway_winners", giveawayDays = "giveaway_days"
        case roleMultipliers = "role_multipliers", voiceXP = "voice_xp", scheduledMessages = "scheduled_messages", aiAssistant = "ai_assistant"
    }

    public static func of(_ tier: PremiumTier) -> TierLimits {
        switch tier {
        case .free:
            TierLimits(
                runningGiveaways: 10, giveawayWinners: 20, giveawayDays: 14, roleMultipliers: false, voiceXP: false,
                scheduledMessages: 25, aiAssistant: false
            )
        case .premium:
            TierLimits(
                runningGiveaways: 100, giveawayWinners: 50, giveawayDays: 60, roleMultipliers: true, voiceXP: true,
                scheduledMessages: 500, aiAssistant: true
            )
        }
    }
}

/// A capability only some plans have; refused checks are logged with its name.
public enum PremiumFeature: String, Sendable, CaseIterable {
    case aiAssistant = "ai_assistant"
    case roleMultipliers = "role_multipliers"
    case voiceXP = "voice_xp"

    /// How people read it.
    public var title: String {
        switch self {
        case .aiAssistant: "the AI assistant"
        case .roleMultipliers: "role XP multipliers"
        case .voiceXP: "voice XP"
        }
    }

    public func isAllowed(by limits: TierLimits) -> Bool {
        switch self {
        case .aiAssistant: limits.aiAssistant
        case .roleMultipliers: limits.roleMultipliers
        case .voiceXP: limits.voiceXP
        }
    }
}
