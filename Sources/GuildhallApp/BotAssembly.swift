import GuildhallBackends
import GuildhallBot
import GuildhallCore
import GuildhallKit
import GuildhallDiscordGateway
import GuildhallDiscordModels
import GuildhallDiscordREST
import Logging

/// Builds the bot runtime for a role: the REST client and the identify limiter share their
/// budgets through Redis when the platform has it, the shard manager runs the given shards,
/// and the router holds every feature's commands.
enum BotAssembly {
    /// What the platform itself asks the gateway for: guilds (GUILD_CREATE records them) and
    /// moderation (entitlements and bans arrive without more). Features add the intents their
    /// events need; none is privileged yet, so a fresh application connects without portal
    /// switches (a 4014 close names the missing switch).
    static let platformIntents: GatewayIntents = [.guilds, .guildModeration]

    /// The platform's intents and every registered feature's.
    static func intents(for registry: FeatureRegistry) -> GatewayIntents {
        registry.features.flatMap(\.gatewayEvents).reduce(platformIntents) { $0.union($1.intents) }
    }

    /// The router with every registered feature's commands and component handlers.
    static func router(for platform: Platform) -> InteractionRouter {
        InteractionRouter(commands: platform.features.flatMap(\.commands), components: platform.features.flatMap(\.components))
    }

    static func make(platform: Platform, target: DiscordTarget, shardIDs: [Int]?, shardCount: Int?, logger: Logger) async throws -> BotRuntime {
        let rest = try restClient(platform: platform, target: target, logger: logger)
        let botInfo = try await rest.getGatewayBot()
        let count = shardCount ?? botInfo.shards
        let ids = shardIDs ?? Array(0..<count)
        let limiter: any IdentifyLimiter = try platform.backends.redis.map {
            try RedisIdentifyLimiter(client: $0, scope: "bot-\(target.applicationID?.description ?? "unknown")")
        } ?? InProcessIdentifyLimiter()
        let manager = try ShardManager(
            configuration: .init(token: target.token, intents: intents(for: platform.registry), shardIDs: ids, shardCount: count, botInfo: botInfo),
            identifyLimiter: limiter, logger: logger
        )
        let router = Self.router(for: platform)
        installDiscordClients(platform: platform, rest: rest, applicationID: target.applicationID)
        logger.notice("gateway starting", metadata: [
            "shards": "\(ids.map(String.init).joined(separator: ","))", "shard_count": "\(count)",
            "max_concurrency": "\(botInfo.sessionStartLimit.maxConcurrency)", "sandbox": "\(target.isSandbox)",
        ])
        return BotRuntime(
            manager: manager, rest: rest, router: router, settings: platform.settings,
            handlers: [PremiumEntitlementHandler(premium: platform.premium, logger: logger)] + platform.features.flatMap(\.gatewayHandlers),
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

    /// Gives the jobs that act on Discord (premium sync and every feature's) this process's REST client.
    static func installDiscordClients(platform: Platform, rest: DiscordRESTClient, applicationID: Snowflake?) {
        platform.bindDiscord(rest, applicationID: applicationID)
    }
}
