import Foundation
import GuildhallCore
import Metrics

/// The front door for code that wants work done later: enqueue now, schedule once at a
/// time, or on a recurrence. Immediate jobs go straight to the driver; delayed and
/// recurring ones go to the database, from which the scheduler moves each run to the
/// driver shortly before it is due, so losing Redis loses none of them.
public struct JobQueue: Sendable {
    public let driver: any JobDriver
    public let schedules: ScheduleStore
    /// How long an idempotency key suppresses duplicates.
    public let dedupeWindow: Duration
    private let clock: JobClock

    public static let defaultDedupeWindow: Duration = .seconds(86_400)

    public init(driver: any JobDriver, schedules: ScheduleStore, dedupeWindow: Duration = JobQueue.defaultDedupeWindow, clock: JobClock = .system) throws {
        _ = try InProcessJobDriver.checkedWindow(dedupeWindow)
        self.driver = driver
        self.schedules = schedules
        self.dedupeWindow = dedupeWindow
        self.clock = clock
    }

    /// Adds a job due now. With an `idempotencyKey`, a second enqueue of the same job name
    /// for the same guild and key within the dedupe window is a duplicate and adds nothing.
    @discardableResult
    public func enqueue<Payload>(
        _ kind: JobKind<Payload>, _ payload: Payload, guild: Snowflake = Keyspace.platform, idempotencyKey: String? = nil
    ) async throws -> EnqueueOutcome {
        if let idempotencyKey { try JobValidation.requireKey(idempotencyKey, what: "idempotency key") }
        let now = clock.milliseconds()
        let id = UUID().uuidString.lowercased()
        let envelope = JobEnvelope(
            id: id, name: kind.name, guild: guild, idempotencyKey: idempotencyKey ?? id,
            payload: try kind.encode(payload), queue: driver.queue, enqueuedAt: now, dueAt: now
        )
        let outcome = try await driver.enqueue(envelope, dedupeWindow: idempotencyKey == nil ? nil : dedupeWindow)
        Counter(label: "guildhall_jobs_enqueued_total", dimensions: [("job", kind.name), ("result", outcome.isDuplicate ? "duplicate" : "enqueued")]).increment()
        return outcome
    }

    /// Runs the job once at `date`, durably. `key` names the schedule (e.g.
    /// `giveaway-42-end`): scheduling the same key again keeps the first unless `replace`.
    @discardableResult
    public func schedule<Payload>(
        _ kind: JobKind<Payload>, _ payload: Payload, guild: Snowflake = Keyspace.platform,
        at date: Date, key: String, replace: Bool = false
    ) async throws -> ScheduleOutcome {
        try await schedules.upsert(
            key: key, queue: driver.queue, jobName: kind.name, payload: try kind.encode(payload), guild: guild,
            rule: .once, firstRunAt: date.millisecondsSince1970, replace: replace
        )
    }

    /// Runs the job on `rule` from now on, durably, under `key`. Scheduling an existing key
    /// again replaces its rule and payload (a changed configuration takes effect).
    @discardableResult
    public func recurring<Payload>(
        _ kind: JobKind<Payload>, _ payload: Payload, guild: Snowflake = Keyspace.platform,
        rule: RecurrenceRule, key: String
    ) async throws -> ScheduleOutcome {
        let now = clock.milliseconds()
        guard let first = rule.next(after: now, anchor: now + Self.intervalMilliseconds(rule)) else {
            throw GuildhallError(.invalidInput, "\(rule) has no run after now")
        }
        let existing = try await schedules.find(key: key)
        // An unchanged recurrence keeps its grid (and its next run); a new one starts fresh.
        if let existing, existing.rule == .recurring(rule), existing.state == "scheduled",
           existing.jobName == kind.name, existing.payload == (try kind.encode(payload)), existing.guild == guild {
            return .existing(scheduleID: existing.id)
        }
        return try await schedules.upsert(
            key: key, queue: driver.queue, jobName: kind.name, payload: try kind.encode(payload), guild: guild,
            rule: .recurring(rule), firstRunAt: first, replace: true
        )
    }

    /// Stops a schedule; true when it was active.
    @discardableResult
    public func cancelSchedule(key: String) async throws -> Bool {
        try await schedules.cancel(key: key)
    }

    private static func intervalMilliseconds(_ rule: RecurrenceRule) -> Int64 {
        if case .every(let interval) = rule { return interval.wholeMilliseconds }
        return 0
    }
}
