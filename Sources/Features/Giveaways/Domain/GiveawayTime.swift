import Foundation
import GuildhallCore

/// Reads the times people type into `/giveaway start`: a duration from now ("90m",
/// "1h30m", "2d", "1w 2d") or a moment ("2026-12-24T18:00:00Z", "2026-12-24 18:00" in UTC,
/// or Unix seconds). Returns seconds since 1970.
public enum GiveawayTime {
    static let units: [Character: Double] = ["s": 1, "m": 60, "h": 3_600, "d": 86_400, "w": 604_800]

    public static func parse(_ text: String, now: Double) throws -> Double {
        let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines).lowercased()
        if let seconds = duration(trimmed) { return now + seconds }
        if trimmed.count >= 9, trimmed.allSatisfy(\.isNumber), let unix = Double(trimmed) { return unix }
        if let date = moment(trimmed) { return date.timeIntervalSince1970 }
        throw GuildhallError(.invalidInput, "'\(text)' is not a duration (like 90m, 1h30m, 2d) or a time (like 2026-12-24T18:00Z)")
    }

    /// "1h30m" → 5400; nil when the text is not a run of number-and-unit pairs.
    static func duration(_ text: String) -> Double? {
        var total: Double = 0
        var digits = ""
        var sawUnit = false
        for character in text where character != " " {
            if character.isNumber {
                digits.append(character)
            } else if let unit = units[character], let value = Double(digits), !digits.isEmpty {
                total += value * unit
                digits = ""
                sawUnit = true
            } else {
                return nil
            }
        }
        guard sawUnit, digits.isEmpty, total > 0 else { return nil }
        return total
    }

    static func moment(_ text: String) -> Date? {
        let iso = ISO8601DateFormatter()
        for options: ISO8601DateFormatter.Options in [[.withInternetDateTime], [.withInternetDateTime, .withFractionalSeconds]] {
            iso.formatOptions = options
            if let date = iso.date(from: text.uppercased()) { return date }
        }
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        for format in ["yyyy-MM-dd HH:mm", "yyyy-MM-dd'T'HH:mm", "yyyy-MM-dd'T'HH:mm'Z'", "yyyy-MM-dd"] {
            formatter.dateFormat = format
            if let date = formatter.date(from: text.uppercased()) { return date }
        }
        return nil
    }
}
