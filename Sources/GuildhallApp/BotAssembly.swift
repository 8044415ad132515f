import GuildhallBackends
import GuildhallBot
import GuildhallCore
import GuildhallLeveling
import GuildhallDiscordGateway
import GuildhallDiscordModels
import GuildhallDiscordREST
import Logging

/// Builds the bot runtime for a role: the REST client and the identify limiter share their
/// budgets through Redis when the platform has it, the shard manager runs the given shards,
/// and the router holds every feature's commands.
enum BotAssembly {
    /// What the bot asks the gateway for: no privileged intent, so a fresh application
    /// connects without portal switches (members and message content come with features
    /// that need them, and a 4014 close names the missing switch).
    static let intents: GatewayIntents = [.guilds, .guildMessages, .guildMessageReactions, .guildVoiceStates, .guildModeration]

    static func make(
        platform: Platform, target: DiscordTarget, shardIDs: [Int]?, shardCount: Int?, logger: Logger
    ) async throws -> BotRuntime {
        let store: any RESTRateLimitStore = platform.backends.redis.map { RedisRESTRateLimitStore(client: $0) } ?? InProcessRESTRateLimitStore()
        let rest = try DiscordRESTClient(
            configuration: DiscordRESTConfiguration(token: target.token, baseURL: target.apiURL),
            store: store, logger: logger
        )
        let botInfo = try await rest.getGatewayBot()
        let count = shardCount ?? botInfo.shards
        let ids = shardIDs ?? Array(0..<count)
        let limiter: any IdentifyLimiter = try platform.backends.redis.map {
            try RedisIdentifyLimiter(client: $0, scope: "bot-\(target.applicationID?.description ?? "unknown")")
        } ?? InProcessIdentifyLimiter()
        let manager = try ShardManager(
            configuration: .init(token: target.token, intents: intents, shardIDs: ids, shardCount: count, botInfo: botInfo),
            identifyLimiter: limiter, logger: logger
        )
        let router = InteractionRouter(commands: [ModulesCommand(settings: platform.settings)])
        if let application = target.applicationID {
            platform.premiumSync.set { try await rest.listAllEntitlements(applicationID: application) }
        }
        logger.notice("gateway starting", metadata: [
            "shards": "\(ids.map(String.init).joined(separator: ","))", "shard_count": "\(count)",
            "max_concurrency": "\(botInfo.sessionStartLimit.maxConcurrency)", "sandbox": "\(target.isSandbox)",
        ])
        return BotRuntime(
            manager: manager, rest: rest, router: router, settings: platform.settings,
            handlers: [
                PremiumEntitlementHandler(premium: platform.premium, logger: logger),
                LevelingMessageHandler(settings: platform.settings, awards: XPAwards(cache: platform.backends.cache), logger: logger),
            ],
            applicationID: target.applicationID, logger: logger
        )
    }
}
