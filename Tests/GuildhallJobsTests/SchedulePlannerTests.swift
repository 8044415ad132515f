import Foundation
import GuildhallCore
@testable import GuildhallJobs
import Testing

/// The scheduler's decisions, with plain numbers for time.
@Suite("Schedule planner")
struct SchedulePlannerTests {
    static let settings = SchedulePlanner.Settings(lookahead: 5000, redeliverAfter: 60_000)
    static let id = UUID(uuidString: "00000000-0000-4000-8000-000000000001")!

    static func row(rule: ScheduleRule, next: Int64?, state: String = "scheduled", inflight: ScheduleRow.Inflight? = nil, anchor: Int64 = 0) -> ScheduleRow {
        ScheduleRow(
            id: id, key: "k", queue: "default", jobName: "test.job", payload: "{}", guild: Snowflake(7), rule: rule,
            state: state, nextRunAt: next, inflight: inflight, runCount: 0, lastRunAt: nil, anchor: anchor
        )
    }

    @Test("a one-off run is handed over within the lookahead, with its due time, and the row is fired")
    func onceWithinLookahead() {
        let plan = SchedulePlanner.plan(Self.row(rule: .once, next: 104_000), now: 100_000, settings: Self.settings)
        let jobID = "00000000-0000-4000-8000-000000000001-104000"
        #expect(plan.sends == [.init(runAt: 104_000, jobID: jobID, isRedelivery: false)])
        #expect(plan.row.state == "fired")
        #expect(plan.row.nextRunAt == nil)
        #expect(plan.row.inflight == .init(runAt: 104_000, jobID: jobID, since: 100_000))
        #expect(plan.row.runCount == 1 && plan.row.lastRunAt == 104_000)
        let envelope = plan.row.envelope(runAt: 104_000, now: 100_000)
        #expect(envelope.id == jobID && envelope.dueAt == 104_000 && envelope.enqueuedAt == 100_000)
        #expect(envelope.idempotencyKey == "s.00000000-0000-4000-8000-000000000001.104000")
        #expect(envelope.schedule == .init(id: "00000000-0000-4000-8000-000000000001", runAt: 104_000))
        #expect(envelope.guild == Snowflake(7) && envelope.name == "test.job" && envelope.queue == "default")
    }

    @Test("a run beyond the lookahead waits")
    func tooEarly() {
        let plan = SchedulePlanner.plan(Self.row(rule: .once, next: 106_000), now: 100_000, settings: Self.settings)
        #expect(plan.sends.isEmpty)
        #expect(plan.row == Self.row(rule: .once, next: 106_000))
    }

    @Test("an interval schedule hands over each run in the window and keeps its grid")
    func interval() {
        let rule = ScheduleRule.recurring(.every(.seconds(2)))
        let plan = SchedulePlanner.plan(Self.row(rule: rule, next: 100_000, anchor: 100_000), now: 100_000, settings: Self.settings)
        #expect(plan.sends.map(\.runAt) == [100_000, 102_000, 104_000])
        #expect(plan.row.nextRunAt == 106_000)
        #expect(plan.row.state == "scheduled")
        #expect(plan.row.inflight?.runAt == 104_000, "the latest run is the one watched")
        #expect(plan.row.runCount == 3)
    }

    @Test("missed runs are not made up one by one: the overdue run goes, then the next after now")
    func catchUp() {
        let rule = ScheduleRule.recurring(.every(.seconds(60)))
        let plan = SchedulePlanner.plan(Self.row(rule: rule, next: 60_000, anchor: 0), now: 3_630_000, settings: Self.settings)
        #expect(plan.sends.map(\.runAt) == [60_000])
        #expect(plan.row.nextRunAt == 3_660_000)
    }

    @Test("a cron schedule moves to its next match")
    func cron() throws {
        let rule = ScheduleRule.recurring(try .cron("0 * * * *"))
        let due = utc(2030, 1, 1, 10)
        let plan = SchedulePlanner.plan(Self.row(rule: rule, next: due), now: due - 2000, settings: Self.settings)
        #expect(plan.sends.map(\.runAt) == [due])
        #expect(plan.row.nextRunAt == utc(2030, 1, 1, 11))
    }

    @Test("a recurrence that ends leaves the row done")
    func ends() throws {
        // A cron rule read from a row whose only dates are past the ten-year search.
        let rule = ScheduleRule.recurring(.cron(try CronExpression("0 0 30 2 *")))
        let plan = SchedulePlanner.plan(Self.row(rule: rule, next: 1000), now: 1000, settings: Self.settings)
        #expect(plan.sends.count == 1)
        #expect(plan.row.state == "done" && plan.row.nextRunAt == nil)
    }

    @Test("an unconfirmed run is handed over again after redeliverAfter, then checked again only after as long")
    func redelivery() {
        let inflight = ScheduleRow.Inflight(runAt: 50_000, jobID: "j", since: 40_000)
        let fresh = SchedulePlanner.plan(Self.row(rule: .once, next: nil, state: "fired", inflight: inflight), now: 99_999, settings: Self.settings)
        #expect(fresh.sends.isEmpty)
        let stale = SchedulePlanner.plan(Self.row(rule: .once, next: nil, state: "fired", inflight: inflight), now: 100_000, settings: Self.settings)
        #expect(stale.sends == [.init(runAt: 50_000, jobID: "j", isRedelivery: true)])
        #expect(stale.row.inflight?.since == 100_000)
        #expect(stale.row.state == "fired")
    }

    @Test("cancelled and finished rows are left alone")
    func inactive() {
        for state in ["cancelled", "done", "fired"] {
            let plan = SchedulePlanner.plan(Self.row(rule: .once, next: 1000, state: state), now: 2000, settings: Self.settings)
            #expect(plan.sends.isEmpty, "\(state)")
        }
    }

    @Test("at most maximumRunsPerTick runs per tick")
    func bounded() {
        let rule = ScheduleRule.recurring(.every(.seconds(1)))
        let settings = SchedulePlanner.Settings(lookahead: 60_000, redeliverAfter: 60_000, maximumRunsPerTick: 4)
        let plan = SchedulePlanner.plan(Self.row(rule: rule, next: 10_000, anchor: 10_000), now: 10_000, settings: settings)
        #expect(plan.sends.count == 4)
        #expect(plan.row.nextRunAt == 14_000)
    }
}
