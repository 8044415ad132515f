import FluentKit
import GuildhallAPI
import GuildhallCore
import GuildhallDashboard
import GuildhallDiscordModels
import GuildhallGuildSettings
import GuildhallKit
import GuildhallPremium
import ServiceLifecycle

extension ModuleID {
    public static let leveling: ModuleID = "leveling"
}

/// Leveling as one vertical slice: XP per message and in voice, levels, announcements,
/// reward roles and leaderboards; never loses more than the write-behind window.
public struct LevelingFeature: Feature {
    /// How the message handler batches (the XP bench tunes it; roles use the defaults).
    public var maxInFlight: Int
    /// Called after each message with the time from its arrival to its award (the bench's probe).
    public var messageObserver: (@Sendable (Duration) -> Void)?

    public init(maxInFlight: Int = LevelingMessageHandler.defaultMaxInFlight, messageObserver: (@Sendable (Duration) -> Void)? = nil) {
        self.maxInFlight = maxInFlight
        self.messageObserver = messageObserver
    }

    public static let id = "leveling"

    public var info: FeatureInfo {
        FeatureInfo(
            id: Self.id, name: "Leveling",
            summary: "XP for messages (MEE6's rules by default), levels, announcements, reward roles and leaderboards; never loses more than the write-behind window.",
            premium: .limitedByPlan, module: ModuleDescriptor(id: .leveling, title: "Leveling")
        )
    }

    public var migrations: [any Migration] { LevelingMigrations.all }
    public var keyKinds: [RedisKeyKind] { LevelingKeys.all }
    public var jobKinds: [String] { [LevelingJobs.levelUp.name, LevelingJobs.syncRewards.name] }
    public var planLimits: [PlanRow] { LevelingPlan.rows }

    /// Seconds between voice XP ticks; each tick pays one minute's voice XP, so shorter ticks
    /// are for trying it out and for tests.
    public static let voiceXPTick = FeatureSetting.integer(
        "VOICE_XP_TICK_SECONDS", help: "seconds between voice XP ticks (each pays one minute of voice XP)", default: 60, range: 1...60, unit: "seconds"
    )
    public var configuration: [FeatureSetting] { [Self.voiceXPTick] }
    public var commands: [ApplicationCommand] {
        [RankCommand.commandDefinition, LeaderboardCommand.commandDefinition, XPCommand.commandDefinition]
    }
    public var gatewayEvents: [GatewaySubscription] {
        [
            GatewaySubscription(["MESSAGE_CREATE"], intents: .guildMessages),
            GatewaySubscription(["GUILD_CREATE", "GUILD_DELETE", "GUILD_MEMBER_REMOVE", "VOICE_STATE_UPDATE"], intents: [.guilds, .guildVoiceStates]),
        ]
    }
    public var routes: [APIRoute] { LevelingRoutes.all }
    public var tabs: [DashboardTabDeclaration] {
        [DashboardTabDeclaration(title: "Leveling", path: "leveling"), DashboardTabDeclaration(title: "Leaderboard", path: "leaderboard")]
    }
    public var services: [FeatureServiceDeclaration] {
        [
            FeatureServiceDeclaration("leveling settings invalidation listener", roles: Set(FeatureRole.allCases)),
            FeatureServiceDeclaration("XP write-behind every 2 s", roles: [.serve, .worker]),
            FeatureServiceDeclaration("voice XP tick (VOICE_XP_TICK_SECONDS)", roles: [.serve, .gateway]),
        ]
    }

    /// The test suites that cover this feature; the contract test checks they exist.
    public static let testSuites = [
        "LevelingRulesTests", "XPAwardsContractTests", "LevelingConfigTests", "LevelingServiceTests", "LevelingEndToEndTests", "LevelingRoutesTests",
        "DashboardBrowserTests", "VoiceRosterTests", "VoiceXPTests", "VoiceStateTests",
    ]

    public var notes: FeatureNotes {
        FeatureNotes(
            permissions: [
                "/xp needs MANAGE_GUILD or ADMINISTRATOR as Discord resolved them; dashboard settings need owner, manager or an admin/editor grant; both checked again in LevelingService",
                "/xp carries default_member_permissions MANAGE_GUILD; reward roles Discord refuses (hierarchy) are logged and skipped",
            ],
            logging: [
                "logs: level up, level-up announced, reward roles updated, XP changed by an admin, XP totals rebuilt, write-behind failures",
                "metrics: guildhall_leveling_messages_total{awarded}, _level_ups_total, _announcements_total{mode}, _rebuilds_total",
                "metrics: guildhall_leveling_flush_seconds, _flushed_totals_total, _flush_failures_total, _reward_changes_total, _reward_refusals_total",
                "metrics: guildhall_leveling_award_seconds, _announcement_refusals_total, _settings_changes_total, _config_lookups_total{source}",
                "metrics: guildhall_leveling_voice_awards_total, _voice_unpaid_total{reason}, _voice_members (gauge); logs: level up in voice, voice XP not paid",
            ],
            premium: [
                "role multipliers need leveling.role_multipliers: checked when saved and again per message (30 s memo)",
                "a downgrade keeps the multipliers stored and stops applying them",
                "voice XP (voice_xp_per_minute) needs leveling.voice_xp: checked when switched on or changed, and again per tick (30 s memo); a downgrade keeps the rate and stops paying",
            ],
            testSuites: Self.testSuites,
            extra: [
                .bot: ["MESSAGE_CREATE: config from memory, one atomic script per guild per batch, no database"],
                .worker: ["level-up announcements claimed once in job_effects; reward roles synced after /xp changes, reset-all and restore"],
            ]
        )
    }

    public func start(_ context: FeatureContext) async throws -> FeatureRuntime {
        let logger = context.logger
        let settings = LevelingSettingsService(store: LevelingStore(database: context.database), backends: context.backends, premium: context.premium, logger: logger)
        let awards = XPAwards(cache: context.backends.cache)
        // The job handlers' copy schedules nothing: a handler never starts another level-up.
        let handlerLeveling = LevelingService(settings: settings, awards: awards, queue: nil, logger: logger)
        let leveling = LevelingService(settings: settings, awards: awards, queue: context.jobs, logger: logger)
        let discord = LevelingDiscordSource()
        context.capabilities.provide(MemberLevels.self, LevelingLevels(leveling: leveling, settings: context.settings))
        context.capabilities.provide(LevelingService.self, leveling)
        let guildSettings = context.settings
        let tick = Duration.seconds(context.configuration.integer(Self.voiceXPTick))
        let voice = VoiceXPTracker(settings: guildSettings, leveling: leveling, logger: logger, tick: tick)
        return FeatureRuntime(
            commands: [
                RankCommand(leveling: leveling, settings: guildSettings), LeaderboardCommand(leveling: leveling, settings: guildSettings),
                XPCommand(leveling: leveling, settings: guildSettings),
            ],
            gatewayHandlers: [
                LevelingMessageHandler(settings: guildSettings, leveling: leveling, logger: logger, maxInFlight: maxInFlight, observer: messageObserver),
                voice,
            ],
            registerJobs: { registry in try LevelingJobs.register(in: &registry, leveling: handlerLeveling, discord: discord) },
            routes: LevelingRoutes(leveling: leveling),
            dashboard: FeatureDashboard(
                assets: try DashboardAssets.load(feature: Self.id, bundle: .module), tabs: [LevelingSettingsTab(), LeaderboardTab(leveling: leveling)],
                publicPages: [PublicLeaderboardPage(leveling: leveling)]
            ),
            services: { role in
                var services: [any Service] = [LevelingSettingsCacheService(settings: settings, logger: logger)]
                if role.runsJobs { services.append(LevelingWriteBehindService(leveling: leveling, logger: logger)) }
                return services
            },
            bindDiscord: { rest in discord.set(RESTLevelingDiscord(rest: rest)) }
        )
    }
}

/// Leveling's answer to the kit's `MemberLevels` capability.
struct LevelingLevels: MemberLevels {
    let leveling: LevelingService
    let settings: GuildSettingsService

    func areOn(in guild: Snowflake) async throws -> Bool {
        try await settings.settings(for: guild).isEnabled(.leveling)
    }

    func level(of user: Snowflake, in guild: Snowflake) async throws -> Int {
        try await leveling.level(of: user, in: guild)
    }
}
