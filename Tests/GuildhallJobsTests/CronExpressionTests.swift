import Foundation
import GuildhallCore
@testable import GuildhallJobs
import Testing

/// Milliseconds of a UTC date, for readable expectations.
func utc(_ year: Int, _ month: Int, _ day: Int, _ hour: Int = 0, _ minute: Int = 0) -> Int64 {
    CivilTime(year: year, month: month, day: day, hour: hour, minute: minute).milliseconds
}

@Suite("Cron expressions")
struct CronExpressionTests {
    @Test("civil time agrees with Foundation's calendar, both ways")
    func civilTime() throws {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        for milliseconds: Int64 in [0, 951_782_400_000, 1_709_164_800_000, 4_102_444_800_000, 4_107_542_399_000, -86_400_000] {
            let time = CivilTime(milliseconds: milliseconds)
            let parts = calendar.dateComponents([.year, .month, .day, .hour, .minute, .weekday], from: Date(milliseconds: milliseconds))
            #expect(time.year == parts.year && time.month == parts.month && time.day == parts.day)
            #expect(time.hour == parts.hour && time.minute == parts.minute)
            #expect(time.weekday == parts.weekday! - 1)
            #expect(time.milliseconds == milliseconds - milliseconds % 60_000 - (milliseconds < 0 && milliseconds % 60_000 != 0 ? 60_000 : 0))
        }
        #expect(CivilTime.isLeapYear(2000) && CivilTime.isLeapYear(2024) && !CivilTime.isLeapYear(1900) && !CivilTime.isLeapYear(2100))
        #expect(CivilTime.daysInMonth(year: 2024, month: 2) == 29)
        #expect(CivilTime.daysInMonth(year: 2023, month: 2) == 28)
        #expect(CivilTime.daysInMonth(year: 2023, month: 4) == 30)
        #expect(CivilTime.daysInMonth(year: 2023, month: 12) == 31)
    }

    @Test("every minute and simple fixed times")
    func simple() throws {
        let everyMinute = try CronExpression("* * * * *")
        #expect(everyMinute.next(after: utc(2030, 1, 1, 10, 5) + 30_000) == utc(2030, 1, 1, 10, 6))
        #expect(everyMinute.next(after: utc(2030, 1, 1, 10, 5)) == utc(2030, 1, 1, 10, 6), "strictly after")
        let daily = try CronExpression("30 4 * * *")
        #expect(daily.next(after: utc(2030, 1, 1, 4, 29)) == utc(2030, 1, 1, 4, 30))
        #expect(daily.next(after: utc(2030, 1, 1, 4, 30)) == utc(2030, 1, 2, 4, 30))
        #expect(daily.next(after: utc(2030, 12, 31, 5, 0)) == utc(2031, 1, 1, 4, 30), "year rollover")
        #expect(daily.matches(utc(2030, 6, 6, 4, 30) + 59_999))
        #expect(!daily.matches(utc(2030, 6, 6, 4, 31)))
        #expect(daily.description == "30 4 * * *")
    }

    @Test("ranges, lists and steps")
    func syntax() throws {
        let workHours = try CronExpression("0,30 9-17/4 * * mon-fri")
        // 2030-01-04 is a Friday.
        #expect(workHours.next(after: utc(2030, 1, 4, 9, 0)) == utc(2030, 1, 4, 9, 30))
        #expect(workHours.next(after: utc(2030, 1, 4, 9, 30)) == utc(2030, 1, 4, 13, 0))
        #expect(workHours.next(after: utc(2030, 1, 4, 17, 30)) == utc(2030, 1, 7, 9, 0), "over the weekend to Monday")
        let quarter = try CronExpression("*/15 * * * *")
        #expect(quarter.next(after: utc(2030, 1, 1, 0, 44)) == utc(2030, 1, 1, 0, 45))
        #expect(quarter.next(after: utc(2030, 1, 1, 0, 45)) == utc(2030, 1, 1, 1, 0))
        let fromFive = try CronExpression("5/20 * * * *")
        #expect(fromFive.next(after: utc(2030, 1, 1, 0, 6)) == utc(2030, 1, 1, 0, 25))
        #expect(fromFive.next(after: utc(2030, 1, 1, 0, 45)) == utc(2030, 1, 1, 1, 5))
        let months = try CronExpression("0 0 1 JAN,jul *")
        #expect(months.next(after: utc(2030, 2, 1)) == utc(2030, 7, 1))
        let sunday7 = try CronExpression("0 12 * * 7")
        #expect(sunday7.next(after: utc(2030, 1, 1)) == utc(2030, 1, 6, 12, 0), "7 is Sunday too")
        #expect(try CronExpression("  0   12 *  *\t7 ") == sunday7, "whitespace is normalised")
    }

    @Test("day of month and day of week: either when both are restricted, both when one is *")
    func dayFields() throws {
        let either = try CronExpression("0 0 13 * fri")
        // After 2030-01-01: Friday the 4th comes before the 13th.
        #expect(either.next(after: utc(2030, 1, 1)) == utc(2030, 1, 4))
        #expect(either.next(after: utc(2030, 1, 11)) == utc(2030, 1, 13))
        let onlyWeekday = try CronExpression("0 0 * * 1")
        #expect(onlyWeekday.next(after: utc(2030, 1, 1)) == utc(2030, 1, 7))
        let stepDays = try CronExpression("0 0 */10 * *")
        #expect(stepDays.next(after: utc(2030, 1, 1)) == utc(2030, 1, 11))
        #expect(stepDays.next(after: utc(2030, 1, 31)) == utc(2030, 2, 1))
    }

    @Test("short months and leap days")
    func calendarEdges() throws {
        let thirtyFirst = try CronExpression("0 0 31 * *")
        #expect(thirtyFirst.next(after: utc(2030, 4, 1)) == utc(2030, 5, 31), "April has no 31st")
        let leapDay = try CronExpression("0 0 29 2 *")
        #expect(leapDay.next(after: utc(2030, 1, 1)) == utc(2032, 2, 29))
        #expect(leapDay.next(after: utc(2097, 1, 1)) == utc(2104, 2, 29), "2100 is not a leap year")
        #expect(try CronExpression("0 0 30 2 *").next(after: utc(2030, 1, 1)) == nil, "February 30th never comes")
    }

    @Test("shorthands")
    func shorthands() throws {
        #expect(try CronExpression("@hourly").next(after: utc(2030, 1, 1, 5, 10)) == utc(2030, 1, 1, 6, 0))
        #expect(try CronExpression("@daily").next(after: utc(2030, 1, 1, 5)) == utc(2030, 1, 2))
        #expect(try CronExpression("@midnight") == CronExpression("@daily"))
        #expect(try CronExpression("@daily") == CronExpression("0 0 * * *") && CronExpression("@daily").description == "@daily")
        #expect(try CronExpression("0 0 * * *") != CronExpression("0 0 * * 0-6"), "a restricted day-of-week field reads differently")
        #expect(try CronExpression("@weekly").next(after: utc(2030, 1, 1)) == utc(2030, 1, 6))
        #expect(try CronExpression("@monthly").next(after: utc(2030, 1, 1)) == utc(2030, 2, 1))
        #expect(try CronExpression("@YEARLY").next(after: utc(2030, 1, 1)) == utc(2031, 1, 1))
        #expect(try CronExpression("@annually") == CronExpression("@yearly"))
    }

    @Test("bad expressions name the field and the problem", arguments: [
        ("", "needs 5 fields"), ("* * * *", "needs 5 fields"), ("* * * * * *", "needs 5 fields"),
        ("60 * * * *", "minute: 60 is outside 0-59"), ("* 24 * * *", "hour: 24 is outside 0-23"),
        ("* * 0 * *", "day of month: 0 is outside 1-31"), ("* * * 13 *", "month: 13 is outside 1-12"),
        ("* * * * 8", "day of week: 8 is outside 0-7"), ("* * * foo *", "month: 'foo' is not a number or a name"),
        ("x * * * *", "minute: 'x' is not a number"), ("5-1 * * * *", "runs backwards"), ("*/0 * * * *", "step '0'"),
        ("*/x * * * *", "step 'x'"), ("1/2/3 * * * *", "more than one '/'"), ("1,,2 * * * *", "empty list item"),
        ("@sometimes", "unknown shorthand"), ("٣ * * * *", "is not a number"),
    ])
    func invalid(text: String, message: String) {
        let error = #expect(throws: GuildhallError.self) { _ = try CronExpression(text) }
        #expect(error?.code == .invalidInput)
        #expect(error?.message.contains(message) == true, "\(error?.message ?? "")")
    }
}

@Suite("Recurrence rules")
struct RecurrenceRuleTests {
    @Test("intervals keep their grid from the anchor")
    func intervals() throws {
        let rule = try RecurrenceRule.interval(.seconds(10))
        #expect(rule.next(after: 1000, anchor: 5000) == 5000, "before the anchor: the anchor")
        #expect(rule.next(after: 5000, anchor: 5000) == 15_000)
        #expect(rule.next(after: 14_999, anchor: 5000) == 15_000)
        #expect(rule.next(after: 61_234, anchor: 5000) == 65_000, "after a pause it continues on the grid")
        #expect(rule.description == "every 10s")
        #expect(throws: GuildhallError.self) { _ = try RecurrenceRule.interval(.milliseconds(999)) }
    }

    @Test("cron rules come from text and refuse dates that never come")
    func cron() throws {
        let rule = try RecurrenceRule.cron("0 3 * * *")
        #expect(rule.next(after: utc(2030, 1, 1, 4), anchor: 0) == utc(2030, 1, 2, 3))
        #expect(rule.description == "cron '0 3 * * *'")
        let never = #expect(throws: GuildhallError.self) { _ = try RecurrenceRule.cron("0 0 31 2 *") }
        #expect(never?.message.contains("never matches") == true)
        #expect(throws: GuildhallError.self) { _ = try RecurrenceRule.cron("nonsense") }
    }

    @Test("schedule rules round-trip through their columns")
    func columns() throws {
        #expect(ScheduleRule.once.kind == "once")
        #expect(try ScheduleRule.parse(kind: "once", cron: nil, intervalMilliseconds: nil) == .once)
        let cron = ScheduleRule.recurring(try .cron("*/5 * * * *"))
        #expect(cron.kind == "cron")
        #expect(try ScheduleRule.parse(kind: "cron", cron: "*/5 * * * *", intervalMilliseconds: nil) == cron)
        let interval = ScheduleRule.recurring(.every(.seconds(30)))
        #expect(interval.kind == "interval")
        #expect(try ScheduleRule.parse(kind: "interval", cron: nil, intervalMilliseconds: 30_000) == interval)
        #expect(throws: GuildhallError.self) { _ = try ScheduleRule.parse(kind: "interval", cron: nil, intervalMilliseconds: 0) }
        #expect(throws: GuildhallError.self) { _ = try ScheduleRule.parse(kind: "cron", cron: nil, intervalMilliseconds: nil) }
        #expect(throws: GuildhallError.self) { _ = try ScheduleRule.parse(kind: "weekly", cron: nil, intervalMilliseconds: nil) }
    }
}
