import FluentKit
import Foundation
@testable import GuildhallApp
import GuildhallCore
import GuildhallGiveaways
import GuildhallLeveling
import GuildhallDatabaseTestSupport
import GuildhallHTTP
import GuildhallJobs
@testable import GuildhallSandbox
import GuildhallStorage
import GuildhallTestSupport
import ServiceLifecycle
import Testing

/// The dashboard in headless Chromium, against `serve` as it runs with no token: the
/// sandbox Discord in-process, the bot connected, the API and the pages on one port.
@Suite("the dashboard in a real browser", .serialized)
struct DashboardBrowserTests {
    struct Stack {
        let platform: Platform
        let group: ServiceGroup
        let task: Task<Void, any Error>
        let port: Int
        let sandbox: SandboxServer

        var base: String { "http://127.0.0.1:\(port)" }

        func persona(_ name: String) -> Snowflake {
            sandbox.world.read { state in state.oauthUserIDs.first { state.users[$0]?.username == name }! }
        }

        func stop() async throws {
            await group.triggerGracefulShutdown()
            try await task.value
        }
    }

    static let sandboxArguments = ["--sandbox-guilds", "3", "--sandbox-members", "4", "--sandbox-seed", "11"]

    static func start(operators: [String] = []) async throws -> Stack {
        MetricsBootstrap.bootstrap()
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent(TestEnvironment.uniqueName(prefix: "dashboard"))
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        var configuration = GuildhallConfiguration(database: .sqliteFile(path: folder.appendingPathComponent("guildhall.sqlite").path))
        configuration.port = 0
        // The same seed builds the same world, so the personas' ids are known before it starts.
        let world = SandboxSeeder(configuration: try SandboxOptions.parse(sandboxArguments).configuration(logger: TestDatabase.quietLogger)).seed()
        configuration.operatorUserIDs = operators.map { name in world.oauthUserIDs.first { world.users[$0]?.username == name }! }
        let (ports, continuation) = AsyncStream<Int>.makeStream()
        let (platform, group, sandbox) = try await ServeCommand.assemble(
            configuration: configuration, jobs: try JobOptions.parse([]),
            sandbox: try SandboxOptions.parse(sandboxArguments),
            logger: TestDatabase.quietLogger
        ) { port in continuation.yield(port) }
        let task = Task { try await group.run() }
        var bound = 0
        for await value in ports {
            bound = value
            break
        }
        let stack = Stack(platform: platform, group: group, task: task, port: bound, sandbox: try #require(sandbox))
        // The bot records each guild when its GUILD_CREATE arrives.
        let registered = await waitUntil(timeout: .seconds(30)) { try await GuildRecord.query(on: platform.database.database).count() == 3 }
        try #require(registered, "the bot never registered the sandbox's guilds")
        return stack
    }

    /// The browser's login: the dashboard's button, then the sandbox's authorize page.
    static func logIn(_ browser: WebDriver, as user: Snowflake, stack: Stack) async throws {
        try await browser.go(stack.base + "/dashboard")
        try await browser.click("#login")
        try await browser.click("a[href*=\"login_as=\(user)\"]")
        _ = try await browser.element("#guilds, #no-guilds")
    }

    @Test("the owner logs in through the sandbox, switches a module on, and after a reload it is still on")
    func ownerTogglesAModule() async throws {
        let stack = try await Self.start()
        let browser = try await WebDriver.start()
        do {
            try await browser.go(stack.base + "/dashboard")
            try await browser.screenshot("01-login")
            let ada = stack.persona("ada")
            try await Self.logIn(browser, as: ada, stack: stack)
            try await browser.screenshot("02-guild-picker")
            let links = try await browser.elements("a[data-guild-link]")
            #expect(links.count == 2, "ada owns two of the three sandbox guilds")
            try await browser.click("a[data-guild-link]")
            try await browser.waitForText("[data-module=leveling] .state") { $0 == "Off" }
            try await browser.screenshot("03-guild-overview")

            try await browser.click("[data-module=leveling] button[data-toggle]")
            try await browser.waitForText("[data-module=leveling] .status") { $0 == "Saved" }
            #expect(try await browser.text("[data-module=leveling] .state") == "On")
            #expect(try await browser.text("[data-module=leveling] button[data-toggle]") == "Turn off")
            try await browser.screenshot("04-module-saved")

            try await browser.go(try await browser.currentURL)
            try await browser.waitForText("[data-module=leveling] .state") { $0 == "On" }
            let guildID = try #require(try await browser.currentURL.split(separator: "/").last.flatMap { Snowflake(String($0)) })
            #expect(try await stack.platform.settings.settings(for: guildID).isEnabled(.leveling), "the backend agrees with the page")

            try await browser.click("nav.tabs a[href$=\"/audit\"]")
            try await browser.waitForText("#audit tbody") { $0.contains("module.enable") }
            try await browser.screenshot("05-audit-log")
            try await browser.click("nav.tabs a[href$=\"/grants\"]")
            _ = try await browser.element("form[data-grant]")
            try await browser.screenshot("06-grants")

            try await browser.setWindow(width: 390, height: 844)
            try await browser.go(stack.base + "/dashboard/guilds/\(guildID)")
            _ = try await browser.element("[data-module=leveling] button[data-toggle]")
            try await browser.screenshot("07-overview-phone")
        } catch {
            try? await browser.screenshot("failure-owner")
            await browser.quit()
            try await stack.stop()
            throw error
        }
        await browser.quit()
        try await stack.stop()
    }

    @Test("leveling: the owner edits the settings form, saves, reloads and sees what was stored; the leaderboard and the published public page list the members")
    func levelingSettingsAndLeaderboards() async throws {
        let stack = try await Self.start()
        let browser = try await WebDriver.start()
        do {
            let ada = stack.persona("ada")
            let guild = try #require(stack.sandbox.world.read { $0.orderedGuilds.first { $0.ownerID == ada } })
            try await stack.platform.settings.setModule(.leveling, enabled: true, guild: guild.id, actor: ada, access: .owner)
            let leveling = try stack.platform.capability(LevelingService.self)
            let members = guild.orderedMembers.map(\.userID)
            for (index, member) in members.prefix(3).enumerated() {
                _ = try await leveling.adjust(member, in: guild.id, .set(Int64(150 * (index + 1))), actor: ada, access: .owner, requestID: nil)
            }
            try await leveling.flush(guild.id)
            try await browser.go(stack.base + "/leaderboard/\(guild.id)")
            #expect(try await browser.text("h1") == "Not found", "not published yet")

            try await Self.logIn(browser, as: ada, stack: stack)
            try await browser.go(stack.base + "/dashboard/guilds/\(guild.id)/leveling")
            _ = await waitUntil(timeout: .seconds(10)) { try await browser.value("input[name=xp_min]") == "15" }
            #expect(try await browser.value("input[name=cooldown_seconds]") == "60", "the form shows the stored defaults")
            try await browser.screenshot("08-leveling-settings")
            let reward = guild.orderedRoles.first { $0.id != guild.id }!.id
            try await browser.type("input[name=cooldown_seconds]", "30")
            try await browser.type("textarea[name=rewards]", "5 \(reward)")
            try await browser.click("input[name=public_leaderboard]")
            try await browser.click("form[data-leveling] button[type=submit]")
            try await browser.waitForText("form[data-leveling] .status") { $0 == "Saved" }
            let stored = try await leveling.settings.config(for: guild.id)
            #expect(stored.cooldownSeconds == 30 && stored.rewards == [.init(level: 5, roleID: reward)] && stored.publicLeaderboard)

            // A broken value is refused with the API's reason, and nothing changes.
            try await browser.type("input[name=xp_min]", "40")
            try await browser.type("input[name=xp_max]", "20")
            try await browser.click("form[data-leveling] button[type=submit]")
            try await browser.waitForText("form[data-leveling] .status") { $0.contains("XP per message") }
            try await browser.screenshot("09-leveling-refused")
            #expect(try await leveling.settings.config(for: guild.id) == stored)

            // Voice XP is premium: refused with the reason, then saved once the plan allows it.
            try await browser.type("input[name=xp_min]", "15")
            try await browser.type("input[name=xp_max]", "25")
            try await browser.type("input[name=voice_xp_per_minute]", "8")
            try await browser.click("form[data-leveling] button[type=submit]")
            try await browser.waitForText("form[data-leveling] .status") { $0.contains("voice XP needs Guildhall Premium") }
            #expect(try await leveling.settings.config(for: guild.id) == stored)
            try await stack.platform.premium.grant(guild: guild.id, until: Date().addingTimeInterval(86_400))
            try await browser.click("form[data-leveling] button[type=submit]")
            try await browser.waitForText("form[data-leveling] .status") { $0 == "Saved" }
            #expect(try await leveling.settings.config(for: guild.id).voiceXPPerMinute == 8)

            try await browser.go(stack.base + "/dashboard/guilds/\(guild.id)/leveling")
            _ = await waitUntil(timeout: .seconds(10)) { try await browser.value("input[name=cooldown_seconds]") == "30" }
            #expect(try await browser.value("textarea[name=rewards]") == "5 \(reward)", "after a reload the form shows what was stored")
            #expect(try await browser.value("input[name=voice_xp_per_minute]") == "8")

            try await browser.click("nav.tabs a[href$=\"/leaderboard\"]")
            let board = try await browser.waitForText("#leaderboard tbody") { $0.contains("450") }
            #expect(board.split(separator: "\n").count == 3)
            try await browser.screenshot("10-leaderboard")
            try await browser.go(stack.base + "/leaderboard/\(guild.id)")
            let published = try await browser.waitForText("#leaderboard tbody") { $0.contains("450") }
            #expect(published == board, "the public page lists the same members")
        } catch {
            try? await browser.screenshot("failure-leveling")
            await browser.quit()
            try await stack.stop()
            throw error
        }
        await browser.quit()
        try await stack.stop()
    }

    @Test("giveaways: the owner starts one from the form, a plan limit is refused with its reason, the entrants show, and ending it shows the winner")
    func giveawaysFromTheDashboard() async throws {
        let stack = try await Self.start()
        let browser = try await WebDriver.start()
        do {
            let ada = stack.persona("ada")
            let guild = try #require(stack.sandbox.world.read { $0.orderedGuilds.first { $0.ownerID == ada } })
            try await stack.platform.settings.setModule(.giveaways, enabled: true, guild: guild.id, actor: ada, access: .owner)
            let giveaways = try stack.platform.capability(GiveawayService.self)
            try await Self.logIn(browser, as: ada, stack: stack)
            try await browser.go(stack.base + "/dashboard/guilds/\(guild.id)/giveaways")
            _ = try await browser.waitForText("#giveaways tbody") { $0.contains("No giveaways yet") }

            try await browser.type("form[data-giveaway-create] input[name=prize]", "A signed mug")
            try await browser.type("form[data-giveaway-create] input[name=ends]", "2h")
            try await browser.click("form[data-giveaway-create] button[type=submit]")
            try await browser.waitForText("form[data-giveaway-create] .status") { $0.hasPrefix("Started #") }
            let created = try #require(try await giveaways.store.list(guild: guild.id).first)
            #expect(created.prize == "A signed mug" && created.status == .running && created.message != nil)
            #expect(abs(Double(created.endsAt) / 1_000 - Date().timeIntervalSince1970 - 7_200) < 120, "2h from now")
            _ = try await browser.waitForText("#giveaways tbody") { $0.contains("A signed mug") && $0.contains("running") }

            // More winners than the free plan allows: refused with the reason, nothing stored.
            try await browser.type("form[data-giveaway-create] input[name=winners]", "21")
            try await browser.click("form[data-giveaway-create] button[type=submit]")
            try await browser.waitForText("form[data-giveaway-create] .status") { $0.contains("20 winners") }
            try await browser.type("form[data-giveaway-create] input[name=ends]", "someday")
            try await browser.type("form[data-giveaway-create] input[name=winners]", "1")
            try await browser.click("form[data-giveaway-create] button[type=submit]")
            try await browser.waitForText("form[data-giveaway-create] .status") { $0.contains("not a duration") }
            #expect(try await giveaways.store.list(guild: guild.id).count == 1)
            try await browser.screenshot("11-giveaways")

            let entrant = try #require(guild.orderedMembers.first { $0.userID != ada }?.userID)
            #expect(try await giveaways.enter(created.id, guild: guild.id, entrant: .init(user: entrant)) == .entered)
            try await browser.click("button[data-action=entrants][data-id=\"\(created.id)\"]")
            let entrants = try await browser.waitForText("[data-entrants]") { $0.contains(entrant.description) }
            #expect(entrants == entrant.description)

            try await browser.click("button[data-action=end][data-id=\"\(created.id)\"]")
            try await browser.waitForText("[data-giveaway-status]", timeout: .seconds(20)) { $0 == "Ended" }
            let row = try await browser.waitForText("#giveaways tbody") { $0.contains("ended") }
            #expect(row.contains(entrant.description), "the winner shows in the list: \(row)")
            #expect(try await giveaways.store.find(created.id, guild: guild.id)?.winners == [entrant])
            try await browser.screenshot("12-giveaway-ended")
        } catch {
            try? await browser.screenshot("failure-giveaways")
            await browser.quit()
            try await stack.stop()
            throw error
        }
        await browser.quit()
        try await stack.stop()
    }

    @Test("a viewer sees the modules but no toggles; a plain member sees no guild")
    func viewerAndMember() async throws {
        let stack = try await Self.start()
        let browser = try await WebDriver.start()
        do {
            let ada = stack.persona("ada")
            // eve belongs to no guild; the owner gives her a viewer grant. cleo is a plain member everywhere.
            let eve = stack.persona("eve")
            let guild = try #require(stack.sandbox.world.read { $0.orderedGuilds.first { $0.ownerID == ada } })
            try await DashboardGrantRecord(guildID: guild.id, userID: eve, level: .viewer, grantedBy: ada).create(on: stack.platform.database.database)

            try await Self.logIn(browser, as: eve, stack: stack)
            #expect(try await browser.elements("a[data-guild-link]").count == 1, "only the guild with the grant")
            try await browser.click("a[data-guild-link]")
            try await browser.waitForText("[data-module=leveling] .state") { $0 == "Off" }
            #expect(try await browser.elements("button[data-toggle]").isEmpty, "a viewer has no toggles")
            #expect(try await browser.elements("nav.tabs a[href$=\"/grants\"]").isEmpty, "nor the owner's access page")
            try await browser.screenshot("08-viewer-overview")

            try await browser.click("form[data-logout] button")
            _ = try await browser.element("#login")
            try await Self.logIn(browser, as: stack.persona("cleo"), stack: stack)
            #expect(try await browser.elements("a[data-guild-link]").isEmpty)
            _ = try await browser.element("#no-guilds")
            try await browser.screenshot("09-member-no-guilds")
        } catch {
            try? await browser.screenshot("failure-viewer")
            await browser.quit()
            try await stack.stop()
            throw error
        }
        await browser.quit()
        try await stack.stop()
    }

    @Test("an operator finds the dead letters from the picker and replays one; the page re-reads and shows it replayed")
    func operatorReplaysADeadLetter() async throws {
        let stack = try await Self.start(operators: ["bram"])
        let browser = try await WebDriver.start()
        do {
            try await stack.platform.jobs.deadLetters.record(
                JobEnvelope(id: "job-browser", name: "giveaway.end", guild: Snowflake(5), idempotencyKey: "k", payload: "{}", queue: "default", enqueuedAt: 1, dueAt: 1),
                attempts: 5, lastError: "Discord answered 500 five times"
            )
            try await Self.logIn(browser, as: stack.persona("bram"), stack: stack)
            try await browser.click("#operator-jobs")
            try await browser.waitForText("#dead-letters tbody") { $0.contains("Discord answered 500 five times") }
            #expect(try await browser.text("#dead-count") == "1")
            try await browser.screenshot("10-operator-jobs")
            try await browser.click("button[data-replay=\"job-browser\"]")
            try await browser.waitForText("#dead-count") { $0 == "0" }
            #expect(try await browser.elements("button[data-replay]").isEmpty)
            #expect(try await stack.platform.jobs.deadLetters.find(jobID: "job-browser")?.state == "replayed")
            try await browser.screenshot("11-operator-replayed")
        } catch {
            try? await browser.screenshot("failure-operator")
            await browser.quit()
            try await stack.stop()
            throw error
        }
        await browser.quit()
        try await stack.stop()
    }

    @Test("a subscription bought in the sandbox reaches the plan over the gateway; a refund ends it")
    func entitlementsOverTheGateway() async throws {
        let stack = try await Self.start()
        do {
            let guild = try #require(stack.sandbox.world.read { $0.orderedGuilds.first })
            let sku = try #require(stack.sandbox.world.read { $0.skus.first { $0.flags & (1 << 7) != 0 } })
            #expect(try await stack.platform.premium.status(guild: guild.id).tier == .free)
            let bought = try stack.sandbox.control.grantEntitlement(skuID: sku.id, guildID: guild.id)
            let premium = await waitUntil(timeout: .seconds(20)) { try await stack.platform.premium.status(guild: guild.id).tier == .premium }
            #expect(premium, "ENTITLEMENT_CREATE reached the premium table")
            #expect(try await stack.platform.premium.status(guild: guild.id).source == .discord)
            _ = try stack.sandbox.control.revokeEntitlement(id: bought.id)
            let ended = await waitUntil(timeout: .seconds(20)) { try await stack.platform.premium.status(guild: guild.id).tier == .free }
            #expect(ended, "the refund (ENTITLEMENT_DELETE) ended it at once")
        } catch {
            try await stack.stop()
            throw error
        }
        try await stack.stop()
    }
}
