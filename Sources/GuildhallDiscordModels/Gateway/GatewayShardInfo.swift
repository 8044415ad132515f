/// `[shard_id, num_shards]`: which slice of the bot's guilds a session receives.
/// A guild's events go to shard `(guild_id >> 22) % num_shards`.
public struct GatewayShardInfo: Codable, Sendable, Hashable, CustomStringConvertible {
    public var id: Int
    public var count: Int

    /// Nil unless `0 <= id < count`.
    public init?(id: Int, count: Int) {
        guard count > 0, id >= 0, id < count else { return nil }
        self.id = id
        self.count = count
    }

    public var description: String { "[\(id), \(count)]" }

    public init(from decoder: any Decoder) throws {
        var container = try decoder.unkeyedContainer()
        let id = try container.decode(Int.self)
        let count = try container.decode(Int.self)
        guard let info = GatewayShardInfo(id: id, count: count) else {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "shard [\(id), \(count)] is not a valid shard of its count"))
        }
        self = info
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.unkeyedContainer()
        try container.encode(id)
        try container.encode(count)
    }
}
