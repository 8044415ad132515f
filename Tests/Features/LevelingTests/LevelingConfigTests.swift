import Foundation
import GuildhallCore
@testable import GuildhallLeveling
import Testing

/// The pure parts of leveling: the stored configuration, announcement templates and the
/// reward-role plan.
@Suite("leveling configuration, templates and rewards")
struct LevelingConfigTests {
    @Test("the defaults are MEE6's, and the stored form round-trips")
    func defaultsAndStoredForm() throws {
        let config = LevelingConfig()
        #expect(config.rules == LevelingRules())
        #expect(config.announcement.mode == .sameChannel && config.rewardMode == .stack && !config.publicLeaderboard)
        var custom = config
        custom.multipliers = [.init(roleID: Snowflake(3), percent: 150)]
        custom.rewards = [.init(level: 5, roleID: Snowflake(9)), .init(level: 1, roleID: Snowflake(8))]
        custom.announcement = .init(mode: .channel, channelID: Snowflake(77), template: "gg {user}")
        let text = custom.encoded()
        #expect(text.contains("\"xp_min\":15") && text.contains("\"channel_id\":\"77\"") && text.contains("\"reward_mode\":\"stack\""))
        #expect(LevelingConfig(encoded: text) == custom)
        #expect(custom.rules.roleMultipliers == [Snowflake(3): 1.5])
        #expect(custom.sortedRewards.map(\.level) == [1, 5])
        #expect(LevelingConfig(encoded: "{not json") == nil)
        #expect(LevelingConfig(encoded: #"{"xp_min":50,"xp_max":10}"#) == nil, "a stored value that does not validate reads as corrupted")
    }

    @Test("templates fill every placeholder and leave unknown ones as written")
    func templates() {
        let values = LevelUpAnnouncement.Values(user: Snowflake(12), userName: "Ada", level: 4, xp: 1_234, serverName: "Hall")
        #expect(LevelUpAnnouncement.render("{user} / {user.name} / {level} / {xp} / {server} / {unknown}", values) == "<@12> / Ada / 4 / 1234 / Hall / {unknown}")
        #expect(LevelUpAnnouncement.render(LevelingConfig.defaultTemplate, values) == "GG <@12>, you just reached level 4!")
        let sly = LevelUpAnnouncement.Values(user: Snowflake(12), userName: "{level}{server}", level: 4, xp: 1, serverName: "Hall")
        #expect(LevelUpAnnouncement.render("{user.name} reached {level} {", sly) == "{level}{server} reached 4 {", "a name is inserted as written")
    }

    @Test("stacked rewards give every role reached; replaced rewards keep only the highest; other roles are never touched")
    func rewardPlans() {
        let rewards: [LevelingConfig.Reward] = [.init(level: 1, roleID: Snowflake(101)), .init(level: 5, roleID: Snowflake(105)), .init(level: 10, roleID: Snowflake(110))]
        let unrelated = Snowflake(999)
        let stacked = RoleRewardPlan.plan(rewards: rewards, mode: .stack, level: 10, currentRoles: [unrelated, Snowflake(105)])
        #expect(stacked == RoleRewardPlan(add: [Snowflake(101), Snowflake(110)], remove: []))
        let replaced = RoleRewardPlan.plan(rewards: rewards, mode: .replace, level: 7, currentRoles: [unrelated, Snowflake(101), Snowflake(110)])
        #expect(replaced == RoleRewardPlan(add: [Snowflake(105)], remove: [Snowflake(101), Snowflake(110)]))
        let reset = RoleRewardPlan.plan(rewards: rewards, mode: .stack, level: 0, currentRoles: [unrelated, Snowflake(101)])
        #expect(reset == RoleRewardPlan(add: [], remove: [Snowflake(101)]))
        #expect(RoleRewardPlan.plan(rewards: [], mode: .replace, level: 3, currentRoles: [unrelated]).isEmpty)
    }

    @Test("validation names the broken setting")
    func validation() {
        func message(_ change: (inout LevelingConfig) -> Void) -> String? {
            var config = LevelingConfig()
            change(&config)
            do {
                try config.validate()
                return nil
            } catch let error as GuildhallError {
                return error.message
            } catch {
                return "\(error)"
            }
        }
        #expect(message { _ in } == nil)
        #expect(message { $0.minimumXP = 0 }?.contains("XP per message") == true)
        #expect(message { $0.multipliers = [.init(roleID: Snowflake(1), percent: 100), .init(roleID: Snowflake(1), percent: 120)] }?.contains("two multipliers") == true)
        #expect(message { $0.announcement.template = String(repeating: "x", count: 1_001) }?.contains("template") == true)
        #expect(message { $0.rewards = (1...101).map { .init(level: $0, roleID: Snowflake(UInt64($0))) } }?.contains("at most 100") == true)
        #expect(message { $0.rewards = [.init(level: 2_000, roleID: Snowflake(1))] }?.contains("level must be") == true)
    }
}
