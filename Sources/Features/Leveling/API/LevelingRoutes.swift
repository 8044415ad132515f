import GuildhallAPI
import GuildhallKit
import FluentKit
import Foundation
import GuildhallBackends
import GuildhallCore
import GuildhallDiscordREST
import GuildhallPremium
import GuildhallStorage
import Hummingbird

/// Leveling for the dashboard: the guild's settings, its leaderboard, and the public
/// leaderboard a guild may publish. Every query is scoped by the path's guild.
public struct LevelingRoutes: FeatureRoutes {
    let leveling: LevelingService

    public init(leveling: LevelingService) {
        self.leveling = leveling
    }

    public func register<Context: RequestContext>(on api: APIRouter<Context>, web: APIDashboard) {
        Self.register(on: api, leveling: leveling, premium: web.premium, discord: web.discord, cache: web.cache, database: web.database)
    }

    /// Every route this feature mounts, in order (its declaration in the feature kit).
    public static var all: [APIRoute] { [settings, saveSettings, leaderboard, publicLeaderboard] }

    static let guildID: [String: APISchema] = ["guild_id": .snowflake]

    /// The configuration document, the same shape stored and served.
    static let configSchema = APISchema.object([
        "xp_min": .integer(minimum: 1, maximum: 1_000), "xp_max": .integer(minimum: 1, maximum: 1_000),
        "cooldown_seconds": .integer(minimum: 0, maximum: Int64(LevelingRules.maximumCooldownSeconds)),
        "ignored_channels": .array(.snowflake, maxItems: 500), "ignored_roles": .array(.snowflake, maxItems: 250),
        "multipliers": .array(.object(["role_id": .snowflake, "percent": .integer(minimum: 10, maximum: 1_000)], required: ["role_id", "percent"]), maxItems: 50),
        "announcement": .object([
            "mode": .string(values: LevelingConfig.AnnouncementMode.allCases.map(\.rawValue)), "channel_id": .nullable(.snowflake),
            "template": .string(minLength: 1, maxLength: LevelingConfig.maximumTemplateLength),
        ], required: ["mode", "template"]),
        "rewards": .array(.object(["level": .integer(minimum: 1, maximum: 1_000), "role_id": .snowflake], required: ["level", "role_id"]), maxItems: LevelingConfig.maximumRewards),
        "reward_mode": .string(values: LevelingConfig.RewardMode.allCases.map(\.rawValue)), "public_leaderboard": .boolean,
        "voice_xp_per_minute": .integer(minimum: 0, maximum: Int64(LevelingConfig.maximumVoiceXPPerMinute)),
    ], required: [
        "xp_min", "xp_max", "cooldown_seconds", "ignored_channels", "ignored_roles", "multipliers", "announcement", "rewards", "reward_mode",
        "public_leaderboard",
    ])

    static let entrySchema = APISchema.object([
        "rank": .integer(minimum: 1), "user_id": .snowflake, "name": .nullable(.string()), "xp": .integer(minimum: 0), "level": .integer(minimum: 0),
    ], required: ["rank", "user_id", "name", "xp", "level"])

    static let boardSchema = APISchema.object([
        "guild_id": .snowflake, "page": .integer(minimum: 1), "page_size": .integer(minimum: 1), "ranked": .integer(minimum: 0),
        "entries": .array(entrySchema),
    ], required: ["guild_id", "page", "page_size", "ranked", "entries"])

    static let settings = APIRoute(
        .get, "/api/v1/guilds/{guild_id}/leveling", operationID: "getLeveling", summary: "The guild's leveling settings and what the user may do.",
        tag: "leveling", access: .guild(.view), pathParameters: guildID,
        answers: [200: .init("The settings.", schema: .object([
            "guild_id": .snowflake, "version": .integer(minimum: 0), "can_edit": .boolean, "multipliers_allowed": .boolean, "voice_xp_allowed": .boolean,
            "config": configSchema,
        ], required: ["guild_id", "version", "can_edit", "multipliers_allowed", "voice_xp_allowed", "config"]))]
    )

    static let saveSettings = APIRoute(
        .put, "/api/v1/guilds/{guild_id}/leveling", operationID: "putLeveling",
        summary: "Replace the guild's leveling settings; multipliers need Premium; the audit log records the before and after.",
        tag: "leveling", access: .guild(.edit), pathParameters: guildID, body: configSchema,
        answers: [200: .init("The settings as saved.", schema: .object([
            "version": .integer(minimum: 1), "config": configSchema,
        ], required: ["version", "config"]))]
    )

    static let leaderboard = APIRoute(
        .get, "/api/v1/guilds/{guild_id}/leveling/leaderboard", operationID: "getLeaderboard",
        summary: "Members by XP, the same table /leaderboard reads (written behind within seconds).",
        tag: "leveling", access: .guild(.view), pathParameters: guildID,
        query: ["page": .integer(minimum: 1, maximum: 10_000), "page_size": .integer(minimum: 1, maximum: 100)],
        answers: [200: .init("One page.", schema: boardSchema)]
    )

    static let publicLeaderboard = APIRoute(
        .get, "/api/v1/public/leaderboard/{guild_id}", operationID: "getPublicLeaderboard",
        summary: "The leaderboard of a guild that published it; 404 for any other guild.",
        tag: "leveling", access: .anyone, pathParameters: guildID,
        query: ["page": .integer(minimum: 1, maximum: 10_000), "page_size": .integer(minimum: 1, maximum: 100)],
        answers: [200: .init("One page.", schema: boardSchema)]
    )

    struct SettingsView: Encodable {
        var guildID: String, version: Int64, canEdit: Bool, multipliersAllowed: Bool, voiceXPAllowed: Bool, config: LevelingConfig
        enum CodingKeys: String, CodingKey {
            case guildID = "guild_id", version, canEdit = "can_edit", multipliersAllowed = "multipliers_allowed", voiceXPAllowed = "voice_xp_allowed", config
        }
    }

    struct Saved: Encodable { var version: Int64, config: LevelingConfig }

    public struct Board: Codable, Sendable, Equatable {
        public struct Entry: Codable, Sendable, Equatable {
            public var rank: Int, userID: String, name: String?, xp: Int64, level: Int
            enum CodingKeys: String, CodingKey { case rank, userID = "user_id", name, xp, level }
            public func encode(to encoder: any Encoder) throws {
                var container = encoder.container(keyedBy: CodingKeys.self)
                try container.encode(rank, forKey: .rank)
                try container.encode(userID, forKey: .userID)
                try container.encode(name, forKey: .name)
                try container.encode(xp, forKey: .xp)
                try container.encode(level, forKey: .level)
            }
        }
        public var guildID: String, page: Int, pageSize: Int, ranked: Int, entries: [Entry]
        enum CodingKeys: String, CodingKey { case guildID = "guild_id", page, pageSize = "page_size", ranked, entries }
    }

    /// A page of the leaderboard with display names (cached an hour; null when Discord
    /// cannot say, e.g. the member left).
    public static func board(
        guild: Snowflake, page: Int, pageSize: Int, leveling: LevelingService, discord: DiscordRESTClient?, cache: any CacheBackend
    ) async throws -> Board {
        let entries = try await leveling.store.leaderboard(guild: guild, offset: (page - 1) * pageSize, limit: pageSize)
        let ranked = try await leveling.store.rankedCount(guild: guild)
        let names = await withTaskGroup(of: (Snowflake, String?).self) { group in
            for entry in entries {
                group.addTask { (entry.userID, await name(of: entry.userID, in: guild, discord: discord, cache: cache)) }
            }
            return await group.reduce(into: [Snowflake: String]()) { $0[$1.0] = $1.1 }
        }
        return Board(
            guildID: guild.description, page: page, pageSize: pageSize, ranked: ranked,
            entries: entries.map { .init(rank: $0.rank, userID: $0.userID.description, name: names[$0.userID], xp: $0.xp, level: $0.level) }
        )
    }

    static func name(of user: Snowflake, in guild: Snowflake, discord: DiscordRESTClient?, cache: any CacheBackend) async -> String? {
        guard let key = try? LevelingKeys.memberName.key(guild: guild, user.description) else { return nil }
        if let cached = try? await cache.get(key) { return cached }
        guard let discord, let member = try? await discord.getGuildMember(guildID: guild, userID: user) else { return nil }
        let name = member.nick ?? member.user?.globalName ?? member.user?.username ?? user.description
        try? await cache.set(key, name)
        return name
    }

    public static func register<Context: RequestContext>(
        on api: APIRouter<Context>, leveling: LevelingService, premium: PremiumService, discord: DiscordRESTClient?, cache: any CacheBackend,
        database: GuildhallDatabase
    ) {
        api.add(settings) { input in
            let current = try await leveling.settings.versioned(for: input.guildID)
            let limits = try await premium.status(guild: input.guildID).limits
            return APIJSON.response(SettingsView(
                guildID: input.guildID.description, version: current.version, canEdit: (input.guildAccess ?? .none).satisfies(.edit),
                multipliersAllowed: limits.allows(LevelingPlan.roleMultipliers), voiceXPAllowed: limits.allows(LevelingPlan.voiceXP), config: current.config
            ))
        }
        api.add(saveSettings) { input in
            let session = try input.requireSession()
            let config = try input.decode(LevelingConfig.self)
            // Checked here, where the request enters, and again inside save(): new or changed
            // multipliers need the plan; keeping or removing stored ones does not.
            let before = try await leveling.settings.config(for: input.guildID)
            if config.multipliers.contains(where: { !before.multipliers.contains($0) }), try await !premium.allows(LevelingPlan.roleMultipliers, guild: input.guildID) {
                throw APIError(.forbidden, code: "premium_required", "role XP multipliers need Guildhall Premium")
            }
            if config.voiceXPPerMinute > 0, config.voiceXPPerMinute != before.voiceXPPerMinute, try await !premium.allows(LevelingPlan.voiceXP, guild: input.guildID) {
                throw APIError(.forbidden, code: "premium_required", "voice XP needs Guildhall Premium")
            }
            let version = try await leveling.settings.save(
                config, guild: input.guildID, actor: session.userID, access: input.guildAccess ?? .none, requestID: input.requestID
            )
            return APIJSON.response(Saved(version: version, config: config))
        }
        api.add(leaderboard) { input in
            APIJSON.response(try await board(
                guild: input.guildID, page: input.queryInteger("page") ?? 1, pageSize: input.queryInteger("page_size") ?? 25, leveling: leveling,
                discord: discord, cache: cache
            ))
        }
        api.add(publicLeaderboard) { input in
            let guild = input.guildID
            // A guild Guildhall left, or never knew, has no public page, published or not.
            guard let record = try await GuildRecord.find(guild.databaseValue, on: database.database), record.leftAt == nil,
                  try await leveling.settings.config(for: guild).publicLeaderboard else {
                throw APIError(.notFound, code: "not_found", "this guild has no public leaderboard")
            }
            return APIJSON.response(try await board(
                guild: guild, page: input.queryInteger("page") ?? 1, pageSize: input.queryInteger("page_size") ?? 25, leveling: leveling, discord: discord,
                cache: cache
            ))
        }
    }
}
