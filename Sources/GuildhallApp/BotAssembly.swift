import GuildhallBackends
import GuildhallBot
import GuildhallCore
import GuildhallGiveaways
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
        platform: Platform, target: DiscordTarget, shardIDs: [Int]?, shardCount: Int?, logger: Logger,
        levelingObserver: (@Sendable (Duration) -> Void)? = nil, levelingMaxInFlight: Int = LevelingMessageHandler.defaultMaxInFlight
    ) async throws -> BotRuntime {
        let rest = try restClient(platform: platform, target: target, logger: logger)
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
        let router = InteractionRouter(commands: [
            ModulesCommand(settings: platform.settings), RankCommand(leveling: platform.leveling, settings: platform.settings),
            LeaderboardCommand(leveling: platform.leveling, settings: platform.settings), XPCommand(leveling: platform.leveling, settings: platform.settings),
            GiveawayCommand(giveaways: platform.giveaways),
        ], components: [GiveawayButtons(giveaways: platform.giveaways)])
        installDiscordClients(platform: platform, rest: rest, applicationID: target.applicationID)
        logger.notice("gateway starting", metadata: [
            "shards": "\(ids.map(String.init).joined(separator: ","))", "shard_count": "\(count)",
            "max_concurrency": "\(botInfo.sessionStartLimit.maxConcurrency)", "sandbox": "\(target.isSandbox)",
        ])
        return BotRuntime(
            manager: manager, rest: rest, router: router, settings: platform.settings,
            handlers: [
                PremiumEntitlementHandler(premium: platform.premium, logger: logger),
                LevelingMessageHandler(settings: platform.settings, leveling: platform.leveling, logger: logger, maxInFlight: levelingMaxInFlight, observer: levelingObserver),
                VoiceXPTracker(
                    settings: platform.settings, leveling: platform.leveling, logger: logger,
                    tick: .seconds(platform.configuration.voiceXPTickSeconds)
                ),
            ],
            applicationID: target.applicationID, logger: logger
        )
    }

    /// The bot's REST client; its rate limits are shared through Redis when there is Redis.
    static func restClient(platform: Platform, target: DiscordTarget, logger: Logger) throws -> DiscordRESTClient {
        let store: any RESTRateLimitStore = platform.backends.redis.map { RedisRESTRateLimitStore(client: $0) } ?? InProcessRESTRateLimitStore()
        return try DiscordRESTClient(configuration: restConfiguration(platform.configuration, target: target), store: store, logger: logger)
    }

    /// The REST client's settings: where Discord is, the token, and the global budget
    /// (`DISCORD_GLOBAL_RATE_LIMIT`) every client of this bot shares.
    static func restConfiguration(_ configuration: GuildhallConfiguration, target: DiscordTarget) -> DiscordRESTConfiguration {
        var rest = DiscordRESTConfiguration(token: target.token, baseURL: target.apiURL)
        rest.rateLimits.globalLimit = configuration.discordGlobalRateLimit
        return rest
    }

    /// A worker's REST client, for jobs that act on Discord.
    static func installDiscordClients(platform: Platform, target: DiscordTarget, logger: Logger) throws {
        installDiscordClients(platform: platform, rest: try restClient(platform: platform, target: target, logger: logger), applicationID: target.applicationID)
    }

    /// Gives the jobs that act on Discord (premium sync, leveling, giveaways) this process's REST client.
    static func installDiscordClients(platform: Platform, rest: DiscordRESTClient, applicationID: Snowflake?) {
        if let applicationID {
            platform.premiumSync.set { try await rest.listAllEntitlements(applicationID: applicationID) }
        }
        platform.levelingDiscord.set(RESTLevelingDiscord(rest: rest))
        platform.giveaways.discord.set(RESTGiveawayDiscord(rest: rest))
    }
}
