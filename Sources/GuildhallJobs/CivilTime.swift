/// Calendar arithmetic in UTC on whole minutes, without Foundation's Calendar: the cron
/// search steps through many candidate minutes and must stay cheap and exact.
struct CivilTime: Equatable {
    var year: Int
    var month: Int
    var day: Int
    var hour: Int
    var minute: Int

    static let millisecondsPerMinute: Int64 = 60_000

    init(year: Int, month: Int, day: Int, hour: Int, minute: Int) {
        self.year = year
        self.month = month
        self.day = day
        self.hour = hour
        self.minute = minute
    }

    /// The minute containing `milliseconds` (since the Unix epoch, UTC).
    init(milliseconds: Int64) {
        let minutes = Self.floorDivide(milliseconds, Self.millisecondsPerMinute)
        let days = Self.floorDivide(minutes, 1440)
        let minuteOfDay = Int(minutes - days * 1440)
        let (year, month, day) = Self.civil(fromDays: days)
        self.init(year: year, month: month, day: day, hour: minuteOfDay / 60, minute: minuteOfDay % 60)
    }

    var milliseconds: Int64 {
        let days = Self.days(year: year, month: month, day: day)
        return (days * 1440 + Int64(hour * 60 + minute)) * Self.millisecondsPerMinute
    }

    /// 0 = Sunday … 6 = Saturday.
    var weekday: Int {
        let days = Self.days(year: year, month: month, day: day)
        return Int(((days % 7) + 7 + 4) % 7) // 1970-01-01 was a Thursday.
    }

    static func isLeapYear(_ year: Int) -> Bool {
        (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
    }

    static func daysInMonth(year: Int, month: Int) -> Int {
        switch month {
        case 2: return isLeapYear(year) ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    mutating func advanceMonth() {
        month += 1
        if month > 12 {
            month = 1
            year += 1
        }
        day = 1
        hour = 0
        minute = 0
    }

    mutating func advanceDay() {
        day += 1
        if day > Self.daysInMonth(year: year, month: month) {
            advanceMonth()
        } else {
            hour = 0
            minute = 0
        }
    }

    mutating func advanceHour() {
        hour += 1
        minute = 0
        if hour > 23 { advanceDay() }
    }

    mutating func advanceMinute() {
        minute += 1
        if minute > 59 { advanceHour() }
    }

    // Days since 1970-01-01 and back (proleptic Gregorian, after H. Hinnant's public algorithm).
    static func days(year: Int, month: Int, day: Int) -> Int64 {
        let y = Int64(month <= 2 ? year - 1 : year)
        let era = floorDivide(y, 400)
        let yearOfEra = y - era * 400
        let shiftedMonth = Int64(month > 2 ? month - 3 : month + 9)
        let dayOfYear = (153 * shiftedMonth + 2) / 5 + Int64(day) - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }

    static func civil(fromDays days: Int64) -> (year: Int, month: Int, day: Int) {
        let shifted = days + 719_468
        let era = floorDivide(shifted, 146_097)
        let dayOfEra = shifted - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let shiftedMonth = (5 * dayOfYear + 2) / 153
        let day = Int(dayOfYear - (153 * shiftedMonth + 2) / 5 + 1)
        let month = Int(shiftedMonth < 10 ? shiftedMonth + 3 : shiftedMonth - 9)
        let year = Int(yearOfEra + era * 400) + (month <= 2 ? 1 : 0)
        return (year, month, day)
    }

    static func floorDivide(_ value: Int64, _ divisor: Int64) -> Int64 {
        let quotient = value / divisor
        return (value % divisor != 0 && (value < 0) != (divisor < 0)) ? quotient - 1 : quotient
    }
}
