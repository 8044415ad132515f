/// A Discord snowflake: a UInt64 inside, a decimal string on the wire.
public struct Snowflake: Hashable, Comparable, Sendable, CustomStringConvertible {
    /// Milliseconds since the Unix epoch at which Discord's snowflakes start (2015-01-01).
    public static let discordEpochMilliseconds: UInt64 = 1_420_070_400_000

    public let rawValue: UInt64

    public init(_ rawValue: UInt64) { self.rawValue = rawValue }

    /// Parses a decimal string; `nil` for anything that is not an unsigned 64-bit integer.
    public init?(_ string: some StringProtocol) {
        guard !string.isEmpty, string.allSatisfy(\.isASCII), let value = UInt64(string) else { return nil }
        self.rawValue = value
    }

    /// Builds a snowflake from its parts (used by fixtures and the sandbox).
    public init(timestampMilliseconds: UInt64, worker: UInt8 = 0, process: UInt8 = 0, increment: UInt16 = 0) {
        let since = timestampMilliseconds &- Self.discordEpochMilliseconds
        rawValue = (since << 22) | (UInt64(worker & 0x1F) << 17) | (UInt64(process & 0x1F) << 12) | UInt64(increment & 0xFFF)
    }

    /// Milliseconds since the Unix epoch at which this id was made.
    public var timestampMilliseconds: UInt64 { (rawValue >> 22) + Self.discordEpochMilliseconds }

    /// The shard that receives this guild's events: `(guild_id >> 22) % shard_count`.
    public func shard(count: Int) -> Int {
        precondition(count > 0, "shard count must be positive")
        return Int((rawValue >> 22) % UInt64(count))
    }

    /// The value stored in signed 64-bit database columns (bit-for-bit).
    public var databaseValue: Int64 { Int64(bitPattern: rawValue) }
    public init(databaseValue: Int64) { rawValue = UInt64(bitPattern: databaseValue) }

    public var description: String { String(rawValue) }
    public static func < (lhs: Snowflake, rhs: Snowflake) -> Bool { lhs.rawValue < rhs.rawValue }
}

extension Snowflake: Codable {
    /// Accepts the wire form (a string) and, tolerantly, a bare number.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if let string = try? container.decode(String.self) {
            guard let value = Snowflake(string) else {
                throw DecodingError.dataCorruptedError(in: container, debugDescription: "'\(string)' is not a snowflake")
            }
            self = value
        } else {
            self.init(try container.decode(UInt64.self))
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(String(rawValue))
    }
}
