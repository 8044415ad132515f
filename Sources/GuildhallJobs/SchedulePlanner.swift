import Foundation
import GuildhallCore

/// One durable schedule as the scheduler reads it.
public struct ScheduleRow: Sendable, Equatable {
    public struct Inflight: Sendable, Equatable {
        public var runAt: Int64
        public var jobID: String
        /// When the run was handed over, or last checked.
        public var since: Int64
    }

    public var id: UUID
    public var key: String
    public var queue: String
    public var jobName: String
    public var payload: String
    public var guild: Snowflake
    public var rule: ScheduleRule
    /// `scheduled`, `fired`, `done` or `cancelled`.
    public var state: String
    public var nextRunAt: Int64?
    public var inflight: Inflight?
    public var runCount: Int64
    public var lastRunAt: Int64?
    /// The first run: intervals count from it.
    public var anchor: Int64

    /// The job a run of this schedule becomes; its id and key are fixed by the run time, so
    /// handing the same run over twice is a duplicate the queue drops.
    func envelope(runAt: Int64, now: Int64) -> JobEnvelope {
        let id = self.id.uuidString.lowercased()
        return JobEnvelope(
            id: Self.jobID(schedule: self.id, runAt: runAt), name: jobName, guild: guild, idempotencyKey: "s.\(id).\(runAt)",
            payload: payload, queue: queue, enqueuedAt: now, dueAt: runAt, schedule: .init(id: id, runAt: runAt)
        )
    }

    static func jobID(schedule: UUID, runAt: Int64) -> String {
        "\(schedule.uuidString.lowercased())-\(runAt)"
    }
}

/// What the scheduler decides for one claimed row, apart from any I/O: which runs to hand
/// to the fast queue and how the row changes. Tests drive it with plain numbers.
public enum SchedulePlanner {
    public struct Settings: Sendable, Equatable {
        /// Runs due within this much time are handed over now, with their due time, so they
        /// start on time even if the scheduler's next tick is late.
        public var lookahead: Int64
        /// A handed-over run not confirmed finished after this long is handed over again
        /// (the queue drops it as a duplicate unless Redis lost it).
        public var redeliverAfter: Int64
        /// At most this many runs of one recurring schedule per tick.
        public var maximumRunsPerTick: Int

        public init(lookahead: Int64, redeliverAfter: Int64, maximumRunsPerTick: Int = 10) {
            self.lookahead = lookahead
            self.redeliverAfter = redeliverAfter
            self.maximumRunsPerTick = maximumRunsPerTick
        }
    }

    public struct Send: Sendable, Equatable {
        public var runAt: Int64
        public var jobID: String
        /// True for a run handed over before whose completion was never confirmed.
        public var isRedelivery: Bool
    }

    public struct Plan: Sendable, Equatable {
        public var sends: [Send] = []
        public var row: ScheduleRow
    }

    public static func plan(_ row: ScheduleRow, now: Int64, settings: Settings) -> Plan {
        var plan = Plan(row: row)
        if var inflight = row.inflight, inflight.since <= now - settings.redeliverAfter {
            plan.sends.append(Send(runAt: inflight.runAt, jobID: inflight.jobID, isRedelivery: true))
            inflight.since = now
            plan.row.inflight = inflight
        }
        guard row.state == "scheduled" else { return plan }
        var runs = 0
        while runs < settings.maximumRunsPerTick, let due = plan.row.nextRunAt, due <= now + settings.lookahead {
            runs += 1
            let jobID = ScheduleRow.jobID(schedule: row.id, runAt: due)
            plan.sends.append(Send(runAt: due, jobID: jobID, isRedelivery: false))
            plan.row.inflight = .init(runAt: due, jobID: jobID, since: now)
            plan.row.runCount += 1
            plan.row.lastRunAt = due
            switch row.rule {
            case .once:
                plan.row.state = "fired"
                plan.row.nextRunAt = nil
            case .recurring(let rule):
                // Runs missed while nothing was running are not made up one by one: the
                // overdue run goes now, and the next is the first one after now.
                if let next = rule.next(after: max(due, now), anchor: row.anchor) {
                    plan.row.nextRunAt = next
                } else {
                    plan.row.state = "done"
                    plan.row.nextRunAt = nil
                }
            }
        }
        return plan
    }
}
