import GuildhallCore

/// Reads the text of a cron expression into bit sets, with errors that say which field
/// and what is wrong.
enum CronParser {
    struct Field {
        let name: String
        let range: ClosedRange<Int>
        let names: [String: Int]
    }

    static let fields: [Field] = [
        Field(name: "minute", range: 0...59, names: [:]),
        Field(name: "hour", range: 0...23, names: [:]),
        Field(name: "day of month", range: 1...31, names: [:]),
        Field(name: "month", range: 1...12, names: [
            "jan": 1, "feb": 2, "mar": 3, "apr": 4, "may": 5, "jun": 6,
            "jul": 7, "aug": 8, "sep": 9, "oct": 10, "nov": 11, "dec": 12,
        ]),
        // 7 is accepted as Sunday and folded to 0 below.
        Field(name: "day of week", range: 0...7, names: ["sun": 0, "mon": 1, "tue": 2, "wed": 3, "thu": 4, "fri": 5, "sat": 6]),
    ]

    static let shorthands: [String: String] = [
        "@hourly": "0 * * * *", "@daily": "0 0 * * *", "@midnight": "0 0 * * *",
        "@weekly": "0 0 * * 0", "@monthly": "0 0 1 * *", "@yearly": "0 0 1 1 *", "@annually": "0 0 1 1 *",
    ]

    static func parse(_ text: String) throws -> (fields: [CronExpression.FieldSet], restricted: [Bool]) {
        var source = text.split(whereSeparator: { $0 == " " || $0 == "\t" }).joined(separator: " ")
        if source.hasPrefix("@") {
            guard let expanded = shorthands[source.lowercased()] else {
                throw error(text, "unknown shorthand '\(source)'; use @hourly, @daily, @midnight, @weekly, @monthly, @yearly or @annually")
            }
            source = expanded
        }
        let parts = source.split(separator: " ").map(String.init)
        guard parts.count == 5 else {
            throw error(text, "needs 5 fields (minute hour day-of-month month day-of-week), got \(parts.count)")
        }
        var sets: [CronExpression.FieldSet] = []
        for (index, part) in parts.enumerated() {
            var set = try parseField(part, fields[index], text: text)
            if index == 4, set.contains(7) {
                set.bits &= ~(1 << 7)
                set.insert(0)
            }
            sets.append(set)
        }
        return (sets, parts.map { !$0.hasPrefix("*") })
    }

    private static func parseField(_ text: String, _ field: Field, text source: String) throws -> CronExpression.FieldSet {
        var set = CronExpression.FieldSet()
        for item in text.split(separator: ",", omittingEmptySubsequences: false).map(String.init) {
            guard !item.isEmpty else { throw error(source, "\(field.name): empty list item in '\(text)'") }
            let stepParts = item.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
            guard stepParts.count <= 2 else { throw error(source, "\(field.name): '\(item)' has more than one '/'") }
            var step = 1
            if stepParts.count == 2 {
                guard let parsed = Int(stepParts[1]), parsed >= 1, parsed <= field.range.upperBound else {
                    throw error(source, "\(field.name): step '\(stepParts[1])' must be a number from 1 to \(field.range.upperBound)")
                }
                step = parsed
            }
            let lower: Int, upper: Int
            if stepParts[0] == "*" {
                (lower, upper) = (field.range.lowerBound, field.range.upperBound == 7 ? 6 : field.range.upperBound)
            } else if let dash = stepParts[0].firstIndex(of: "-") {
                lower = try value(String(stepParts[0][..<dash]), field, source)
                upper = try value(String(stepParts[0][stepParts[0].index(after: dash)...]), field, source)
                guard lower <= upper else { throw error(source, "\(field.name): range '\(stepParts[0])' runs backwards") }
            } else {
                lower = try value(stepParts[0], field, source)
                // `a/n` means from a to the end of the field, every n.
                upper = stepParts.count == 2 ? (field.range.upperBound == 7 ? 6 : field.range.upperBound) : lower
            }
            for value in stride(from: lower, through: upper, by: step) { set.insert(value) }
        }
        return set
    }

    private static func value(_ text: String, _ field: Field, _ source: String) throws -> Int {
        if let named = field.names[text.lowercased()] { return named }
        guard let number = Int(text), text.allSatisfy(\.isASCII) else {
            throw error(source, "\(field.name): '\(text)' is not a number\(field.names.isEmpty ? "" : " or a name")")
        }
        guard field.range.contains(number) else {
            throw error(source, "\(field.name): \(number) is outside \(field.range.lowerBound)-\(field.range.upperBound)")
        }
        return number
    }

    private static func error(_ source: String, _ message: String) -> GuildhallError {
        GuildhallError(.invalidInput, "cron expression '\(source)': \(message)")
    }
}
