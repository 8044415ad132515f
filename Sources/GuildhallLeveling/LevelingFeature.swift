import GuildhallCore
import GuildhallFeatures

/// Leveling in the feature contract: XP per message, levels, role rewards, leaderboards.
public struct LevelingFeature: FeatureModule {
    public init() {}

    public static let id = "leveling"

    public static var migrations: [String] { LevelingMigrations.all.map(\.name) }

    public static var keyKinds: [RedisKeyKind] { LevelingKeys.all }

    /// The test suites that cover this feature; the contract test checks they exist.
    public static let testSuites = [
        "LevelingRulesTests", "XPAwardsContractTests", "LevelingConfigTests", "LevelingServiceTests", "LevelingEndToEndTests", "LevelingRoutesTests",
        "DashboardBrowserTests", "VoiceRosterTests", "VoiceXPTests", "VoiceStateTests",
    ]

    public var manifest: FeatureManifest {
        FeatureManifest(
            id: Self.id,
            name: "Leveling",
            summary: "XP for messages (MEE6's rules by default), levels, announcements, reward roles and leaderboards; never loses more than the write-behind window.",
            layers: [
                .bot: .wired(parts: [
                    "MESSAGE_CREATE → LevelingMessageHandler: config from memory, one atomic script per message, no database",
                    "/rank [member], /leaderboard [page], /xp add|remove|set|reset <member>, /xp reset-all, /xp restore",
                    "GUILD_CREATE voice_states and VOICE_STATE_UPDATE → VoiceXPTracker's roster; its tick (VOICE_XP_TICK_SECONDS) pays a minute of voice XP",
                ]),
                .api: .wired(parts: [
                    "GET and PUT /api/v1/guilds/{guild_id}/leveling (GuildhallAPI LevelingRoutes): the whole settings document, schema-checked, unknown fields refused",
                    "GET /api/v1/guilds/{guild_id}/leveling/leaderboard?page&page_size: the table /leaderboard reads, with display names",
                    "GET /api/v1/public/leaderboard/{guild_id}: the JSON twin of /leaderboard/{guild_id}, 404 unless the guild published it",
                ]),
                .database: .wired(parts: Self.migrations.map { "migration \($0): leveling_settings, leveling_members, leveling_reset_snapshots" }
                    + ["index idx_leveling_members_board (guild_id, xp) for the leaderboard and /rank"]),
                .redis: .wired(parts: Self.keyKinds.map(\.manifestLine)),
                .worker: .wired(parts: [
                    "job leveling.level-up: the announcement (claimed once in job_effects) and the reward roles",
                    "job leveling.sync-rewards: reward roles after /xp changes, reset-all and restore",
                    "the write-behind pass every 2 s in every process that runs jobs (absolute totals: idempotent)",
                ]),
                .dashboard: .wired(parts: [
                    "/dashboard/guilds/{id}/leveling: rates, cooldown, ignored channels and roles, multipliers, voice XP, announcement, rewards, publishing",
                    "/dashboard/guilds/{id}/leaderboard, and the public /leaderboard/{guild_id} page for guilds that publish it",
                    "loading, saved and error states; the form re-reads the API after a save; read-only for viewers",
                ]),
                .permissions: .wired(parts: [
                    "/xp needs MANAGE_GUILD or ADMINISTRATOR as Discord resolved them; dashboard settings need owner, manager or an admin/editor grant; both checked again in LevelingService",
                    "/xp carries default_member_permissions MANAGE_GUILD; reward roles Discord refuses (hierarchy) are logged and skipped",
                ]),
                .logging: .wired(parts: [
                    "logs: level up, level-up announced, reward roles updated, XP changed by an admin, XP totals rebuilt, write-behind failures",
                    "metrics: guildhall_leveling_messages_total{awarded}, _level_ups_total, _announcements_total{mode}, _rebuilds_total",
                    "metrics: guildhall_leveling_flush_seconds, _flushed_totals_total, _flush_failures_total, _reward_changes_total, _reward_refusals_total",
                    "metrics: guildhall_leveling_award_seconds, _announcement_refusals_total, _settings_changes_total, _config_lookups_total{source}",
                    "metrics: guildhall_leveling_voice_awards_total, _voice_unpaid_total{reason}, _voice_members (gauge); logs: level up in voice, voice XP not paid",
                ]),
                .premium: .wired(parts: [
                    "role multipliers need PremiumFeature.roleMultipliers: checked when saved and again per message (30 s memo)",
                    "a downgrade keeps the multipliers stored and stops applying them",
                    "voice XP (voice_xp_per_minute) needs PremiumFeature.voiceXP: checked when switched on or changed, and again per tick (30 s memo); a downgrade keeps the rate and stops paying",
                ]),
                .tests: .wired(parts: Self.testSuites),
                .docs: .wired(parts: ["docs/features/leveling.md"]),
            ]
        )
    }
}
