import GuildhallCore
@testable import GuildhallLeveling
import Testing

@Suite("leveling rules")
struct LevelingRulesTests {
    @Test("MEE6's curve: 5n² + 50n + 100 XP from level n to n + 1")
    func curve() {
        #expect((0..<4).map(LevelingRules.xpToNextLevel(from:)) == [100, 155, 220, 295])
        #expect((0...4).map(LevelingRules.totalXP(forLevel:)) == [0, 100, 255, 475, 770])
        #expect(LevelingRules.level(forTotalXP: 0) == 0 && LevelingRules.level(forTotalXP: 99) == 0)
        #expect(LevelingRules.level(forTotalXP: 100) == 1 && LevelingRules.level(forTotalXP: 254) == 1 && LevelingRules.level(forTotalXP: 255) == 2)
        for level in 0..<60 {
            #expect(LevelingRules.level(forTotalXP: LevelingRules.totalXP(forLevel: level)) == level)
        }
    }

    @Test("no XP for bots, in ignored channels or for ignored roles")
    func eligibility() {
        let rules = LevelingRules(ignoredChannels: [Snowflake(10)], ignoredRoles: [Snowflake(20)])
        #expect(rules.isEligible(authorIsBot: false, channel: Snowflake(11), roles: [Snowflake(21)]))
        #expect(!rules.isEligible(authorIsBot: true, channel: Snowflake(11), roles: []))
        #expect(!rules.isEligible(authorIsBot: false, channel: Snowflake(10), roles: []))
        #expect(!rules.isEligible(authorIsBot: false, channel: Snowflake(11), roles: [Snowflake(21), Snowflake(20)]))
    }

    @Test("XP per message stays in the range; the highest role multiplier applies, and only with premium")
    func awards() {
        let rules = LevelingRules(roleMultipliers: [Snowflake(1): 1.5, Snowflake(2): 3])
        var generator = SystemRandomNumberGenerator()
        let plain = (0..<500).map { _ in rules.xpForMessage(multiplier: 1, using: &generator) }
        #expect(plain.allSatisfy { (15...25).contains($0) } && Set(plain).count > 5)
        #expect(rules.multiplier(roles: [Snowflake(1), Snowflake(2)], premium: true) == 3)
        #expect(rules.multiplier(roles: [Snowflake(1), Snowflake(2)], premium: false) == 1)
        #expect(rules.multiplier(roles: [Snowflake(9)], premium: true) == 1)
        #expect((0..<100).map { _ in rules.xpForMessage(multiplier: 3, using: &generator) }.allSatisfy { (45...75).contains($0) })
        #expect(LevelingRules(minimumXP: 1, maximumXP: 1).xpForMessage(multiplier: 0.1, using: &generator) == 1, "at least 1 XP")
    }

    @Test("bad rules are refused with a message naming what is wrong", arguments: [
        LevelingRules(minimumXP: 0), LevelingRules(minimumXP: 30, maximumXP: 20), LevelingRules(maximumXP: 1_001),
        LevelingRules(cooldownSeconds: -1), LevelingRules(cooldownSeconds: 3_601), LevelingRules(roleMultipliers: [Snowflake(1): 11]),
        LevelingRules(ignoredRoles: Set((1...251).map { Snowflake(UInt64($0)) })),
    ])
    func validation(rules: LevelingRules) {
        #expect(throws: GuildhallError.self) { try rules.validate() }
    }

    @Test("the defaults are valid")
    func defaults() throws {
        try LevelingRules().validate()
        #expect(LevelingKeys.all.map(\.pattern) == [
            "bot:{<guildId>}:leveling:xp:<user>", "bot:{<guildId>}:leveling:cooldown:<user>", "bot:{<guildId>}:leveling:voice:<user>",
            "bot:{<guildId>}:leveling:ready",
            "bot:{<guildId>}:leveling:dirty", "bot:{<guildId>}:leveling:flushing", "bot:{<guildId>}:leveling:config",
            "bot:{<guildId>}:leveling:name:<user>",
        ])
        #expect(LevelingKeys.cooldown.ttl == .seconds(3_600) && LevelingKeys.config.ttl == .seconds(600) && LevelingKeys.dirty.ttl == nil)
        #expect(LevelingKeys.voiceCooldown.ttl == .seconds(60))
    }
}
