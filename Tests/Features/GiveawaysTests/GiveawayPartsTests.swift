import Foundation
import GuildhallCore
import GuildhallDiscordModels
@testable import GuildhallGiveaways
import GuildhallPremium
import Synchronization
import Testing

/// The pure parts: times people type, the requirement checks, who may manage, and what the
/// messages say in each state.
@Suite("GiveawayPartsTests")
struct GiveawayPartsTests {
    static let now: Double = 1_800_000_000

    @Test("durations and moments", arguments: [
        ("90m", now + 5_400), ("1h30m", now + 5_400), ("2d", now + 172_800), ("1w 2d", now + 777_600), ("45s", now + 45),
        ("2026-12-24T18:00:00Z", 1_798_135_200), ("2026-12-24 18:00", 1_798_135_200), ("2026-12-24T18:00Z", 1_798_135_200),
        ("1798135200", 1_798_135_200),
    ])
    func times(text: String, expected: Double) throws {
        #expect(try GiveawayTime.parse(text, now: Self.now) == expected)
    }

    @Test("text that is neither is refused, naming the forms", arguments: ["", "soon", "10", "5x", "h", "0m", "1h30", "2026-13-45"])
    func badTimes(text: String) {
        let error = #expect(throws: GuildhallError.self) { try GiveawayTime.parse(text, now: Self.now) }
        #expect(error?.code == .invalidInput)
        #expect(error?.message.contains("90m") == true)
    }

    @Test("requirements: bots, role, account age, time in the server, level (asked only when needed)")
    func eligibility() async throws {
        let day: Int64 = 86_400_000
        let now: Int64 = 1_800_000_000_000
        let role = Snowflake(5)
        let old = Snowflake(timestampMilliseconds: UInt64(now - 400 * day))
        let young = Snowflake(timestampMilliseconds: UInt64(now - 2 * day))
        let all = GiveawayDraft.Requirements(roleID: role, minimumLevel: 4, accountAgeDays: 30, memberDays: 7)
        let asked = Mutex(0)
        let level: () async throws -> Int = {
            asked.withLock { $0 += 1 }
            return 5
        }
        let good = GiveawayEntrant(user: old, roles: [role], joinedAt: now - 10 * day)
        #expect(try await GiveawayEligibility.refusal(all, entrant: good, now: now, level: level) == nil)
        #expect(try await GiveawayEligibility.refusal(all, entrant: GiveawayEntrant(user: old, isBot: true), now: now, level: level) == "bots cannot take part")
        var missingRole = good
        missingRole.roles = []
        #expect(try await GiveawayEligibility.refusal(all, entrant: missingRole, now: now, level: level) == "you need the role <@&5>")
        var youngAccount = good
        youngAccount.user = young
        #expect(try await GiveawayEligibility.refusal(all, entrant: youngAccount, now: now, level: level) == "your Discord account must be at least 30 days old")
        var newcomer = good
        newcomer.joinedAt = now - day
        #expect(try await GiveawayEligibility.refusal(all, entrant: newcomer, now: now, level: level) == "you must have been in this server for 7 days")
        newcomer.joinedAt = nil
        #expect(try await GiveawayEligibility.refusal(all, entrant: newcomer, now: now, level: level) != nil, "no join date: not proven")
        #expect(asked.withLock { $0 } == 1, "the level was asked only when every other check passed")
        let high = GiveawayDraft.Requirements(minimumLevel: 9)
        #expect(try await GiveawayEligibility.refusal(high, entrant: good, now: now, level: level) == "you need level 9 (you are level 5)")
        let oneDay = GiveawayDraft.Requirements(accountAgeDays: 1, memberDays: 1)
        #expect(try await GiveawayEligibility.refusal(oneDay, entrant: good, now: now, level: level) == nil)
        #expect(try await GiveawayEligibility.refusal(oneDay, entrant: GiveawayEntrant(user: Snowflake(timestampMilliseconds: UInt64(now))), now: now, level: level)
            == "your Discord account must be at least 1 day old")
    }

    @Test("who may manage: Manage Server, Administrator, the manager role, dashboard owners, managers and editors")
    func managers() {
        let role = Snowflake(9)
        #expect(GiveawayActor.member(Snowflake(1), permissions: .manageGuild, roles: []).mayManage(managerRole: nil))
        #expect(GiveawayActor.member(Snowflake(1), permissions: .administrator, roles: []).mayManage(managerRole: nil))
        #expect(GiveawayActor.member(Snowflake(1), permissions: [], roles: [role]).mayManage(managerRole: role))
        #expect(!GiveawayActor.member(Snowflake(1), permissions: [], roles: [role]).mayManage(managerRole: nil))
        #expect(!GiveawayActor.member(Snowflake(1), permissions: .sendMessages, roles: [Snowflake(8)]).mayManage(managerRole: role))
        #expect(GiveawayActor.dashboard(Snowflake(1), access: .grant(.editor)).mayManage(managerRole: nil))
        #expect(!GiveawayActor.dashboard(Snowflake(1), access: .grant(.viewer)).mayManage(managerRole: role))
        #expect(GiveawayActor.dashboard(Snowflake(3), access: .owner).id == Snowflake(3))
    }

    static func giveaway(_ status: GiveawayStatus, winners: [Snowflake]? = nil) -> Giveaway {
        Giveaway(
            id: 42, guild: Snowflake(1), channel: Snowflake(2), message: Snowflake(3), prize: "A mug", winnerCount: 2, tier: .free,
            requirements: .init(roleID: Snowflake(7), minimumLevel: 3, accountAgeDays: 1, memberDays: 10), status: status, endsAt: 1_800_000_000_000,
            createdBy: Snowflake(4), createdAt: 0, winners: winners
        )
    }

    @Test("the message in each state: Enter while running, winners when ended, closed when cancelled")
    func messages() throws {
        let running = GiveawayMessage.body(Self.giveaway(.running), entries: 7)
        #expect(running.embed.title == "🎉 A mug")
        let text = try #require(running.embed.description)
        for line in ["Ends <t:1800000000:R>", "Entries: 7", "Hosted by <@4>", "<@&7>", "level 3", "1 day old", "10 days in this server"] {
            #expect(text.contains(line), "\(line) in \(text)")
        }
        guard case .actionRow(let row)? = running.components.first, case .button(let enter)? = row.components.first else {
            Issue.record("no button")
            return
        }
        #expect(enter.customID == "giveaway:enter:42" && enter.disabled == nil && enter.label == "Enter")
        let ended = GiveawayMessage.body(Self.giveaway(.ended, winners: [Snowflake(10), Snowflake(11)]), entries: 7)
        #expect(ended.embed.description?.contains("Winners: <@10>, <@11>") == true)
        guard case .actionRow(let endedRow)? = ended.components.first, case .button(let closed)? = endedRow.components.first else {
            Issue.record("no button")
            return
        }
        #expect(closed.disabled == true && closed.label == "Closed")
        #expect(GiveawayMessage.body(Self.giveaway(.ended, winners: []), entries: 0).embed.description?.contains("nobody could win") == true)
        #expect(GiveawayMessage.body(Self.giveaway(.cancelled), entries: 0).embed.description?.hasPrefix("Cancelled") == true)
        let edit = GiveawayMessage.editRequest(Self.giveaway(.running), entries: 1)
        #expect(edit.embeds?.first?.description?.contains("Entries: 1") == true)
    }

    @Test("announcements: the nonce names the ending or the reroll; only the winners are pinged")
    func announcements() {
        let giveaway = Self.giveaway(.ended, winners: [Snowflake(10)])
        let end = GiveawayMessage.announcement(giveaway, winners: [Snowflake(10)])
        #expect(end.content == "🎉 Congratulations <@10>! You won **A mug**.")
        #expect(end.nonce == .string("gw42e") && end.enforceNonce == true)
        #expect(end.allowedMentions == .only(users: [Snowflake(10)]))
        #expect(end.messageReference?.messageID == Snowflake(3))
        let reroll = GiveawayMessage.announcement(giveaway, winners: [Snowflake(11), Snowflake(12)], reroll: 2)
        #expect(reroll.content == "🎉 New winners for **A mug**: <@11>, <@12>!")
        #expect(reroll.nonce == .string("gw42r2"))
        #expect(GiveawayMessage.announcement(giveaway, winners: [], reroll: 3).content?.contains("nobody else could win") == true)
        #expect(GiveawayMessage.announcement(giveaway, winners: []).content?.contains("nobody could win") == true)
        let create = GiveawayMessage.createRequest(giveaway, entries: 0)
        #expect(create.nonce == .string("gw42s") && create.enforceNonce == true)
        let answer = GiveawayMessage.entryAnswer("in", giveaway: 42, offerLeave: true)
        #expect(answer.message?.isEphemeral == true)
        #expect(answer.message?.components?.isEmpty == false)
        #expect(GiveawayMessage.entryAnswer("no", giveaway: 42, offerLeave: false).message?.components == nil)
    }

    @Test("pending tasks: finished ones leave, cancelAndWait ends the rest and waits for them")
    func pendingTasks() async {
        let tasks = PendingTasks()
        let ran = Mutex(0)
        tasks.start { ran.withLock { $0 += 1 } }
        _ = await waitFor { tasks.count == 0 }
        tasks.start {
            try? await Task.sleep(for: .seconds(30))
            ran.withLock { $0 += 10 }
        }
        #expect(tasks.count == 1)
        let started = ContinuousClock.now
        await tasks.cancelAndWait()
        #expect(ContinuousClock.now - started < .seconds(10), "cancelled, not slept out")
        #expect(ran.withLock { $0 } == 11, "both bodies ran to their end")
        #expect(tasks.count == 0)
    }

    func waitFor(_ condition: () -> Bool) async -> Bool {
        for _ in 0..<200 {
            if condition() { return true }
            try? await Task.sleep(for: .milliseconds(10))
        }
        return condition()
    }
}
