import Foundation
@testable import GuildhallApp
import GuildhallBackends
import GuildhallCore
import GuildhallDatabaseTestSupport
import GuildhallDiscordModels
import GuildhallDiscordREST
import GuildhallGiveaways
import GuildhallGuildSettings
import GuildhallJobs
import GuildhallPremium
import GuildhallRedis
import GuildhallSandbox
import GuildhallStorage
import GuildhallTestSupport
import Testing

/// Giveaways as members meet them: `/giveaway` and the Enter button through `serve` and the
/// sandbox Discord over real sockets; and endings that survive a worker killed with SIGKILL.
@Suite("giveaways end to end")
struct GiveawayEndToEndTests {
    typealias Served = LevelingEndToEndTests.Served

    static func sub(_ name: String, _ options: [JSONValue] = []) -> JSONValue {
        .object(["type": .integer(1), "name": .string(name), "options": .array(options)])
    }

    static func string(_ name: String, _ value: String) -> JSONValue {
        .object(["type": .integer(3), "name": .string(name), "value": .string(value)])
    }

    static func integer(_ name: String, _ value: Int64) -> JSONValue {
        .object(["type": .integer(4), "name": .string(name), "value": .integer(value)])
    }

    /// A member with neither Manage Server nor Administrator, who is not the owner.
    static func plainMember(_ served: Served, of guild: SandboxGuild) -> Snowflake {
        let everyone = guild.roles[guild.id]?.permissions ?? 0
        let powerful = Permissions([.administrator, .manageGuild]).rawValue
        return served.sandbox.world.read { state in
            guild.orderedMembers.first { member in
                guard member.userID != guild.ownerID, state.users[member.userID]?.isBot == false else { return false }
                return member.roleIDs.reduce(everyone) { $0 | (guild.roles[$1]?.permissions ?? 0) } & powerful == 0
            }!.userID
        }
    }

    /// Clicks a button as `user` and returns the bot's ephemeral answer.
    static func click(_ served: Served, channel: Snowflake, message: Snowflake, user: Snowflake, customID: String) async throws -> (content: String?, components: JSONValue?) {
        let control = served.sandbox.control
        let interaction = try await control.clickComponent(channelID: channel, messageID: message, userID: user, customID: customID)
        _ = await waitUntil(timeout: .seconds(15)) { control.interaction(interaction.id)?.response != nil }
        let data = control.interaction(interaction.id)?.response?["data"]
        #expect(data?["flags"]?.integerValue == 64, "answers to buttons are ephemeral")
        return (data?["content"]?.stringValue, data?["components"])
    }

    @Test("acceptance (embedded): /giveaway start posts it, Enter answers ephemerally, the count follows, /giveaway end announces the winner once")
    func acceptance() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent(TestEnvironment.uniqueName(prefix: "giveaway-e2e"))
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let served = try await Served.start(GuildhallConfiguration(database: .sqliteFile(path: folder.appendingPathComponent("g.sqlite").path)))
        let guild = try await served.levelingGuild()
        try await served.platform.settings.setModule(.giveaways, enabled: true, guild: guild.id, actor: guild.ownerID, access: .owner)
        let channel = served.textChannel(of: guild)
        let member = Self.plainMember(served, of: guild)

        // Discord itself keeps /giveaway from members without Manage Server (default_member_permissions).
        await #expect(throws: (any Error).self) {
            try await served.command("giveaway", in: channel, as: member, options: [Self.sub("start", [Self.string("prize", "Mug"), Self.string("ends", "1h")])])
        }
        let started = try await served.command("giveaway", in: channel, as: guild.ownerID, options: [
            Self.sub("start", [Self.string("prize", "A signed mug"), Self.string("ends", "1h"), Self.integer("winners", 1)]),
        ])
        #expect(started?.contains("Giveaway #") == true, "\(started ?? "no answer")")
        let giveaways = try served.platform.capability(GiveawayService.self)
        let giveaway = try #require(try await giveaways.store.list(guild: guild.id).first)
        let message = try #require(giveaway.message)

        let entered = try await Self.click(served, channel: channel, message: message, user: member, customID: GiveawayMessage.enterID(giveaway.id))
        #expect(entered.content?.contains("You're in") == true, "\(entered.content ?? "no answer")")
        #expect(entered.components.map { "\($0)" }?.contains(GiveawayMessage.leaveID(giveaway.id)) == true, "a Leave button comes with it")
        let again = try await Self.click(served, channel: channel, message: message, user: member, customID: GiveawayMessage.enterID(giveaway.id))
        #expect(again.content?.contains("already entered") == true)
        let counted = await waitUntil(timeout: .seconds(15)) {
            served.sandbox.world.read { $0.messages[message]?.embeds.first?.description?.contains("Entries: 1") } == true
        }
        #expect(counted, "the entry count on the message follows")

        let listed = try await served.command("giveaway", in: channel, as: guild.ownerID, options: [Self.sub("list")])
        #expect(listed?.contains("#\(giveaway.id) **A signed mug** — running, 1 entry") == true, "\(listed ?? "no answer")")
        let ending = try await served.command("giveaway", in: channel, as: guild.ownerID, options: [Self.sub("end", [Self.integer("id", giveaway.id)])])
        #expect(ending?.contains("ending now") == true, "\(ending ?? "no answer")")
        let announced = await waitUntil(timeout: .seconds(20)) {
            served.botMessages(in: channel).contains { $0.contains("Congratulations <@\(member)>") }
        }
        #expect(announced, "\(served.botMessages(in: channel))")
        #expect(try await giveaways.store.find(giveaway.id, guild: guild.id)?.winners == [member], "the sandbox's state shows the winner")
        let closed = try await Self.click(served, channel: channel, message: message, user: guild.ownerID, customID: GiveawayMessage.enterID(giveaway.id))
        #expect(closed.content?.contains("not taking entries") == true)
        let rerolled = try await served.command("giveaway", in: channel, as: guild.ownerID, options: [Self.sub("reroll", [Self.integer("id", giveaway.id)])])
        #expect(rerolled?.contains("Nobody else could win") == true, "\(rerolled ?? "no answer")")
        #expect(served.botMessages(in: channel).filter { $0.contains("Congratulations") }.count == 1)
        try await served.stop()
    }

    @Test("a worker killed with SIGKILL during endings: every giveaway ends once and is announced once (PostgreSQL, Redis)")
    func workerKilledDuringEndings() async throws {
        try #require(FileManager.default.isExecutableFile(atPath: RoleProcess.binary.path), "build the guildhall binary first (swift build): \(RoleProcess.binary.path)")
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent(TestEnvironment.uniqueName(prefix: "giveaway-kill"))
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let redis = try await RedisServerProcess.start()
        defer { redis.stop() }
        let sandbox = try SandboxServer(configuration: SandboxConfiguration(seed: 7, guildCount: 1, membersPerGuild: 30, logger: TestDatabase.quietLogger))
        let endpoints = try await sandbox.start()
        let application = sandbox.world.read { $0.application }
        let guild = sandbox.world.read { $0.orderedGuilds[0] }
        let channel = sandbox.world.read { state in guild.channelIDs.first { state.channels[$0]?.kind == .text }! }
        let humans = sandbox.world.read { state in guild.orderedMembers.map(\.userID).filter { state.users[$0]?.isBot == false } }

        let database = try await TestDatabase.open(.postgres, migrations: FeatureCatalog.migrations)
        let logger = TestDatabase.quietLogger
        let client = RedisClient(configuration: try RedisConfiguration(url: redis.url), logger: logger)
        let queue = "gwkill"
        let system = try JobSystem.make(database: database, driver: try RedisJobDriver(client: client, queue: queue))
        let premium = PremiumService(database: database, plans: PlanTable(GiveawayPlan.rows), logger: logger)
        let settings = GuildSettingsService(database: database, backends: .redis(client), logger: logger, modules: TestModules.catalog, premium: premium)
        let rest = try DiscordRESTClient(configuration: DiscordRESTConfiguration(token: application.token, baseURL: endpoints.apiBaseURL.absoluteString), logger: logger)
        let source = GiveawayDiscordSource()
        source.set(RESTGiveawayDiscord(rest: rest))
        let giveaways = GiveawayService(
            store: GiveawayStore(database: database), discord: source, queue: system.queue, premium: premium, settings: settings,
            cache: InProcessCache(), levels: nil, logger: logger
        )
        try await settings.registerGuild(id: guild.id, name: guild.name, ownerID: guild.ownerID)
        try await settings.setModule(.giveaways, enabled: true, guild: guild.id, actor: guild.ownerID, access: .owner)
        let owner = GiveawayActor.member(guild.ownerID, permissions: .all, roles: [])
        var created: [Giveaway] = []
        for index in 0..<8 {
            let draft = GiveawayDraft(prize: "Prize \(index)", winners: 2, channelID: channel, endsAt: Date().timeIntervalSince1970 + 3_600)
            let giveaway = try await giveaways.create(draft, guild: guild.id, actor: owner, requestID: nil)
            for user in humans.shuffled().prefix(10) {
                _ = try await giveaways.store.addEntry(giveaway.id, guild: guild.id, user: user, now: 0)
            }
            created.append(giveaway)
        }
        // Discord answers slowly, so the first worker is killed in the middle of announcing.
        let slow = try sandbox.control.addFault(SandboxRESTFault(kind: .slow, route: "POST /channels/{channel_id}/messages", delayMilliseconds: 1_500))
        for giveaway in created {
            try await giveaways.endNow(giveaway.id, guild: guild.id, actor: owner, requestID: nil)
        }
        guard case .postgres(let postgres) = database.location else { Issue.record("expected PostgreSQL"); return }
        let databaseURL = "postgres://\(postgres.username)\(postgres.password.map { ":\($0)" } ?? "")@\(postgres.host):\(postgres.port)/\(postgres.database)"
        let arguments = [
            "--redis-url", redis.url, "--database-url", databaseURL, "--queue", queue, "--concurrency", "2", "--visibility-timeout", "2", "--port", "0",
            "--log-level", "info",
        ]
        let environment = [
            "DISCORD_TOKEN": application.token, "DISCORD_API_URL": endpoints.apiBaseURL.absoluteString, "DISCORD_APPLICATION_ID": application.id.description,
        ]
        let store = giveaways.store
        let first = try RoleProcess(role: "worker", arguments: arguments, environment: environment, folder: folder)
        let midway = await waitUntil(timeout: .seconds(60)) {
            try await store.list(guild: guild.id).filter { $0.winners != nil }.count >= 2
        }
        try #require(midway, "the first worker never drew: \(first.log.suffix(2000))")
        first.kill()
        let claimedByFirst = try await store.list(guild: guild.id).filter { $0.status == .ended }.count
        #expect(claimedByFirst < created.count, "killed before it ended everything (\(claimedByFirst) of \(created.count))")
        _ = sandbox.control.removeFault(id: slow.id)
        let second = try RoleProcess(role: "worker", arguments: arguments, environment: environment, folder: folder)
        let finished = await waitUntil(timeout: .seconds(90)) {
            try await store.list(guild: guild.id).allSatisfy { $0.announcement != nil }
        }
        let secondLog = second.log
        second.kill()
        try #require(finished, "the second worker did not finish: \(secondLog.suffix(3000))")

        let messages = sandbox.world.read { state in (state.channelMessages[channel] ?? []).compactMap { state.messages[$0] } }
        for giveaway in try await store.list(guild: guild.id) {
            let winners = try #require(giveaway.winners)
            #expect(giveaway.status == .ended)
            #expect(winners.count == 2 && Set(winners).isSubset(of: Set(humans)))
            let announcements = messages.filter { $0.messageReference?.messageID == giveaway.message }
            #expect(announcements.count == 1, "giveaway #\(giveaway.id) announced \(announcements.count) times")
            #expect(Set(announcements.first?.mentionIDs ?? []) == Set(winners), "the announcement names the stored winners")
        }
        #expect(try await system.deadLetters.count() == 0)
        await client.close()
        await sandbox.stop()
        await database.shutdown()
    }
}
