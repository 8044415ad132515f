import Foundation
import GuildhallCore

/// Everything a guild configures about leveling, stored as one JSON document per guild and
/// served by the API in the same shape. Defaults are MEE6's.
public struct LevelingConfig: Sendable, Equatable, Codable {
    /// Where a level-up is announced.
    public enum AnnouncementMode: String, Sendable, Codable, CaseIterable {
        case off, sameChannel = "same_channel", directMessage = "dm", channel
    }

    /// Whether a member keeps every reward up to their level, or only the highest.
    public enum RewardMode: String, Sendable, Codable, CaseIterable {
        case stack, replace
    }

    public struct Announcement: Sendable, Equatable, Codable {
        public var mode: AnnouncementMode
        /// The fixed channel, for mode `channel`.
        public var channelID: Snowflake?
        /// Placeholders: {user} (a mention), {user.name}, {level}, {xp}, {server}.
        public var template: String

        public init(mode: AnnouncementMode = .sameChannel, channelID: Snowflake? = nil, template: String = LevelingConfig.defaultTemplate) {
            self.mode = mode
            self.channelID = channelID
            self.template = template
        }

        enum CodingKeys: String, CodingKey { case mode, channelID = "channel_id", template }
    }

    public struct Multiplier: Sendable, Equatable, Codable {
        public var roleID: Snowflake
        /// 150 is ×1.5.
        public var percent: Int

        public init(roleID: Snowflake, percent: Int) {
            self.roleID = roleID
            self.percent = percent
        }

        enum CodingKeys: String, CodingKey { case roleID = "role_id", percent }
    }

    public struct Reward: Sendable, Equatable, Codable {
        public var level: Int
        public var roleID: Snowflake

        public init(level: Int, roleID: Snowflake) {
            self.level = level
            self.roleID = roleID
        }

        enum CodingKeys: String, CodingKey { case level, roleID = "role_id" }
    }

    public var minimumXP: Int
    public var maximumXP: Int
    public var cooldownSeconds: Int
    public var ignoredChannels: [Snowflake]
    public var ignoredRoles: [Snowflake]
    /// Premium: kept on a downgrade, applied only while the plan allows it.
    public var multipliers: [Multiplier]
    public var announcement: Announcement
    public var rewards: [Reward]
    public var rewardMode: RewardMode
    /// Whether `/leaderboard/{guild_id}` is visible to anyone.
    public var publicLeaderboard: Bool
    /// Premium: XP for each minute a member spends unmuted and undeafened in a voice channel
    /// with at least one other human; 0 switches voice XP off. Kept on a downgrade, paid
    /// only while the plan allows it.
    public var voiceXPPerMinute: Int

    public static let defaultTemplate = "GG {user}, you just reached level {level}!"
    public static let maximumTemplateLength = 1_000
    public static let maximumRewards = 100
    public static let maximumVoiceXPPerMinute = 100

    public init(
        minimumXP: Int = 15, maximumXP: Int = 25, cooldownSeconds: Int = 60, ignoredChannels: [Snowflake] = [], ignoredRoles: [Snowflake] = [],
        multipliers: [Multiplier] = [], announcement: Announcement = Announcement(), rewards: [Reward] = [], rewardMode: RewardMode = .stack,
        publicLeaderboard: Bool = false, voiceXPPerMinute: Int = 0
    ) {
        self.minimumXP = minimumXP
        self.maximumXP = maximumXP
        self.cooldownSeconds = cooldownSeconds
        self.ignoredChannels = ignoredChannels
        self.ignoredRoles = ignoredRoles
        self.multipliers = multipliers
        self.announcement = announcement
        self.rewards = rewards
        self.rewardMode = rewardMode
        self.publicLeaderboard = publicLeaderboard
        self.voiceXPPerMinute = voiceXPPerMinute
    }

    enum CodingKeys: String, CodingKey {
        case minimumXP = "xp_min", maximumXP = "xp_max", cooldownSeconds = "cooldown_seconds", ignoredChannels = "ignored_channels",
             ignoredRoles = "ignored_roles", multipliers, announcement, rewards, rewardMode = "reward_mode", publicLeaderboard = "public_leaderboard",
             voiceXPPerMinute = "voice_xp_per_minute"
    }

    /// Every field is required except `voice_xp_per_minute`, which came later: documents
    /// stored before it read as voice XP off.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        minimumXP = try container.decode(Int.self, forKey: .minimumXP)
        maximumXP = try container.decode(Int.self, forKey: .maximumXP)
        cooldownSeconds = try container.decode(Int.self, forKey: .cooldownSeconds)
        ignoredChannels = try container.decode([Snowflake].self, forKey: .ignoredChannels)
        ignoredRoles = try container.decode([Snowflake].self, forKey: .ignoredRoles)
        multipliers = try container.decode([Multiplier].self, forKey: .multipliers)
        announcement = try container.decode(Announcement.self, forKey: .announcement)
        rewards = try container.decode([Reward].self, forKey: .rewards)
        rewardMode = try container.decode(RewardMode.self, forKey: .rewardMode)
        publicLeaderboard = try container.decode(Bool.self, forKey: .publicLeaderboard)
        voiceXPPerMinute = try container.decodeIfPresent(Int.self, forKey: .voiceXPPerMinute) ?? 0
    }

    /// The message rules this configuration gives.
    public var rules: LevelingRules {
        LevelingRules(
            minimumXP: minimumXP, maximumXP: maximumXP, cooldownSeconds: cooldownSeconds, ignoredChannels: Set(ignoredChannels),
            ignoredRoles: Set(ignoredRoles),
            roleMultipliers: Dictionary(multipliers.map { ($0.roleID, Double($0.percent) / 100) }, uniquingKeysWith: max)
        )
    }

    /// Rewards sorted by level, then role.
    public var sortedRewards: [Reward] {
        rewards.sorted { ($0.level, $0.roleID) < ($1.level, $1.roleID) }
    }

    /// Names the first setting that cannot work; nothing is stored when this throws.
    public func validate() throws {
        func fail(_ message: String) -> GuildhallError { GuildhallError(.invalidInput, "leveling: \(message)") }
        try rules.validate()
        guard multipliers.allSatisfy({ (10...1_000).contains($0.percent) }) else { throw fail("a multiplier's percent must be 10 to 1000") }
        guard Set(multipliers.map(\.roleID)).count == multipliers.count else { throw fail("a role has two multipliers") }
        let template = announcement.template.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !template.isEmpty, announcement.template.count <= Self.maximumTemplateLength else {
            throw fail("the announcement template must be 1 to \(Self.maximumTemplateLength) characters")
        }
        if announcement.mode == .channel, announcement.channelID == nil {
            throw fail("announcements to a fixed channel need channel_id")
        }
        guard rewards.count <= Self.maximumRewards else { throw fail("at most \(Self.maximumRewards) role rewards") }
        guard rewards.allSatisfy({ (1...1_000).contains($0.level) }) else { throw fail("a reward's level must be 1 to 1000") }
        guard Set(rewards.map(\.roleID)).count == rewards.count else { throw fail("a role is the reward for two levels") }
        guard (0...Self.maximumVoiceXPPerMinute).contains(voiceXPPerMinute) else {
            throw fail("voice_xp_per_minute must be 0 (off) to \(Self.maximumVoiceXPPerMinute)")
        }
    }

    // MARK: Stored form

    public func encoded() -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return String(decoding: try! encoder.encode(self), as: UTF8.self)
    }

    /// Parses the stored form; nil when it is not a valid configuration (a corrupted entry).
    public init?(encoded: String) {
        guard let value = try? JSONDecoder().decode(LevelingConfig.self, from: Data(encoded.utf8)), (try? value.validate()) != nil else { return nil }
        self = value
    }
}
