/// `GET /gateway/bot`: where to connect, how many shards Discord recommends, and how
/// many sessions the bot may still start.
public struct GatewayBotInfo: Codable, Sendable, Hashable {
    public struct SessionStartLimit: Codable, Sendable, Hashable {
        /// Session starts allowed per window (typically 1000 per 24 h).
        public var total: Int
        public var remaining: Int
        /// Milliseconds until `remaining` is reset to `total`.
        public var resetAfter: Int
        /// Identifies allowed per 5 s; shards share a bucket by `shard_id % max_concurrency`.
        public var maxConcurrency: Int

        public init(total: Int, remaining: Int, resetAfter: Int, maxConcurrency: Int) {
            self.total = total
            self.remaining = remaining
            self.resetAfter = resetAfter
            self.maxConcurrency = maxConcurrency
        }

        enum CodingKeys: String, CodingKey {
            case total, remaining
            case resetAfter = "reset_after"
            case maxConcurrency = "max_concurrency"
        }
    }

    /// The WebSocket URL (`wss://gateway.discord.gg/`), without version or encoding.
    public var url: String
    /// Recommended shard count.
    public var shards: Int
    public var sessionStartLimit: SessionStartLimit

    public init(url: String, shards: Int, sessionStartLimit: SessionStartLimit) {
        self.url = url
        self.shards = shards
        self.sessionStartLimit = sessionStartLimit
    }

    enum CodingKeys: String, CodingKey {
        case url, shards
        case sessionStartLimit = "session_start_limit"
    }
}
