import GuildhallDiscordModels

extension ShardStateMachine {
    /// Everything a shard's protocol needs to know up front.
    public struct Configuration: Sendable {
        /// The raw bot token (no `Bot ` prefix).
        public var token: String
        public var intents: GatewayIntents
        public var shard: GatewayShardInfo
        /// The gateway URL from `GET /gateway/bot` (used for every new session).
        public var gatewayURL: String
        public var properties: GatewayIdentify.ConnectionProperties
        public var largeThreshold: Int?
        public var presence: GatewayPresenceUpdate?
        /// How long to wait for Hello after the socket opens.
        public var helloTimeout: Duration
        /// How long to wait for READY or RESUMED after Identify or Resume.
        public var sessionTimeout: Duration
        /// The random wait after op 9 before resuming (`d: true`) or identifying again (`d: false`).
        public var invalidSessionWait: ClosedRange<Duration>
        public var backoff: ReconnectBackoff

        public init(
            token: String, intents: GatewayIntents, shard: GatewayShardInfo, gatewayURL: String,
            properties: GatewayIdentify.ConnectionProperties = .guildhall, largeThreshold: Int? = nil,
            presence: GatewayPresenceUpdate? = nil, helloTimeout: Duration = .seconds(20),
            sessionTimeout: Duration = .seconds(60), invalidSessionWait: ClosedRange<Duration> = .seconds(1) ... .seconds(5),
            backoff: ReconnectBackoff = ReconnectBackoff()
        ) {
            self.token = token
            self.intents = intents
            self.shard = shard
            self.gatewayURL = gatewayURL
            self.properties = properties
            self.largeThreshold = largeThreshold
            self.presence = presence
            self.helloTimeout = helloTimeout
            self.sessionTimeout = sessionTimeout
            self.invalidSessionWait = invalidSessionWait
            self.backoff = backoff
        }

        var identify: GatewayIdentify {
            GatewayIdentify(
                token: token, properties: properties, intents: intents, shard: shard,
                largeThreshold: largeThreshold, presence: presence, compress: false
            )
        }
    }

    /// What a resume needs: the session READY named and where to reconnect for it.
    public struct Session: Sendable, Hashable {
        public var id: String
        public var resumeURL: String

        public init(id: String, resumeURL: String) {
            self.id = id
            self.resumeURL = resumeURL
        }
    }
}
