import Foundation
@testable import GuildhallApp
import GuildhallCore
import GuildhallDatabaseTestSupport
import GuildhallAPI
import GuildhallDiscordModels
import GuildhallHTTP
import GuildhallLeveling
import GuildhallSandbox
import GuildhallTestSupport
import ServiceLifecycle
import Testing

/// Leveling through `serve` as it runs: the sandbox Discord over real sockets, the bot, the
/// job worker and the write-behind, on the embedded stack and on PostgreSQL with Redis.
@Suite("leveling end to end")
struct LevelingEndToEndTests {
    /// `serve` with the in-process sandbox, its HTTP port, and the task running it.
    struct Served {
        let platform: Platform
        let group: ServiceGroup
        let sandbox: SandboxServer
        let port: Int
        let task: Task<Void, any Error>

        static func start(_ configuration: GuildhallConfiguration, guilds: Int = 2) async throws -> Served {
            MetricsBootstrap.bootstrap()
            var configuration = configuration
            configuration.port = 0
            let options = try SandboxOptions.parse(["--sandbox-guilds", "\(guilds)", "--sandbox-members", "5", "--sandbox-seed", "61"])
            let (ports, continuation) = AsyncStream<Int>.makeStream()
            let assembled = try await ServeCommand.assemble(
                configuration: configuration, jobs: try JobOptions.parse([]), sandbox: options, logger: TestDatabase.quietLogger
            ) { port in continuation.yield(port) }
            let task = Task { try await assembled.group.run() }
            var bound = 0
            for await port in ports {
                bound = port
                break
            }
            return Served(platform: assembled.platform, group: assembled.group, sandbox: try #require(assembled.sandbox), port: bound, task: task)
        }

        func stop() async throws {
            await group.triggerGracefulShutdown()
            try await task.value
        }

        /// The first seeded guild once the bot has registered it, with leveling switched on.
        func levelingGuild(_ index: Int = 0) async throws -> SandboxGuild {
            let guild = sandbox.world.read { $0.orderedGuilds[index] }
            let platform = self.platform
            let registered = await waitUntil(timeout: .seconds(30)) {
                try await platform.settings.setModule(.leveling, enabled: true, guild: guild.id, actor: guild.ownerID, access: .owner)
                return true
            }
            #expect(registered)
            return guild
        }

        func textChannel(of guild: SandboxGuild) -> Snowflake {
            sandbox.world.read { state in guild.channelIDs.first { state.channels[$0]?.kind == .text }! }
        }

        func member(of guild: SandboxGuild) -> Snowflake {
            let bot = sandbox.world.read { $0.application.botUserID }
            return guild.orderedMembers.first { $0.userID != guild.ownerID && $0.userID != bot }!.userID
        }

        /// The bot's own messages in `channel` (not its answers to interactions).
        func botMessages(in channel: Snowflake) -> [String] {
            sandbox.world.read { state in
                (state.channelMessages[channel] ?? []).compactMap { state.messages[$0] }.filter { $0.authorID == state.application.botUserID && $0.webhookID == nil }.map(\.content)
            }
        }

        func roles(of user: Snowflake, in guild: Snowflake) -> [Snowflake] {
            sandbox.world.read { $0.guilds[guild]?.members[user]?.roleIDs ?? [] }
        }

        /// Runs a command as `user` and returns the text the bot answered with.
        func command(_ name: String, in channel: Snowflake, as user: Snowflake, options: [JSONValue] = []) async throws -> String? {
            let control = sandbox.control
            let interaction = try await control.invokeCommand(channelID: channel, userID: user, name: name, options: options)
            @Sendable func answer() -> String? {
                guard let record = control.interaction(interaction.id) else { return nil }
                if let content = record.response?["data"]?["content"]?.stringValue { return content }
                if let original = record.originalMessageID, let message = control.world.read({ $0.messages[original] }), !message.content.isEmpty {
                    return message.content
                }
                return nil
            }
            _ = await waitUntil(timeout: .seconds(15)) { answer() != nil }
            return answer()
        }
    }

    @Test("acceptance (embedded): 3 messages within the cooldown give XP once and again after it; level 1 is announced and its reward role granted in the sandbox")
    func acceptance() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent(TestEnvironment.uniqueName(prefix: "leveling-e2e"))
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let served = try await Served.start(GuildhallConfiguration(database: .sqliteFile(path: folder.appendingPathComponent("g.sqlite").path)))
        let guild = try await served.levelingGuild()
        let (channel, member) = (served.textChannel(of: guild), served.member(of: guild))
        let reward = try served.sandbox.control.createRole(guildID: guild.id, name: "Level 1", permissions: 0)
        var config = LevelingConfig(minimumXP: 100, maximumXP: 100, cooldownSeconds: 3)
        config.announcement = .init(mode: .sameChannel, template: "GG {user}, level {level}!")
        config.rewards = [.init(level: 1, roleID: reward.id)]
        try await served.platform.capability(LevelingService.self).settings.save(config, guild: guild.id, actor: guild.ownerID, access: .owner, requestID: nil)

        for index in 0..<3 {
            _ = try served.sandbox.control.postMessage(channelID: channel, userID: member, content: "hello \(index)")
        }
        let leveling = try served.platform.capability(LevelingService.self)
        let announced = await waitUntil(timeout: .seconds(20)) {
            served.botMessages(in: channel) == ["GG <@\(member)>, level 1!"] && served.roles(of: member, in: guild.id).contains(reward.id)
        }
        #expect(announced, "announcement \(served.botMessages(in: channel)), roles \(served.roles(of: member, in: guild.id))")
        #expect(try await leveling.awards.total(of: member, in: guild.id) == 100, "three messages inside the cooldown earn once")
        // After the cooldown the next message earns again. The cooldown started when the
        // award ran, which was before it was seen here: waiting 3 s from now is enough.
        try await Task.sleep(for: .seconds(3.3))
        _ = try served.sandbox.control.postMessage(channelID: channel, userID: member, content: "after the cooldown")
        let again = await waitUntil(timeout: .seconds(10)) { try await leveling.awards.total(of: member, in: guild.id) == 200 }
        #expect(again)
        let durable = await waitUntil(timeout: .seconds(10)) { try await leveling.store.total(of: member, guild: guild.id) == 200 }
        #expect(durable, "the write-behind has it within seconds")
        let rank = try await served.command("rank", in: channel, as: member)
        #expect(rank == "<@\(member)> — rank #1 of 1 · level 1 · 200 XP (100/155 to level 2)")
        let board = try await served.command("leaderboard", in: channel, as: member)
        #expect(board == "Leaderboard, page 1:\n#1 <@\(member)> — level 1 · 200 XP")
        #expect(served.botMessages(in: channel).count == 1, "announced once")
        let off = served.sandbox.world.read { $0.orderedGuilds[1] }
        let refused = try await served.command("rank", in: served.textChannel(of: off), as: off.ownerID)
        #expect(refused?.contains("leveling is off in this server") == true, "got \(refused ?? "no answer")")
        try await served.stop()
    }

    @Test("voice XP end to end (embedded, premium): two members in voice earn each tick, a muted one stops earning, one alone earns nothing, and it is written behind")
    func voiceXP() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent(TestEnvironment.uniqueName(prefix: "voice-e2e"))
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        var configuration = GuildhallConfiguration(database: .sqliteFile(path: folder.appendingPathComponent("g.sqlite").path))
        try configuration.set(LevelingFeature.voiceXPTick, to: "1")
        let served = try await Served.start(configuration)
        let guild = try await served.levelingGuild()
        let control = served.sandbox.control
        let lounge = served.sandbox.world.read { state in guild.channelIDs.first { state.channels[$0]?.kind == .voice }! }
        let bot = served.sandbox.world.read { $0.application.botUserID }
        let members = guild.orderedMembers.map(\.userID).filter { $0 != bot && $0 != guild.ownerID }
        let (ada, bea) = (members[0], members[1])
        let leveling = try served.platform.capability(LevelingService.self)
        try await served.platform.premium.grant(guild: guild.id, until: Date().addingTimeInterval(86_400))
        var config = LevelingConfig()
        config.voiceXPPerMinute = 7
        config.announcement.mode = .off
        try await leveling.settings.save(config, guild: guild.id, actor: guild.ownerID, access: .owner, requestID: nil)

        try control.setVoiceState(guildID: guild.id, userID: ada, .init(channelID: lounge))
        try await Task.sleep(for: .seconds(1.5))
        #expect(try await leveling.awards.total(of: ada, in: guild.id) == 0, "alone in voice earns nothing")
        try control.setVoiceState(guildID: guild.id, userID: bea, .init(channelID: lounge))
        let both = await waitUntil(timeout: .seconds(15)) {
            let (a, b) = (try await leveling.awards.total(of: ada, in: guild.id), try await leveling.awards.total(of: bea, in: guild.id))
            return a >= 14 && b >= 14
        }
        #expect(both, "two ticks each at 7 XP")

        try control.setVoiceState(guildID: guild.id, userID: bea, .init(channelID: lounge, selfMute: true))
        try await Task.sleep(for: .seconds(1.2))
        let muted = try await leveling.awards.total(of: bea, in: guild.id)
        let talking = try await leveling.awards.total(of: ada, in: guild.id)
        let ticked = await waitUntil(timeout: .seconds(10)) { try await leveling.awards.total(of: ada, in: guild.id) >= talking + 14 }
        #expect(ticked, "a muted member is still company")
        #expect(try await leveling.awards.total(of: bea, in: guild.id) == muted, "the muted member earns nothing")

        try control.setVoiceState(guildID: guild.id, userID: bea, .init(channelID: nil))
        let stopped = await waitUntil(timeout: .seconds(15)) {
            let before = try await leveling.awards.total(of: ada, in: guild.id)
            try await Task.sleep(for: .seconds(2.2))
            return try await leveling.awards.total(of: ada, in: guild.id) == before
        }
        #expect(stopped, "left alone, no more voice XP")
        let durable = await waitUntil(timeout: .seconds(10)) {
            let stored = try await leveling.store.total(of: ada, guild: guild.id)
            return try await stored == leveling.awards.total(of: ada, in: guild.id)
        }
        #expect(durable, "voice XP is written behind like message XP")
        try await served.stop()
    }

    @Test("Redis killed mid-load and restarted: totals rebuild from the database, match it after the write-behind, and the public leaderboard equals /leaderboard's")
    func redisKilledMidLoad() async throws {
        let redis = try await RedisServerProcess.start()
        defer { redis.stop() }
        let served = try await Served.start(GuildhallConfiguration(database: try await TestDatabase.location(.postgres), redisURL: redis.url))
        let guild = try await served.levelingGuild()
        let channel = served.textChannel(of: guild)
        let bot = served.sandbox.world.read { $0.application.botUserID }
        let members = guild.orderedMembers.map(\.userID).filter { $0 != bot }
        var config = LevelingConfig(minimumXP: 10, maximumXP: 10, cooldownSeconds: 0)
        config.announcement.mode = .off
        config.publicLeaderboard = true
        let leveling = try served.platform.capability(LevelingService.self)
        try await leveling.settings.save(config, guild: guild.id, actor: guild.ownerID, access: .owner, requestID: nil)
        @Sendable func post(rounds: Int) throws {
            for round in 0..<rounds {
                for member in members {
                    _ = try served.sandbox.control.postMessage(channelID: channel, userID: member, content: "round \(round)")
                }
            }
        }
        @Sendable func totals() async throws -> (live: [Int64], durable: [Int64]) {
            var live: [Int64] = []
            var durable: [Int64] = []
            for member in members {
                live.append(try await leveling.awards.total(of: member, in: guild.id))
                durable.append(try await leveling.store.total(of: member, guild: guild.id) ?? 0)
            }
            return (live, durable)
        }

        try post(rounds: 10)
        let counted = await waitUntil(timeout: .seconds(30)) { try await totals().live.allSatisfy { $0 == 100 } }
        #expect(counted)
        let counting = ContinuousClock.now
        let flushed = await waitUntil(timeout: .seconds(15)) { try await totals().durable.allSatisfy { $0 == 100 } }
        #expect(flushed)
        print("leveling write-behind: the database had every total \(ContinuousClock.now - counting) after the cache did")

        // Mid-load: messages keep coming while Redis dies and comes back empty.
        try post(rounds: 5)
        redis.kill()
        try post(rounds: 2)
        try await redis.restart()
        let back = await waitUntil(timeout: .seconds(30)) { try await leveling.awards.isLoaded(guild.id) || (try? post(rounds: 1)) == nil }
        #expect(back)
        try post(rounds: 3)
        let settled = await waitUntil(timeout: .seconds(30)) {
            let now = try await totals()
            return now.live == now.durable && now.live.allSatisfy { $0 >= 130 }
        }
        let final = try await totals()
        #expect(settled, "live and durable totals agree after the rebuild and the write-behind: \(final)")
        #expect(final.durable.allSatisfy { $0 >= 100 }, "nothing written to the database before the crash was lost")

        let text = try await served.command("leaderboard", in: channel, as: members[0])
        let page = try await HTTPProbe.get(port: served.port, path: "/api/v1/public/leaderboard/\(guild.id)?page_size=10")
        #expect(page.status == 200)
        let board = try JSONDecoder().decode(GuildhallLeveling.LevelingRoutes.Board.self, from: page.body)
        let fromAPI = "Leaderboard, page 1:\n" + board.entries.map { "#\($0.rank) <@\($0.userID)> — level \($0.level) · \($0.xp) XP" }.joined(separator: "\n")
        #expect(text == fromAPI, "the dashboard's JSON and /leaderboard show the same list")
        try await served.stop()
    }
}
