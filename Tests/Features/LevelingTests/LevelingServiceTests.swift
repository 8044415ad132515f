import Foundation
import GuildhallBackends
import GuildhallCore
import GuildhallDatabaseTestSupport
import GuildhallJobs
import GuildhallGuildSettings
import FluentKit
@testable import GuildhallLeveling
import GuildhallPremium
import GuildhallStorage
import GuildhallTestSupport
import SQLKit
import Testing

/// LevelingService on both stacks, through the protocol's test types: happy path,
/// permission denied, invalid input, Redis and database failures, worker and Discord
/// failures, premium expiry, cross-guild isolation, concurrency and duplicate execution.
@Suite("leveling service")
struct LevelingServiceTests {
    static let member = Snowflake(5_001)
    static let channel = Snowflake(7_001)

    @Test("happy path: a message reaches level 1, the job announces it and grants the reward; the write-behind makes it durable", arguments: LevelingFixture.Stack.allCases)
    func happyPath(stack: LevelingFixture.Stack) async throws {
        let fixture = try await LevelingFixture.make(stack)
        let guild = try await fixture.guild()
        let (reward1, reward5) = (Snowflake(8_001), Snowflake(8_005))
        try await fixture.configure(guild) {
            $0.minimumXP = 100
            $0.maximumXP = 100
            $0.announcement = .init(mode: .sameChannel, template: "{user} ({user.name}) hit {level} with {xp} XP in {server}")
            $0.rewards = [.init(level: 1, roleID: reward1), .init(level: 5, roleID: reward5)]
        }
        let award = try #require(try await fixture.leveling.handleMessage(guild: guild, channel: Self.channel, author: Self.member, authorIsBot: false, roles: []))
        #expect(award.awarded && award.total == 100 && award.levelBefore == 0 && award.levelAfter == 1)
        let again = try #require(try await fixture.leveling.handleMessage(guild: guild, channel: Self.channel, author: Self.member, authorIsBot: false, roles: []))
        #expect(!again.awarded && again.total == 100, "the cooldown holds the second message")

        let discord = fixture.discord
        let done = try await fixture.runJobs { discord.posts.count == 1 && discord.roles(of: Self.member).contains(reward1) }
        #expect(done)
        #expect(discord.posts.first?.channel == Self.channel)
        #expect(discord.posts.first?.content == "<@\(Self.member)> (member\(Self.member)) hit 1 with 100 XP in Guild \(guild)")
        #expect(discord.roles(of: Self.member) == [reward1], "level 5's reward is not reached")

        #expect(try await fixture.leveling.flush(guild) == 1)
        #expect(try await fixture.leveling.store.total(of: Self.member, guild: guild) == 100)
        #expect(try await fixture.leveling.flush(guild) == 0, "nothing changed since")
        let board = try await fixture.leveling.store.leaderboard(guild: guild, offset: 0, limit: 10)
        #expect(board == [LeaderboardEntry(rank: 1, userID: Self.member, xp: 100, level: 1)])
        let card = try await fixture.leveling.rankCard(Self.member, in: guild)
        #expect(card.rank == 1 && card.ranked == 1 && card.level == 1 && card.progress == 0 && card.needed == 155)
        #expect(!fixture.logs.with(message: "level-up announced").isEmpty)
        await fixture.close()
    }

    @Test("bots, ignored channels and ignored roles earn nothing", arguments: [LevelingFixture.Stack.embedded])
    func ineligible(stack: LevelingFixture.Stack) async throws {
        let fixture = try await LevelingFixture.make(stack)
        let guild = try await fixture.guild()
        let (ignoredChannel, ignoredRole) = (Snowflake(9_001), Snowflake(9_002))
        try await fixture.configure(guild) {
            $0.ignoredChannels = [ignoredChannel]
            $0.ignoredRoles = [ignoredRole]
        }
        let leveling = fixture.leveling
        #expect(try await leveling.handleMessage(guild: guild, channel: Self.channel, author: Self.member, authorIsBot: true, roles: []) == nil)
        #expect(try await leveling.handleMessage(guild: guild, channel: ignoredChannel, author: Self.member, authorIsBot: false, roles: []) == nil)
        #expect(try await leveling.handleMessage(guild: guild, channel: Self.channel, author: Self.member, authorIsBot: false, roles: [ignoredRole]) == nil)
        #expect(try await leveling.rankCard(Self.member, in: guild).xp == 0)
        await fixture.close()
    }

    @Test("permission denied: viewers and strangers change neither XP nor settings", arguments: LevelingFixture.Stack.allCases)
    func permissionDenied(stack: LevelingFixture.Stack) async throws {
        let fixture = try await LevelingFixture.make(stack)
        let guild = try await fixture.guild()
        let leveling = fixture.leveling
        _ = try await leveling.adjust(Self.member, in: guild, .set(300), actor: Snowflake(1_000), access: .owner, requestID: "r1")
        for access in [GuildAccess.grant(.viewer), .none] {
            await #expect(throws: GuildhallError.self) {
                try await leveling.adjust(Self.member, in: guild, .set(0), actor: Snowflake(2), access: access, requestID: nil)
            }
            await #expect(throws: GuildhallError.self) { try await leveling.resetAll(guild: guild, actor: Snowflake(2), access: access, requestID: nil) }
            await #expect(throws: GuildhallError.self) { try await leveling.restore(guild: guild, actor: Snowflake(2), access: access, requestID: nil) }
            await #expect(throws: GuildhallError.self) {
                try await leveling.settings.save(LevelingConfig(minimumXP: 1, maximumXP: 1), guild: guild, actor: Snowflake(2), access: access, requestID: nil)
            }
        }
        #expect(try await leveling.awards.total(of: Self.member, in: guild) == 300)
        #expect(try await leveling.settings.config(for: guild) == LevelingConfig())
        #expect(fixture.logs.with(message: "leveling change refused").count == 6)
        #expect(fixture.logs.with(message: "leveling settings change refused").count == 2)
        let audit = try await AuditLogRecord.query(on: fixture.database.database).filter(\.$guildID == guild.databaseValue).all().map(\.action)
        #expect(audit.filter { $0.hasPrefix("leveling.") } == ["leveling.xp"], "only the owner's change is audited")
        await fixture.close()
    }

    @Test("invalid settings are refused with the reason and change nothing", arguments: [LevelingFixture.Stack.embedded])
    func invalidInput(stack: LevelingFixture.Stack) async throws {
        let fixture = try await LevelingFixture.make(stack)
        let guild = try await fixture.guild()
        try await fixture.configure(guild) { $0.cooldownSeconds = 30 }
        let bad: [(LevelingConfig) -> LevelingConfig] = [
            { var c = $0; c.minimumXP = 30; c.maximumXP = 10; return c },
            { var c = $0; c.cooldownSeconds = 5_000; return c },
            { var c = $0; c.announcement = .init(mode: .channel, channelID: nil); return c },
            { var c = $0; c.announcement.template = "   "; return c },
            { var c = $0; c.rewards = [.init(level: 0, roleID: Snowflake(1))]; return c },
            { var c = $0; c.rewards = [.init(level: 1, roleID: Snowflake(1)), .init(level: 2, roleID: Snowflake(1))]; return c },
            { var c = $0; c.multipliers = [.init(roleID: Snowflake(1), percent: 5)]; return c },
        ]
        let current = try await fixture.leveling.settings.config(for: guild)
        for make in bad {
            await #expect(throws: GuildhallError.self) {
                try await fixture.leveling.settings.save(make(current), guild: guild, actor: Snowflake(1_000), access: .owner, requestID: nil)
            }
        }
        #expect(try await fixture.leveling.store.config(guild: guild)?.config.cooldownSeconds == 30)
        await #expect(throws: GuildhallError.self) {
            try await fixture.leveling.adjust(Self.member, in: guild, .set(-5), actor: Snowflake(1_000), access: .owner, requestID: nil)
        }
        await fixture.close()
    }

    @Test("Redis loses its data: the next message rebuilds the guild from the database and keeps counting from the durable total", arguments: LevelingFixture.Stack.allCases)
    func rebuildAfterCacheLoss(stack: LevelingFixture.Stack) async throws {
        let fixture = try await LevelingFixture.make(stack)
        let guild = try await fixture.guild()
        try await fixture.configure(guild) { $0.cooldownSeconds = 0; $0.minimumXP = 10; $0.maximumXP = 10 }
        let others = (1...30).map { Snowflake(UInt64(6_000 + $0)) }
        for user in others { _ = try await fixture.leveling.adjust(user, in: guild, .set(Int64(user.rawValue - 6_000) * 10), actor: Snowflake(1_000), access: .owner, requestID: nil) }
        _ = try await fixture.leveling.handleMessage(guild: guild, channel: Self.channel, author: Self.member, authorIsBot: false, roles: [])
        try await fixture.leveling.flush(guild)
        // A message counted after the last flush is what a loss may take.
        _ = try await fixture.leveling.handleMessage(guild: guild, channel: Self.channel, author: Self.member, authorIsBot: false, roles: [])
        try await fixture.loseCache(guild, users: others + [Self.member])
        #expect(try await fixture.leveling.awards.isLoaded(guild) == false)

        let award = try #require(try await fixture.leveling.handleMessage(guild: guild, channel: Self.channel, author: Self.member, authorIsBot: false, roles: []))
        #expect(award.total == 20, "10 durable + 10 new; the unflushed 10 was inside the window")
        #expect(try await fixture.leveling.awards.total(of: others[29], in: guild) == 300)
        #expect(fixture.logs.with(message: "XP totals rebuilt from the database").last?.metadata["members"] == "31")
        await fixture.close()
    }

    @Test("Redis down: the award fails with an error and nothing is half-done; after a restart totals rebuild from the database")
    func redisFailure() async throws {
        let server = try await RedisServerProcess.start()
        let fixture = try await LevelingFixture.make(.postgresRedis, redisURL: server.url)
        let guild = try await fixture.guild()
        _ = try await fixture.leveling.adjust(Self.member, in: guild, .set(250), actor: Snowflake(1_000), access: .owner, requestID: nil)
        try await fixture.leveling.flush(guild)
        server.kill()
        await #expect(throws: (any Error).self) {
            try await fixture.leveling.handleMessage(guild: guild, channel: Self.channel, author: Self.member, authorIsBot: false, roles: [])
        }
        try await server.restart()
        let recovered = await waitUntil(timeout: .seconds(15)) {
            try await fixture.leveling.handleMessage(guild: guild, channel: Self.channel, author: Self.member, authorIsBot: false, roles: []) != nil
        }
        #expect(recovered)
        let total = try await fixture.leveling.awards.total(of: Self.member, in: guild)
        #expect((265...275).contains(total), "250 durable + one message, got \(total)")
        await fixture.close()
        server.stop()
    }

    @Test("database failure: the write-behind keeps its batch in the cache and writes it once the database answers")
    func databaseFailure() async throws {
        let fixture = try await LevelingFixture.make(.embedded)
        let guild = try await fixture.guild()
        _ = try await fixture.leveling.adjust(Self.member, in: guild, .set(42), actor: Snowflake(1_000), access: .owner, requestID: nil)
        let sql = fixture.database.database as! any SQLDatabase
        try await sql.raw("ALTER TABLE leveling_members RENAME TO leveling_members_away").run()
        await #expect(throws: GuildhallError.self) { try await fixture.leveling.flush(guild) }
        #expect(try await fixture.leveling.flushAll() == 0)
        #expect(!fixture.logs.with(message: "XP write-behind failed; retrying next pass").isEmpty)
        try await sql.raw("ALTER TABLE leveling_members_away RENAME TO leveling_members").run()
        #expect(try await fixture.leveling.flushAll() == 1)
        #expect(try await fixture.leveling.store.total(of: Self.member, guild: guild) == 42)
        await fixture.close()
    }

    @Test("Discord failing while announcing: the job is retried and the announcement is posted once; a refused reward role is skipped", arguments: [LevelingFixture.Stack.postgresRedis])
    func discordFailure(stack: LevelingFixture.Stack) async throws {
        let fixture = try await LevelingFixture.make(stack)
        let guild = try await fixture.guild()
        let (allowed, refused) = (Snowflake(8_101), Snowflake(8_102))
        try await fixture.configure(guild) {
            $0.minimumXP = 100
            $0.maximumXP = 100
            $0.rewards = [.init(level: 1, roleID: allowed), .init(level: 1, roleID: refused)]
        }
        fixture.discord.state.withLock {
            $0.failingPosts = 1
            $0.refusedRoles = [refused]
        }
        _ = try await fixture.leveling.handleMessage(guild: guild, channel: Self.channel, author: Self.member, authorIsBot: false, roles: [])
        let discord = fixture.discord
        let done = try await fixture.runJobs { discord.posts.count == 1 && discord.roles(of: Self.member).contains(allowed) }
        #expect(done)
        try await Task.sleep(for: .milliseconds(300))
        #expect(discord.posts.count == 1)
        #expect(discord.roles(of: Self.member) == [allowed])
        #expect(!fixture.logs.with(message: "reward role refused by Discord (role above the bot's, or missing Manage Roles)").isEmpty)
        await fixture.close()
    }

    @Test("duplicate execution: one level-up enqueued twice runs once; the same announcement claimed twice posts once; a batch written twice is the same", arguments: LevelingFixture.Stack.allCases)
    func duplicates(stack: LevelingFixture.Stack) async throws {
        let fixture = try await LevelingFixture.make(stack)
        let guild = try await fixture.guild()
        let award = XPAward(awarded: true, total: 120, levelBefore: 0, levelAfter: 1)
        _ = try await fixture.leveling.adjust(Self.member, in: guild, .set(120), actor: Snowflake(1_000), access: .owner, requestID: nil)
        try await fixture.leveling.enqueueLevelUp(user: Self.member, channel: Self.channel, award: award, guild: guild)
        try await fixture.leveling.enqueueLevelUp(user: Self.member, channel: Self.channel, award: award, guild: guild)
        // A second job for the same award under another key (a replayed dead letter, say).
        _ = try await fixture.jobs.queue.enqueue(LevelingJobs.levelUp, .init(user: Self.member, channel: Self.channel, level: 1, xp: 120), guild: guild)
        let discord = fixture.discord
        let ran = try await fixture.runJobs { (try? await fixture.jobs.driver.stats().total) == 0 && discord.posts.count >= 1 }
        #expect(ran)
        #expect(discord.posts.count == 1)
        try await fixture.leveling.flush(guild)
        try await fixture.leveling.store.write([(Self.member, 120)], guild: guild)
        try await fixture.leveling.store.write([(Self.member, 120)], guild: guild)
        #expect(try await fixture.leveling.store.leaderboard(guild: guild, offset: 0, limit: 10).count == 1)
        await fixture.close()
    }

    @Test("premium expired: multipliers need the plan to be saved; a downgrade keeps them stored and stops applying them", arguments: [LevelingFixture.Stack.embedded])
    func premiumMultipliers(stack: LevelingFixture.Stack) async throws {
        let fixture = try await LevelingFixture.make(stack)
        let guild = try await fixture.guild()
        let booster = Snowflake(8_201)
        var config = LevelingConfig(minimumXP: 100, maximumXP: 100, cooldownSeconds: 0)
        config.multipliers = [.init(roleID: booster, percent: 200)]
        await #expect(throws: GuildhallError.self) {
            try await fixture.leveling.settings.save(config, guild: guild, actor: Snowflake(1_000), access: .owner, requestID: nil)
        }
        try await fixture.premium.grant(guild: guild, until: Date().addingTimeInterval(86_400))
        try await fixture.leveling.settings.save(config, guild: guild, actor: Snowflake(1_000), access: .owner, requestID: nil)
        let boosted = try await fixture.leveling.handleMessage(guild: guild, channel: Self.channel, author: Self.member, authorIsBot: false, roles: [booster])
        #expect(boosted?.total == 200)

        _ = try await fixture.premium.revokeGrants(guild: guild)
        // A new process (no 30 s memo) sees the downgrade at once.
        let fresh = LevelingService(settings: fixture.leveling.settings, awards: fixture.leveling.awards, queue: nil, logger: TestDatabase.quietLogger)
        let plain = try await fresh.handleMessage(guild: guild, channel: Self.channel, author: Self.member, authorIsBot: false, roles: [booster])
        #expect(plain?.total == 300, "×1 after the downgrade")
        #expect(try await fixture.leveling.settings.config(for: guild).multipliers == config.multipliers, "kept, not deleted")
        // Saving other settings keeps the unchanged multipliers without the plan.
        var edited = config
        edited.cooldownSeconds = 10
        try await fixture.leveling.settings.save(edited, guild: guild, actor: Snowflake(1_000), access: .owner, requestID: nil)
        await fixture.close()
    }

    @Test("cross-guild isolation: one member in two guilds has two separate totals, boards and resets", arguments: LevelingFixture.Stack.allCases)
    func crossGuild(stack: LevelingFixture.Stack) async throws {
        let fixture = try await LevelingFixture.make(stack)
        let (a, b) = (try await fixture.guild(), try await fixture.guild())
        let leveling = fixture.leveling
        _ = try await leveling.adjust(Self.member, in: a, .set(500), actor: Snowflake(1_000), access: .owner, requestID: nil)
        _ = try await leveling.adjust(Self.member, in: b, .set(7), actor: Snowflake(1_000), access: .owner, requestID: nil)
        try await leveling.flush(a)
        try await leveling.flush(b)
        #expect(try await leveling.store.leaderboard(guild: a, offset: 0, limit: 10).map(\.xp) == [500])
        #expect(try await leveling.store.leaderboard(guild: b, offset: 0, limit: 10).map(\.xp) == [7])
        #expect(try await leveling.resetAll(guild: a, actor: Snowflake(1_000), access: .owner, requestID: nil) == 1)
        #expect(try await leveling.awards.total(of: Self.member, in: a) == 0)
        #expect(try await leveling.awards.total(of: Self.member, in: b) == 7)
        #expect(try await leveling.store.total(of: Self.member, guild: b) == 7)
        await #expect(throws: GuildhallError.self) { try await leveling.restore(guild: b, actor: Snowflake(1_000), access: .owner, requestID: nil) }
        await fixture.close()
    }

    @Test("concurrency: 40 members sending 5 messages at once each earn exactly once, and concurrent flushes agree with the cache", arguments: LevelingFixture.Stack.allCases)
    func concurrency(stack: LevelingFixture.Stack) async throws {
        let fixture = try await LevelingFixture.make(stack)
        let guild = try await fixture.guild()
        let leveling = fixture.leveling
        let members = (1...40).map { Snowflake(UInt64(20_000 + $0)) }
        let awarded = try await withThrowingTaskGroup(of: Bool.self) { group in
            for member in members {
                for _ in 0..<5 {
                    group.addTask {
                        try await leveling.handleMessage(guild: guild, channel: Self.channel, author: member, authorIsBot: false, roles: [])?.awarded ?? false
                    }
                }
                group.addTask { try await leveling.flush(guild) >= 0 && false }
            }
            return try await group.reduce(0) { $0 + ($1 ? 1 : 0) }
        }
        #expect(awarded == 40)
        try await leveling.flush(guild)
        for member in members {
            let live = try await leveling.awards.total(of: member, in: guild)
            #expect((15...25).contains(live))
            #expect(try await leveling.store.total(of: member, guild: guild) == live)
        }
        #expect(try await leveling.store.rankedCount(guild: guild) == 40)
        await fixture.close()
    }

    @Test("reset-all keeps a snapshot; restore adds it back to what was earned since, once", arguments: LevelingFixture.Stack.allCases)
    func resetAndRestore(stack: LevelingFixture.Stack) async throws {
        let fixture = try await LevelingFixture.make(stack)
        let guild = try await fixture.guild()
        let leveling = fixture.leveling
        let reward = Snowflake(8_301)
        try await fixture.configure(guild) { $0.rewards = [.init(level: 1, roleID: reward)] }
        let members = [Snowflake(30_001), Snowflake(30_002), Snowflake(30_003)]
        for (index, member) in members.enumerated() {
            _ = try await leveling.adjust(member, in: guild, .set(Int64(index + 1) * 100), actor: Snowflake(1_000), access: .owner, requestID: nil)
        }
        let discord = fixture.discord
        #expect(try await fixture.runJobs { members.allSatisfy { discord.roles(of: $0).contains(reward) } })
        #expect(try await leveling.resetAll(guild: guild, actor: Snowflake(1_000), access: .owner, requestID: "reset") == 3)
        #expect(try await leveling.store.rankedCount(guild: guild) == 0)
        for member in members { #expect(try await leveling.awards.total(of: member, in: guild) == 0) }
        #expect(try await fixture.runJobs { members.allSatisfy { discord.roles(of: $0).isEmpty } }, "rewards follow the reset")

        _ = try await leveling.adjust(members[0], in: guild, .add(20), actor: Snowflake(1_000), access: .owner, requestID: nil)
        #expect(try await leveling.restore(guild: guild, actor: Snowflake(1_000), access: .owner, requestID: "restore") == 3)
        #expect(try await leveling.awards.total(of: members[0], in: guild) == 120)
        #expect(try await leveling.store.total(of: members[2], guild: guild) == 300)
        await #expect(throws: GuildhallError.self) { try await leveling.restore(guild: guild, actor: Snowflake(1_000), access: .owner, requestID: nil) }
        let audit = try await AuditLogRecord.query(on: fixture.database.database).filter(\.$guildID == guild.databaseValue).all().map(\.action)
        #expect(audit.contains("leveling.reset-all") && audit.contains("leveling.restore"))
        await fixture.close()
    }

    @Test("a settings change in one process reaches another's memory copy through the invalidation channel", arguments: LevelingFixture.Stack.allCases)
    func invalidation(stack: LevelingFixture.Stack) async throws {
        let fixture = try await LevelingFixture.make(stack)
        let guild = try await fixture.guild()
        let other = LevelingSettingsService(store: fixture.leveling.store, backends: fixture.backends, premium: fixture.premium, logger: TestDatabase.quietLogger)
        #expect(try await other.config(for: guild).cooldownSeconds == 60)
        let (ready, readyContinuation) = AsyncStream<Void>.makeStream()
        let listener = Task { try await other.listenForInvalidations { readyContinuation.yield() } }
        for await _ in ready { break }
        try await fixture.configure(guild) { $0.cooldownSeconds = 5 }
        let seen = await waitUntil(timeout: .seconds(10)) { try await other.config(for: guild).cooldownSeconds == 5 }
        #expect(seen)
        listener.cancel()
        await fixture.close()
    }

    @Test("announcements by DM; a refused announcement (closed DMs) is skipped and the reward is still granted", arguments: [LevelingFixture.Stack.embedded])
    func directMessagesAndRefusals(stack: LevelingFixture.Stack) async throws {
        let fixture = try await LevelingFixture.make(stack)
        let guild = try await fixture.guild()
        let reward = Snowflake(8_401)
        try await fixture.configure(guild) {
            $0.minimumXP = 100
            $0.maximumXP = 100
            $0.cooldownSeconds = 0
            $0.announcement = .init(mode: .directMessage, template: "Level {level} in {server}!")
            $0.rewards = [.init(level: 1, roleID: reward), .init(level: 2, roleID: Snowflake(8_402))]
            $0.rewardMode = .replace
        }
        let discord = fixture.discord
        _ = try await fixture.leveling.handleMessage(guild: guild, channel: Self.channel, author: Self.member, authorIsBot: false, roles: [])
        #expect(try await fixture.runJobs { discord.directMessages.count == 1 })
        #expect(discord.directMessages.first?.content == "Level 1 in Guild \(guild)!")
        fixture.discord.state.withLock { $0.refuseMessages = true }
        _ = try await fixture.leveling.handleMessage(guild: guild, channel: Self.channel, author: Self.member, authorIsBot: false, roles: [])
        _ = try await fixture.leveling.handleMessage(guild: guild, channel: Self.channel, author: Self.member, authorIsBot: false, roles: [])
        let logs = fixture.logs
        #expect(try await fixture.runJobs { discord.roles(of: Self.member) == [Snowflake(8_402)] && !logs.with(message: "level-up announcement refused by Discord; skipped").isEmpty })
        #expect(discord.directMessages.count == 1, "the refused one was skipped, not retried")
        #expect(try await fixture.jobs.deadLetters.list(limit: 10, includeReplayed: true).isEmpty, "nothing dead-lettered")
        await fixture.close()
    }

    @Test("restore runs once even when asked twice at once; a reset the cache could not finish is undone in the database", arguments: LevelingFixture.Stack.allCases)
    func restoreOnceAndUndo(stack: LevelingFixture.Stack) async throws {
        let fixture = try await LevelingFixture.make(stack)
        let guild = try await fixture.guild()
        let leveling = fixture.leveling
        for member in [Snowflake(40_001), Snowflake(40_002)] {
            _ = try await leveling.adjust(member, in: guild, .set(500), actor: Snowflake(1_000), access: .owner, requestID: nil)
        }
        _ = try await leveling.resetAll(guild: guild, actor: Snowflake(1_000), access: .owner, requestID: nil)
        let outcomes = await withTaskGroup(of: Bool.self) { group in
            for _ in 0..<2 {
                group.addTask { (try? await leveling.restore(guild: guild, actor: Snowflake(1_000), access: .owner, requestID: nil)) != nil }
            }
            return await group.reduce(into: [Bool]()) { $0.append($1) }
        }
        #expect(outcomes.filter { $0 }.count == 1)
        #expect(try await leveling.awards.total(of: Snowflake(40_001), in: guild) == 500, "applied once, not twice")

        // The store's halves of a reset: snapshot and empty, then put back as it was.
        try await leveling.flush(guild)
        #expect(try await leveling.store.resetAll(guild: guild).count == 2)
        #expect(try await leveling.store.rankedCount(guild: guild) == 0)
        try await leveling.store.undoReset(guild: guild)
        #expect(try await leveling.store.total(of: Snowflake(40_002), guild: guild) == 500)
        #expect(try await leveling.store.takeSnapshot(guild: guild).isEmpty)
        // A restore that stops part-way keeps what it did not apply.
        try await leveling.store.putBackSnapshot([(Snowflake(40_003), 70)], guild: guild)
        #expect(try await leveling.store.takeSnapshot(guild: guild).map(\.xp) == [70])
        await fixture.close()
    }

    @Test("settings saved twice unchanged keep their version; a stored total that is not a number is refused, not overwritten", arguments: LevelingFixture.Stack.allCases)
    func unchangedSaveAndCorruptTotal(stack: LevelingFixture.Stack) async throws {
        let fixture = try await LevelingFixture.make(stack)
        let guild = try await fixture.guild()
        let config = LevelingConfig(cooldownSeconds: 5)
        let first = try await fixture.leveling.settings.save(config, guild: guild, actor: Snowflake(1_000), access: .owner, requestID: nil)
        let second = try await fixture.leveling.settings.save(config, guild: guild, actor: Snowflake(1_000), access: .owner, requestID: nil)
        #expect(first == 1 && second == 1)
        _ = try await fixture.leveling.adjust(Self.member, in: guild, .set(10), actor: Snowflake(1_000), access: .owner, requestID: nil)
        try await fixture.backends.cache.run(
            CacheScript(name: "corrupt", lua: "redis.call('SET', KEYS[1], 'abc') return 1", local: { context in
                context.set(context.keys[0], "abc", milliseconds: nil)
                return .integer(1)
            }), keys: [try LevelingKeys.xp.key(guild: guild, Self.member.description)], arguments: []
        )
        await #expect(throws: (any Error).self) {
            try await fixture.leveling.adjust(Self.member, in: guild, .add(5), actor: Snowflake(1_000), access: .owner, requestID: nil)
        }
        await #expect(throws: (any Error).self) {
            try await fixture.leveling.handleMessage(guild: guild, channel: Self.channel, author: Self.member, authorIsBot: false, roles: [])
        }
        await fixture.close()
    }
}
