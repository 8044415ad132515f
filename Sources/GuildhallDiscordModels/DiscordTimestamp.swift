import Foundation

/// An instant as Discord writes it: ISO 8601, usually with microseconds and `+00:00`
/// (`2022-09-14T17:00:18.704163+00:00`). Kept as whole microseconds since the Unix epoch so
/// a value decodes and encodes back to the same text, which `Date` (a Double) cannot promise.
public struct DiscordTimestamp: Hashable, Comparable, Sendable, CustomStringConvertible {
    public let microsecondsSinceEpoch: Int64

    public init(microsecondsSinceEpoch: Int64) {
        self.microsecondsSinceEpoch = microsecondsSinceEpoch
    }

    public init(millisecondsSinceEpoch: Int64) {
        microsecondsSinceEpoch = millisecondsSinceEpoch * 1_000
    }

    /// Rounds `date` to the nearest microsecond.
    public init(date: Date) {
        microsecondsSinceEpoch = Int64((date.timeIntervalSince1970 * 1_000_000).rounded())
    }

    public var date: Date { Date(timeIntervalSince1970: Double(microsecondsSinceEpoch) / 1_000_000) }

    public var millisecondsSinceEpoch: Int64 { Self.floorDivide(microsecondsSinceEpoch, 1_000).quotient }

    /// This instant moved by `duration` (sub-microsecond parts are dropped).
    public func advanced(by duration: Duration) -> DiscordTimestamp {
        let (seconds, attoseconds) = duration.components
        return DiscordTimestamp(microsecondsSinceEpoch: microsecondsSinceEpoch + seconds * 1_000_000 + attoseconds / 1_000_000_000_000)
    }

    /// How long after `earlier` this instant is (negative when it is before).
    public func duration(since earlier: DiscordTimestamp) -> Duration {
        .microseconds(microsecondsSinceEpoch - earlier.microsecondsSinceEpoch)
    }

    public static func < (lhs: DiscordTimestamp, rhs: DiscordTimestamp) -> Bool {
        lhs.microsecondsSinceEpoch < rhs.microsecondsSinceEpoch
    }

    public var description: String { iso8601 }

    static func floorDivide(_ value: Int64, _ divisor: Int64) -> (quotient: Int64, remainder: Int64) {
        var quotient = value / divisor
        var remainder = value % divisor
        if remainder < 0 {
            quotient -= 1
            remainder += divisor
        }
        return (quotient, remainder)
    }
}

extension DiscordTimestamp: Codable {
    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let text = try container.decode(String.self)
        guard let value = DiscordTimestamp(iso8601: text) else {
            throw DecodingError.dataCorruptedError(in: container, debugDescription: "'\(text)' is not an ISO 8601 timestamp")
        }
        self = value
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(iso8601)
    }
}
