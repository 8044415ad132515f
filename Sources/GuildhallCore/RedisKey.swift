/// A built Redis key (or pub/sub channel name). The only way to make one is through
/// `RedisKeyKind.key(guild:…)`, which keeps the keyspace in one place.
public struct RedisKey: Hashable, Sendable, CustomStringConvertible {
    public let guild: Snowflake
    public let kind: RedisKeyKind
    public let parts: [String]
    /// The key as sent to Redis.
    public let rawValue: String

    init(guild: Snowflake, kind: RedisKeyKind, parts: [String]) {
        self.guild = guild
        self.kind = kind
        self.parts = parts
        self.rawValue = ([Keyspace.prefix, "{\(guild.rawValue)}", kind.feature, kind.name] + parts).joined(separator: ":")
    }

    public var description: String { rawValue }
}

/// The keyspace's shared rules.
public enum Keyspace {
    public static let prefix = "bot"

    /// The pseudo-guild that owns platform-wide keys (job queues, global limits):
    /// snowflake 0 is never a real guild.
    public static let platform = Snowflake(0)

    /// Parses a raw key back into guild, feature and the rest; nil when it is not ours.
    public static func parse(_ raw: String) -> (guild: Snowflake, feature: String, rest: [String])? {
        let segments = raw.split(separator: ":", omittingEmptySubsequences: false).map(String.init)
        guard segments.count >= 4, segments[0] == prefix else { return nil }
        let braced = segments[1]
        guard braced.hasPrefix("{"), braced.hasSuffix("}"), braced.count > 2,
              let guild = Snowflake(braced.dropFirst().dropLast()),
              String(guild.rawValue) == braced.dropFirst().dropLast() else { return nil }
        guard segments[2...].allSatisfy(RedisKeyKind.isSegment) else { return nil }
        return (guild, segments[2], Array(segments[3...]))
    }

    /// Checks a list of declared kinds: no two kinds share a feature and name.
    public static func duplicates(in kinds: [RedisKeyKind]) -> [String] {
        var seen: [String: Int] = [:]
        for kind in kinds { seen["\(kind.feature):\(kind.name)", default: 0] += 1 }
        return seen.filter { $0.value > 1 }.map(\.key).sorted()
    }
}

extension Duration {
    /// Whole milliseconds, for Redis `PX`/`PEXPIRE` arguments.
    public var wholeMilliseconds: Int64 {
        let (seconds, attoseconds) = components
        return seconds * 1000 + attoseconds / 1_000_000_000_000_000
    }
}

extension Duration {
    /// `10m`, `30s`, `1h30m`, `250ms`: for documentation and logs.
    public var compactDescription: String {
        var milliseconds = wholeMilliseconds
        if milliseconds < 1000 { return "\(milliseconds)ms" }
        var parts: [String] = []
        for (unit, size) in [("d", Int64(86_400_000)), ("h", 3_600_000), ("m", 60_000), ("s", 1000)] where milliseconds >= size {
            parts.append("\(milliseconds / size)\(unit)")
            milliseconds %= size
        }
        if milliseconds > 0 { parts.append("\(milliseconds)ms") }
        return parts.joined()
    }
}
