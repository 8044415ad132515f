import Foundation
import GuildhallCore
import GuildhallDiscordModels

extension ShardManager {
    /// Which shards this process runs, how they identify, and how patient they are.
    public struct Configuration: Sendable {
        /// The raw bot token (no `Bot ` prefix).
        public var token: String
        public var intents: GatewayIntents
        /// The shards this process runs, e.g. 0–3 of 8.
        public var shardIDs: [Int]
        /// The bot's total shard count (every process uses the same).
        public var shardCount: Int
        /// From `GET /gateway/bot` (`url`).
        public var gatewayURL: String
        /// From `GET /gateway/bot` (`session_start_limit.max_concurrency`).
        public var maxConcurrency: Int
        public var properties: GatewayIdentify.ConnectionProperties = .guildhall
        public var largeThreshold: Int?
        public var presence: GatewayPresenceUpdate?
        public var helloTimeout: Duration = .seconds(20)
        /// Events each shard may hold for the bot before its reader waits (see `ShardEventQueue`).
        public var eventQueueCapacity = 1_024
        public var sessionTimeout: Duration = .seconds(60)
        public var invalidSessionWait: ClosedRange<Duration> = .seconds(1) ... .seconds(5)
        public var backoff = ReconnectBackoff()
        public var connectTimeout: Duration = .seconds(30)
        public var closeTimeout: Duration = .seconds(5)
        public var sendLimit = GatewaySendLimiter()
        public var permitRetryDelay: Duration = .seconds(2)

        public init(token: String, intents: GatewayIntents, shardIDs: [Int], shardCount: Int, gatewayURL: String, maxConcurrency: Int = 1) {
            self.token = token
            self.intents = intents
            self.shardIDs = shardIDs
            self.shardCount = shardCount
            self.gatewayURL = gatewayURL
            self.maxConcurrency = maxConcurrency
        }

        /// From `GET /gateway/bot`. Refuses to start more sessions than the daily budget
        /// has left: spending it all makes Discord reset the bot's token.
        public init(token: String, intents: GatewayIntents, shardIDs: [Int], shardCount: Int, botInfo: GatewayBotInfo) throws {
            let limit = botInfo.sessionStartLimit
            guard limit.remaining >= shardIDs.count else {
                throw GuildhallError(
                    .gatewaySessionStartLimit,
                    "\(shardIDs.count) shard(s) need session starts but only \(limit.remaining) of \(limit.total) remain; the budget resets in \(Duration.milliseconds(limit.resetAfter).compactDescription)"
                )
            }
            self.init(token: token, intents: intents, shardIDs: shardIDs, shardCount: shardCount, gatewayURL: botInfo.url, maxConcurrency: limit.maxConcurrency)
        }

        /// Every problem with the configuration (empty when it is usable).
        public var problems: [String] {
            var problems: [String] = []
            if token.isEmpty || token.contains(where: \.isWhitespace) || token.hasPrefix("Bot ") {
                problems.append("the token must be the raw bot token: not empty, no spaces, no 'Bot ' prefix")
            }
            if shardCount < 1 { problems.append("the shard count must be at least 1, got \(shardCount)") }
            if shardIDs.isEmpty { problems.append("no shards to run") }
            if Set(shardIDs).count != shardIDs.count { problems.append("shard ids repeat: \(shardIDs)") }
            let outside = shardIDs.filter { $0 < 0 || $0 >= shardCount }
            if !outside.isEmpty { problems.append("shard ids \(outside) are outside 0..<\(shardCount)") }
            if maxConcurrency < 1 { problems.append("max_concurrency must be at least 1, got \(maxConcurrency)") }
            if intents.undocumentedBits != 0 { problems.append("intents carry undocumented bits 0x\(String(intents.undocumentedBits, radix: 16))") }
            if let largeThreshold, !(50...250).contains(largeThreshold) {
                problems.append("large_threshold must be within 50–250, got \(largeThreshold)")
            }
            if !(gatewayURL.hasPrefix("wss://") || gatewayURL.hasPrefix("ws://")) {
                problems.append("the gateway URL must start with wss:// or ws://, got '\(gatewayURL)'")
            }
            return problems
        }

        /// The settings of one shard this configuration runs.
        func shardConfiguration(id: Int) -> GatewayShard.Configuration {
            let protocolConfiguration = ShardStateMachine.Configuration(
                token: token, intents: intents, shard: GatewayShardInfo(id: id, count: shardCount)!, gatewayURL: gatewayURL,
                properties: properties, largeThreshold: largeThreshold, presence: presence, helloTimeout: helloTimeout,
                sessionTimeout: sessionTimeout, invalidSessionWait: invalidSessionWait, backoff: backoff
            )
            return GatewayShard.Configuration(
                protocolConfiguration: protocolConfiguration, maxConcurrency: maxConcurrency, connectTimeout: connectTimeout,
                closeTimeout: closeTimeout, sendLimit: sendLimit, permitRetryDelay: permitRetryDelay
            )
        }
    }
}

extension ShardManager.Configuration {
    /// Parses a shard range as the CLI takes it: `0-3`, `5`, or `0,2,4`.
    public static func parseShardIDs(_ text: String) throws -> [Int] {
        var ids: [Int] = []
        for part in text.split(separator: ",", omittingEmptySubsequences: false) {
            let bounds = part.split(separator: "-", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
            guard bounds.count <= 2, let low = Int(bounds[0]), let high = Int(bounds[bounds.count - 1]), low >= 0, low <= high else {
                throw GuildhallError(.invalidInput, "'\(text)' is not a shard list such as 0-3, 5 or 0,2,4")
            }
            ids.append(contentsOf: low...high)
        }
        return ids
    }
}
