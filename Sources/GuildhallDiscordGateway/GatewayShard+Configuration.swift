import GuildhallDiscordModels

extension GatewayShard {
    /// A shard's protocol settings plus what its transport needs.
    public struct Configuration: Sendable {
        public var protocolConfiguration: ShardStateMachine.Configuration
        /// From `GET /gateway/bot`; decides the shard's identify bucket.
        public var maxConcurrency: Int
        /// Longest wait for the WebSocket handshake before the attempt counts as failed.
        public var connectTimeout: Duration
        /// Longest wait for the server to finish a close the shard started.
        public var closeTimeout: Duration
        /// Largest message accepted from the server (a big guild's GUILD_CREATE is large).
        public var maximumMessageSize: Int
        /// The send limit per connection (120 per 60 s, part of it kept for the protocol).
        public var sendLimit: GatewaySendLimiter
        /// Pause before asking the identify limiter again after it failed (e.g. Redis down).
        public var permitRetryDelay: Duration

        public init(
            protocolConfiguration: ShardStateMachine.Configuration, maxConcurrency: Int = 1,
            connectTimeout: Duration = .seconds(30), closeTimeout: Duration = .seconds(5),
            maximumMessageSize: Int = 64 << 20, sendLimit: GatewaySendLimiter = GatewaySendLimiter(),
            permitRetryDelay: Duration = .seconds(2)
        ) {
            self.protocolConfiguration = protocolConfiguration
            self.maxConcurrency = maxConcurrency
            self.connectTimeout = connectTimeout
            self.closeTimeout = closeTimeout
            self.maximumMessageSize = maximumMessageSize
            self.sendLimit = sendLimit
            self.permitRetryDelay = permitRetryDelay
        }

        public var shard: GatewayShardInfo { protocolConfiguration.shard }
    }

    /// Largest payload a client may send (Discord closes with 4002 above it).
    public static let maximumCommandSize = 4096
}
