import GuildhallCore

/// A five-field cron expression, evaluated in UTC: minute (0-59), hour (0-23), day of the
/// month (1-31), month (1-12 or JAN-DEC) and day of the week (0-7 or SUN-SAT; 0 and 7 are
/// Sunday). Each field takes `*`, numbers, ranges `a-b`, lists `a,b` and steps `*/n`,
/// `a-b/n` or `a/n`. `@hourly`, `@daily` (`@midnight`), `@weekly`, `@monthly` and
/// `@yearly` (`@annually`) are shorthands. As in Vixie cron, when both day fields are
/// restricted a day matching either one runs.
public struct CronExpression: Sendable, Equatable, CustomStringConvertible {
    public let source: String
    let minutes: FieldSet
    let hours: FieldSet
    let daysOfMonth: FieldSet
    let months: FieldSet
    let daysOfWeek: FieldSet
    let dayOfMonthRestricted: Bool
    let dayOfWeekRestricted: Bool

    /// The allowed values of one field as bits.
    struct FieldSet: Equatable {
        var bits: UInt64 = 0
        func contains(_ value: Int) -> Bool { bits & (1 << UInt64(value)) != 0 }
        mutating func insert(_ value: Int) { bits |= 1 << UInt64(value) }
    }

    public var description: String { source }

    /// Two expressions are equal when they match the same minutes (`@daily` equals `0 0 * * *`).
    public static func == (lhs: CronExpression, rhs: CronExpression) -> Bool {
        lhs.minutes == rhs.minutes && lhs.hours == rhs.hours && lhs.daysOfMonth == rhs.daysOfMonth && lhs.months == rhs.months
            && lhs.daysOfWeek == rhs.daysOfWeek && lhs.dayOfMonthRestricted == rhs.dayOfMonthRestricted
            && lhs.dayOfWeekRestricted == rhs.dayOfWeekRestricted
    }

    public init(_ text: String) throws {
        let parsed = try CronParser.parse(text)
        source = text.split(whereSeparator: { $0 == " " || $0 == "\t" }).joined(separator: " ")
        minutes = parsed.fields[0]
        hours = parsed.fields[1]
        daysOfMonth = parsed.fields[2]
        months = parsed.fields[3]
        daysOfWeek = parsed.fields[4]
        dayOfMonthRestricted = parsed.restricted[2]
        dayOfWeekRestricted = parsed.restricted[4]
    }

    /// The first minute strictly after `milliseconds` that matches, in ms since the epoch;
    /// nil when none comes within ten years (e.g. February 30th).
    public func next(after milliseconds: Int64) -> Int64? {
        var time = CivilTime(milliseconds: milliseconds)
        time.advanceMinute()
        let lastYear = time.year + 10
        while time.year <= lastYear {
            if !months.contains(time.month) {
                time.advanceMonth()
            } else if !matchesDay(time) {
                time.advanceDay()
            } else if !hours.contains(time.hour) {
                time.advanceHour()
            } else if !minutes.contains(time.minute) {
                time.advanceMinute()
            } else {
                return time.milliseconds
            }
        }
        return nil
    }

    /// Whether the minute containing `milliseconds` matches.
    public func matches(_ milliseconds: Int64) -> Bool {
        let time = CivilTime(milliseconds: milliseconds)
        return months.contains(time.month) && matchesDay(time) && hours.contains(time.hour) && minutes.contains(time.minute)
    }

    private func matchesDay(_ time: CivilTime) -> Bool {
        let byMonthDay = daysOfMonth.contains(time.day)
        let byWeekday = daysOfWeek.contains(time.weekday)
        if dayOfMonthRestricted && dayOfWeekRestricted { return byMonthDay || byWeekday }
        return byMonthDay && byWeekday
    }
}
