import GuildhallCore

/// When a recurring job runs: on a cron expression (UTC), or every fixed interval counted
/// from the schedule's first run.
public enum RecurrenceRule: Sendable, Equatable, CustomStringConvertible {
    case cron(CronExpression)
    case every(Duration)

    public static let minimumInterval: Duration = .seconds(1)

    /// A cron rule from text; throws `invalidInput` for bad syntax or an expression that
    /// never comes (February 30th).
    public static func cron(_ text: String) throws -> RecurrenceRule {
        let expression = try CronExpression(text)
        guard expression.next(after: 0) != nil || expression.next(after: JobClock.system.milliseconds()) != nil else {
            throw GuildhallError(.invalidInput, "cron expression '\(text)' never matches a real date")
        }
        return .cron(expression)
    }

    /// An interval rule; at least one second.
    public static func interval(_ interval: Duration) throws -> RecurrenceRule {
        guard interval >= minimumInterval else {
            throw GuildhallError(.invalidInput, "a recurring interval must be at least \(minimumInterval.compactDescription), got \(interval)")
        }
        return .every(interval)
    }

    /// The first run strictly after `milliseconds`. Intervals count from `anchor` (the
    /// first run), so runs stay on their grid after a pause.
    public func next(after milliseconds: Int64, anchor: Int64) -> Int64? {
        switch self {
        case .cron(let expression):
            return expression.next(after: milliseconds)
        case .every(let interval):
            let step = max(1, interval.wholeMilliseconds)
            guard milliseconds >= anchor else { return anchor }
            return anchor + ((milliseconds - anchor) / step + 1) * step
        }
    }

    public var description: String {
        switch self {
        case .cron(let expression): return "cron '\(expression)'"
        case .every(let interval): return "every \(interval.compactDescription)"
        }
    }
}

/// What a durable schedule row holds: one run, or a recurrence.
public enum ScheduleRule: Sendable, Equatable {
    case once
    case recurring(RecurrenceRule)

    /// The `kind` column's value.
    var kind: String {
        switch self {
        case .once: return "once"
        case .recurring(.cron): return "cron"
        case .recurring(.every): return "interval"
        }
    }

    /// Reads the rule back from the row's columns.
    static func parse(kind: String, cron: String?, intervalMilliseconds: Int64?) throws -> ScheduleRule {
        switch (kind, cron, intervalMilliseconds) {
        case ("once", _, _):
            return .once
        case ("cron", let text?, _):
            return .recurring(.cron(try CronExpression(text)))
        case ("interval", _, let milliseconds?) where milliseconds > 0:
            return .recurring(.every(.milliseconds(milliseconds)))
        default:
            throw GuildhallError(.internalError, "a job schedule row has kind '\(kind)' without a usable rule")
        }
    }
}
