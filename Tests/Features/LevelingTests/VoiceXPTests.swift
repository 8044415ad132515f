import Foundation
import GuildhallCore
import GuildhallDatabaseTestSupport
@testable import GuildhallLeveling
import GuildhallTestSupport
import Testing

@Suite("voice roster")
struct VoiceRosterTests {
    let guild = Snowflake(1)
    let lounge = Snowflake(10), stage = Snowflake(11), afk = Snowflake(12)
    let ada = Snowflake(100), bea = Snowflake(101), cy = Snowflake(102), dj = Snowflake(103)

    @Test("a member earns only unmuted and undeafened, with another human in the channel, outside the AFK channel")
    func earners() {
        var roster = VoiceRoster()
        roster.seed(guild: guild, afkChannel: afk, members: [ada: .init(channel: lounge)])
        #expect(roster.earners(in: guild).isEmpty, "alone in a channel")
        roster.update(guild: guild, user: dj, to: .init(channel: lounge, isBot: true))
        #expect(roster.earners(in: guild).isEmpty, "a bot is not company")
        roster.update(guild: guild, user: bea, to: .init(channel: lounge, muted: true))
        #expect(roster.earners(in: guild).map(\.user) == [ada], "a muted human is company but earns nothing")
        roster.update(guild: guild, user: bea, to: .init(channel: lounge, roles: [Snowflake(7)]))
        #expect(roster.earners(in: guild).map(\.user) == [ada, bea])
        #expect(roster.earners(in: guild).last?.roles == [Snowflake(7)])
        roster.update(guild: guild, user: ada, to: .init(channel: lounge, deafened: true))
        #expect(roster.earners(in: guild).map(\.user) == [bea])
        roster.update(guild: guild, user: ada, to: .init(channel: stage))
        #expect(roster.earners(in: guild).isEmpty, "split into two channels of one human each")
        roster.update(guild: guild, user: cy, to: .init(channel: afk))
        roster.update(guild: guild, user: ada, to: .init(channel: afk))
        #expect(roster.earners(in: guild).isEmpty, "the AFK channel never earns")
        #expect(roster.count == 4)
    }

    @Test("leaving voice, leaving the guild and losing the guild take members out; a new GUILD_CREATE replaces the list")
    func removals() {
        var roster = VoiceRoster()
        roster.seed(guild: guild, afkChannel: nil, members: [ada: .init(channel: lounge), bea: .init(channel: lounge), cy: .init(channel: lounge)])
        roster.update(guild: guild, user: ada, to: nil)
        #expect(roster.presence(of: ada, in: guild) == nil)
        roster.remove(user: bea, from: guild)
        #expect(roster.earners(in: guild).isEmpty)
        #expect(roster.guildIDs == [guild])
        roster.seed(guild: guild, afkChannel: nil, members: [:])
        #expect(roster.guildIDs.isEmpty && roster.count == 0)
        roster.seed(guild: guild, afkChannel: nil, members: [ada: .init(channel: lounge), bea: .init(channel: lounge)])
        roster.remove(guild: guild)
        #expect(roster.earners(in: guild).isEmpty && roster.guildIDs.isEmpty)
    }
}

/// Voice XP through `LevelingService` on both stacks: the plan, the rate, the cooldown that
/// keeps one minute from being paid twice, ignored channels and roles, multipliers, and
/// level-ups from voice.
@Suite("voice XP")
struct VoiceXPTests {
    static let lounge = Snowflake(7_101)
    static let ada = Snowflake(5_101)
    static let bea = Snowflake(5_102)

    static func earners(roles: [Snowflake] = [], channel: Snowflake = lounge) -> [VoiceRoster.Earner] {
        [.init(user: ada, channel: channel, roles: roles), .init(user: bea, channel: channel, roles: [])]
    }

    @Test("premium: switching voice XP on needs the plan; with it a minute pays the rate once; after a downgrade the rate is kept and not paid", arguments: LevelingFixture.Stack.allCases)
    func planAndRate(stack: LevelingFixture.Stack) async throws {
        let fixture = try await LevelingFixture.make(stack)
        let guild = try await fixture.guild()
        let owner = Snowflake(1_000)
        var config = LevelingConfig()
        config.voiceXPPerMinute = 12
        let refused = await #expect(throws: GuildhallError.self) {
            try await fixture.leveling.settings.save(config, guild: guild, actor: owner, access: .owner, requestID: nil)
        }
        #expect(refused?.code == .forbidden && refused?.message.contains("voice XP") == true)
        #expect(try await fixture.leveling.settings.config(for: guild).voiceXPPerMinute == 0, "nothing stored")
        #expect(try await fixture.leveling.awardVoiceMinute(guild: guild, earners: Self.earners(), cooldownMilliseconds: 50_000) == 0, "off: nobody paid")

        try await fixture.premium.grant(guild: guild, until: Date().addingTimeInterval(86_400))
        try await fixture.leveling.settings.save(config, guild: guild, actor: owner, access: .owner, requestID: nil)
        #expect(try await fixture.leveling.awardVoiceMinute(guild: guild, earners: Self.earners(), cooldownMilliseconds: 50_000) == 2)
        #expect(try await fixture.leveling.awards.total(of: Self.ada, in: guild) == 12)
        #expect(try await fixture.leveling.awardVoiceMinute(guild: guild, earners: Self.earners(), cooldownMilliseconds: 50_000) == 0,
                "a second tick inside the cooldown pays nobody")
        #expect(try await fixture.leveling.awards.total(of: Self.bea, in: guild) == 12)
        // Messages keep their own cooldown: a voice minute does not hold back a message.
        let message = try await fixture.leveling.handleMessage(guild: guild, channel: Snowflake(7_001), author: Self.ada, authorIsBot: false, roles: [])
        #expect(message?.awarded == true)

        _ = try await fixture.premium.revokeGrants(guild: guild)
        let fresh = LevelingService(settings: fixture.leveling.settings, awards: fixture.leveling.awards, queue: nil, logger: TestDatabase.quietLogger)
        #expect(try await fresh.awardVoiceMinute(guild: guild, earners: [.init(user: Snowflake(5_103), channel: Self.lounge, roles: [])],
                                                 cooldownMilliseconds: 1) == 0, "not paid after the downgrade")
        #expect(try await fixture.leveling.settings.config(for: guild).voiceXPPerMinute == 12, "kept, not deleted")
        config.cooldownSeconds = 30
        try await fixture.leveling.settings.save(config, guild: guild, actor: owner, access: .owner, requestID: nil)
        config.voiceXPPerMinute = 0
        try await fixture.leveling.settings.save(config, guild: guild, actor: owner, access: .owner, requestID: nil)
        #expect(try await fixture.leveling.settings.config(for: guild).voiceXPPerMinute == 0, "switching it off needs no plan")
        await fixture.close()
    }

    @Test("ignored channels and roles earn nothing in voice; multipliers apply; a voice level-up grants rewards without a same-channel post", arguments: LevelingFixture.Stack.allCases)
    func rulesAndLevelUps(stack: LevelingFixture.Stack) async throws {
        let fixture = try await LevelingFixture.make(stack)
        let guild = try await fixture.guild()
        try await fixture.premium.grant(guild: guild, until: Date().addingTimeInterval(86_400))
        let (muted, booster, reward, quiet) = (Snowflake(8_301), Snowflake(8_302), Snowflake(8_303), Snowflake(7_199))
        try await fixture.configure(guild) {
            $0.voiceXPPerMinute = 60
            $0.ignoredRoles = [muted]
            $0.ignoredChannels = [quiet]
            $0.multipliers = [.init(roleID: booster, percent: 200)]
            $0.rewards = [.init(level: 1, roleID: reward)]
            $0.announcement = .init(mode: .sameChannel)
        }
        #expect(try await fixture.leveling.awardVoiceMinute(guild: guild, earners: Self.earners(channel: quiet), cooldownMilliseconds: 100) == 0)
        #expect(try await fixture.leveling.awardVoiceMinute(guild: guild, earners: Self.earners(roles: [muted]), cooldownMilliseconds: 100) == 1)
        #expect(try await fixture.leveling.awards.total(of: Self.ada, in: guild) == 0)
        try await Task.sleep(for: .milliseconds(150))
        #expect(try await fixture.leveling.awardVoiceMinute(guild: guild, earners: Self.earners(roles: [booster]), cooldownMilliseconds: 100) == 2)
        #expect(try await fixture.leveling.awards.total(of: Self.ada, in: guild) == 120, "×2")
        #expect(try await fixture.leveling.awards.total(of: Self.bea, in: guild) == 120, "two minutes at 60")

        let discord = fixture.discord
        let granted = try await fixture.runJobs { discord.roles(of: Self.ada).contains(reward) && discord.roles(of: Self.bea).contains(reward) }
        #expect(granted, "the voice level-up granted the reward")
        #expect(discord.posts.isEmpty, "no text channel to announce in")
        #expect(fixture.logs.all.contains { $0.message.contains("voice level-up not announced") })

        try await fixture.configure(guild) { $0.announcement = .init(mode: .directMessage) }
        try await Task.sleep(for: .milliseconds(150))
        _ = try await fixture.leveling.adjust(Snowflake(5_104), in: guild, .set(90), actor: Snowflake(1_000), access: .owner, requestID: nil)
        #expect(try await fixture.leveling.awardVoiceMinute(guild: guild, earners: [.init(user: Snowflake(5_104), channel: Self.lounge, roles: [])],
                                                            cooldownMilliseconds: 100) == 1)
        let dm = try await fixture.runJobs { discord.directMessages.count == 1 }
        #expect(dm, "other modes announce voice level-ups")
        await fixture.close()
    }

    @Test("invalid input: a voice rate outside 0 to 100 is refused; a stored document without it reads as off")
    func invalidRate() throws {
        var config = LevelingConfig()
        config.voiceXPPerMinute = 101
        #expect(throws: GuildhallError.self) { try config.validate() }
        config.voiceXPPerMinute = -1
        #expect(throws: GuildhallError.self) { try config.validate() }
        var stored = LevelingConfig().encoded()
        stored = stored.replacingOccurrences(of: ",\"voice_xp_per_minute\":0", with: "")
        #expect(!stored.contains("voice"))
        #expect(LevelingConfig(encoded: stored)?.voiceXPPerMinute == 0)
    }
}
