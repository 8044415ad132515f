import Foundation
import GuildhallCore
import GuildhallFixtures
@testable import GuildhallGiveaways
import GuildhallPremium
import Testing

@Suite("giveaway draw")
struct WinnerDrawTests {
    let entrants = (1...50).map { Snowflake(UInt64($0)) }

    @Test("winners are distinct entrants, as many as asked; excluded and ineligible entrants never win")
    func distinctAndEligible() async {
        var generator = SystemRandomNumberGenerator()
        let left: Set<Snowflake> = [Snowflake(3), Snowflake(4)]
        let earlier: Set<Snowflake> = [Snowflake(5)]
        for _ in 0..<50 {
            let winners = await WinnerDraw.draw(from: entrants, count: 10, excluding: earlier, using: &generator) { !left.contains($0) }
            #expect(winners.count == 10 && Set(winners).count == 10)
            #expect(Set(winners).isDisjoint(with: left.union(earlier)) && Set(winners).isSubset(of: Set(entrants)))
        }
    }

    @Test("too few eligible entrants: everyone eligible wins; nobody eligible or no entrants: no winners")
    func shortfall() async {
        var generator = SystemRandomNumberGenerator()
        let three: Set<Snowflake> = [Snowflake(7), Snowflake(8), Snowflake(9)]
        #expect(Set(await WinnerDraw.draw(from: entrants, count: 20, using: &generator) { three.contains($0) }) == three)
        #expect(await WinnerDraw.draw(from: entrants, count: 5, using: &generator) { _ in false }.isEmpty)
        #expect(await WinnerDraw.draw(from: [], count: 5, using: &generator) { _ in true }.isEmpty)
        #expect(await WinnerDraw.draw(from: entrants, count: 0, using: &generator) { _ in true }.isEmpty)
        #expect(await WinnerDraw.draw(from: [Snowflake(1), Snowflake(1)], count: 2, using: &generator) { _ in true } == [Snowflake(1)], "a duplicate entry wins once")
    }

    @Test("each entrant is asked about at most once, and only as many as the draw needs")
    func lazyChecks() async {
        var generator = SystemRandomNumberGenerator()
        var asked: [Snowflake] = []
        let winners = await WinnerDraw.draw(from: entrants, count: 3, using: &generator) { entrant in
            asked.append(entrant)
            return true
        }
        #expect(asked == winners && asked.count == 3)
    }

    @Test("the same seed draws the same winners; across many draws every entrant wins about equally often")
    func uniform() async {
        var a = SeededGenerator(seed: 7), b = SeededGenerator(seed: 7)
        let first = await WinnerDraw.draw(from: entrants, count: 5, using: &a) { _ in true }
        let second = await WinnerDraw.draw(from: entrants, count: 5, using: &b) { _ in true }
        #expect(first == second)
        var counts: [Snowflake: Int] = [:]
        var generator = SeededGenerator(seed: 42)
        let rounds = 4_000
        for _ in 0..<rounds {
            for winner in await WinnerDraw.draw(from: Array(entrants.prefix(10)), count: 2, using: &generator, isEligible: { _ in true }) {
                counts[winner, default: 0] += 1
            }
        }
        // 2 of 10 per round: 800 wins each expected; ±15 % is far outside chance for a fair draw.
        #expect(counts.count == 10 && counts.values.allSatisfy { (680...920).contains($0) }, "\(counts.values.sorted())")
    }

    @Test("an eligibility check that fails stops the draw with its error")
    func failingCheck() async {
        struct Unavailable: Error {}
        var generator = SystemRandomNumberGenerator()
        await #expect(throws: Unavailable.self) {
            _ = try await WinnerDraw.draw(from: entrants, count: 2, using: &generator) { _ in throw Unavailable() }
        }
    }
}

@Suite("giveaway lifecycle and drafts")
struct GiveawayRulesTests {
    @Test("only the documented transitions exist: a second end, a late cancel or a reroll of a running giveaway are refused")
    func transitions() {
        #expect(GiveawayStatus.scheduled.after(.start) == .running)
        #expect(GiveawayStatus.running.after(.end) == .ended)
        #expect(GiveawayStatus.running.after(.cancel) == .cancelled && GiveawayStatus.scheduled.after(.cancel) == .cancelled)
        #expect(GiveawayStatus.ended.after(.reroll) == .ended)
        #expect(GiveawayStatus.ended.after(.end) == nil, "never ends twice")
        #expect(GiveawayStatus.ended.after(.cancel) == nil && GiveawayStatus.cancelled.after(.end) == nil)
        #expect(GiveawayStatus.running.after(.reroll) == nil && GiveawayStatus.scheduled.after(.end) == nil)
        #expect(GiveawayStatus.running.after(.start) == nil && GiveawayStatus.cancelled.after(.start) == nil)
        let allowed = GiveawayStatus.allCases.flatMap { status in GiveawayStatus.Action.allCases.compactMap { status.after($0) } }
        #expect(allowed.count == 5)
        #expect(GiveawayStatus.running.takesEntries && !GiveawayStatus.ended.takesEntries && !GiveawayStatus.scheduled.takesEntries)
        #expect(GiveawayStatus.scheduled.countsAsRunning && GiveawayStatus.running.countsAsRunning && !GiveawayStatus.cancelled.countsAsRunning)
    }

    static let now = 1_800_000_000.0
    static let free = PlanTable(GiveawayPlan.rows).limits(for: .free)
    static let premium = PlanTable(GiveawayPlan.rows).limits(for: .premium)

    static func draft(_ change: (inout GiveawayDraft) -> Void = { _ in }) -> GiveawayDraft {
        var draft = GiveawayDraft(prize: "Nitro", winners: 1, channelID: Snowflake(9), endsAt: now + 3_600)
        change(&draft)
        return draft
    }

    @Test("a plain draft is valid on both plans; the plan's limits are enforced with the limit named")
    func planLimits() throws {
        try Self.draft().validate(limits: Self.free, running: 0, now: Self.now)
        let many = Self.draft { $0.winners = 21 }
        let refused = #expect(throws: GuildhallError.self) { try many.validate(limits: Self.free, running: 0, now: Self.now) }
        #expect(refused?.code == .forbidden && refused?.message.contains("20 winners") == true)
        try many.validate(limits: Self.premium, running: 0, now: Self.now)
        #expect(throws: GuildhallError.self) { try Self.draft { $0.winners = 51 }.validate(limits: Self.premium, running: 0, now: Self.now) }
        let long = Self.draft { $0.endsAt = Self.now + 15 * 86_400 }
        #expect(throws: GuildhallError.self) { try long.validate(limits: Self.free, running: 0, now: Self.now) }
        try long.validate(limits: Self.premium, running: 0, now: Self.now)
        let busy = #expect(throws: GuildhallError.self) { try Self.draft().validate(limits: Self.free, running: 10, now: Self.now) }
        #expect(busy?.message.contains("10 giveaways at once") == true)
        try Self.draft().validate(limits: Self.premium, running: 99, now: Self.now)
    }

    @Test("invalid drafts name what is wrong", arguments: [
        ("the prize", GiveawayRulesTests.draft { $0.prize = "  " }),
        ("the prize", GiveawayRulesTests.draft { $0.prize = String(repeating: "x", count: 257) }),
        ("at least one winner", GiveawayRulesTests.draft { $0.winners = 0 }),
        ("in the past", GiveawayRulesTests.draft { $0.startsAt = GiveawayRulesTests.now - 1 }),
        ("at least 10 s", GiveawayRulesTests.draft { $0.endsAt = GiveawayRulesTests.now + 5 }),
        ("at least 10 s", GiveawayRulesTests.draft { $0.startsAt = GiveawayRulesTests.now + 3_595 }),
        ("minimum level", GiveawayRulesTests.draft { $0.requirements.minimumLevel = 0 }),
        ("account age", GiveawayRulesTests.draft { $0.requirements.accountAgeDays = 4_000 }),
        ("time in the server", GiveawayRulesTests.draft { $0.requirements.memberDays = -1 }),
    ])
    func invalid(reason: String, draft: GiveawayDraft) {
        let error = #expect(throws: GuildhallError.self) { try draft.validate(limits: Self.premium, running: 0, now: Self.now) }
        #expect(error?.code == .invalidInput && error?.message.contains(reason) == true, "\(error?.message ?? "-")")
    }

    @Test("a scheduled start in the future with requirements is valid; the JSON form uses snake_case")
    func scheduledWithRequirements() throws {
        let draft = Self.draft {
            $0.startsAt = Self.now + 60
            $0.requirements = .init(roleID: Snowflake(5), minimumLevel: 3, accountAgeDays: 30, memberDays: 7)
        }
        try draft.validate(limits: Self.free, running: 0, now: Self.now)
        #expect(!draft.requirements.isEmpty && GiveawayDraft.Requirements().isEmpty)
        let text = String(decoding: try JSONEncoder().encode(draft), as: UTF8.self)
        #expect(text.contains("\"ends_at\"") && text.contains("\"minimum_level\":3") && text.contains("\"channel_id\""))
        #expect(try JSONDecoder().decode(GiveawayDraft.self, from: Data(text.utf8)) == draft)
    }
}
