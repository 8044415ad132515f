/// One kind of Redis key: which feature owns it, how long it lives and how it is cleaned up.
///
/// Every key Guildhall writes is built from a kind (`kind.key(guild:…)`), so every key
/// has a declared lifetime. Keys look like `bot:{<guildId>}:<feature>:<name>[:<part>…]`.
/// The braces are literal: Redis Cluster hashes only the text inside them, so all of
/// one guild's keys share a slot and per-guild scripts and transactions stay valid.
public struct RedisKeyKind: Hashable, Sendable, CustomStringConvertible {
    /// How long a key of this kind lives.
    public enum Lifetime: Hashable, Sendable {
        /// Written with this TTL every time.
        case expiring(Duration)
        /// Has no TTL, for the stated reason (e.g. a durable queue or a cache rebuilt on loss).
        case persistent(reason: String)
        /// A pub/sub channel name: nothing is stored under it.
        case channel
    }

    public let feature: String
    public let name: String
    public let lifetime: Lifetime
    /// How keys of this kind go away (TTL, explicit delete on an event, a sweep job…).
    public let cleanup: String
    /// Names of the parts after `name`, for documentation (e.g. `["userId"]`).
    public let parts: [String]

    public init(feature: String, name: String, lifetime: Lifetime, cleanup: String, parts: [String] = []) {
        precondition(Self.isSegment(feature) && feature == feature.lowercased(), "feature '\(feature)' must be a lowercase key segment")
        precondition(Self.isSegment(name) && name == name.lowercased(), "key name '\(name)' must be a lowercase key segment")
        self.feature = feature
        self.name = name
        self.lifetime = lifetime
        self.cleanup = cleanup
        self.parts = parts
    }

    /// The TTL every write of this kind must use, or nil for persistent keys and channels.
    public var ttl: Duration? {
        if case .expiring(let ttl) = lifetime { return ttl }
        return nil
    }

    /// The documented shape, e.g. `bot:{<guildId>}:leveling:xp:<userId>`.
    public var pattern: String {
        ([Keyspace.prefix, "{<guildId>}", feature, name] + parts.map { "<\($0)>" }).joined(separator: ":")
    }

    public var description: String { pattern }

    /// Builds a key of this kind for one guild. Parts must be plain segments (letters,
    /// digits, `_`, `-`, `.`): no separators or braces that could forge another key.
    public func key(guild: Snowflake, _ parts: String...) throws -> RedisKey {
        try key(guild: guild, parts: parts)
    }

    public func key(guild: Snowflake, parts: [String]) throws -> RedisKey {
        guard parts.count == self.parts.count else {
            throw GuildhallError(.invalidKey, "\(pattern) takes \(self.parts.count) part(s), got \(parts.count)")
        }
        for part in parts where !Self.isSegment(part) {
            throw GuildhallError(.invalidKey, "'\(part)' is not a valid key segment for \(pattern)")
        }
        return RedisKey(guild: guild, kind: self, parts: parts)
    }

    /// `bot:{<guildId>}:<feature>:<name>:` — for bulk writers (the Redis benchmark) that
    /// append the single last part themselves, numbers they generate. Only for kinds with
    /// exactly one part.
    public func prefix(guild: Snowflake) throws -> String {
        guard parts.count == 1 else {
            throw GuildhallError(.invalidKey, "\(pattern) has \(parts.count) parts; a prefix is only offered for kinds with one")
        }
        return RedisKey(guild: guild, kind: self, parts: []).rawValue + ":"
    }

    static func isSegment(_ text: String) -> Bool {
        !text.isEmpty && text.utf8.count <= 128 && text.utf8.allSatisfy { byte in
            (byte >= 0x30 && byte <= 0x39) || (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x61 && byte <= 0x7A)
                || byte == 0x5F || byte == 0x2D || byte == 0x2E
        }
    }
}
