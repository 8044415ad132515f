import GuildhallBackends
import GuildhallCore
import GuildhallFeatures
import GuildhallStorage

/// Guild settings in the feature contract: turns modules on and off per guild.
public struct GuildSettingsFeature: FeatureModule {
    public init() {}

    public static let id = "guild-settings"

    /// Migrations this feature relies on (the platform's guilds, modules and audit tables).
    public static var migrations: [String] {
        [CreateGuilds().name, CreateGuildModules().name, CreateAuditLog().name]
    }

    public static var keyKinds: [RedisKeyKind] {
        [GuildSettingsService.cacheKind, PlatformKeys.invalidation]
    }

    /// The test suites that cover this feature; the contract test checks they exist.
    public static let testSuites = [
        "GuildSettingsServiceTests", "GuildSettingsContractTests", "BotGatewayEndToEndTests", "InteractionRouterTests",
        "InteractionHTTPEndpointTests", "DashboardSessionTests", "GrantsAndPickerTests", "DashboardBrowserTests", "PremiumRoutesTests", "PremiumServiceTests",
    ]

    public var manifest: FeatureManifest {
        FeatureManifest(
            id: Self.id,
            name: "Guild settings",
            summary: "Which modules each guild has switched on, cached per process and in Redis, audited on every change.",
            layers: [
                .bot: .wired(parts: [
                    "/modules list|enable|disable (GuildhallBot ModulesCommand), over the gateway and the signed HTTP endpoint",
                    "default_member_permissions MANAGE_GUILD, and the invoker's resolved permissions checked again by the bot",
                    "GUILD_CREATE records the guild (registerGuild) so its settings exist before anyone asks",
                ]),
                .api: .wired(parts: [
                    "GET /api/v1/guilds/{guild_id}/modules and PUT /api/v1/guilds/{guild_id}/modules/{module} (GuildhallAPI GuildSettingsRoutes)",
                    "session, CSRF and Origin checks; guild access checked on every request; body schema with unknown fields refused",
                    "GET /api/v1/guilds/{guild_id}/audit-log; grants under /api/v1/guilds/{guild_id}/grants (owner only)",
                ]),
                .database: .wired(parts: Self.migrations.map { "migration \($0)" } + ["guilds.settings_version bumped by every write"]),
                .redis: .wired(parts: Self.keyKinds.map(\.manifestLine)),
                .worker: .notApplicable(reason: "a toggle is one small transactional write; nothing is delayed, heavy or retried later"),
                .dashboard: .wired(parts: [
                    "/dashboard/guilds/{id}: module toggles with loading, saved and error states; the page re-reads the API after each write",
                    "toggles hidden from viewers; the access page for the owner only; the audit log page",
                    "driven in headless Chromium by DashboardBrowserTests, with screenshots",
                ]),
                .permissions: .wired(parts: [
                    "ModuleAccessPolicy: owner, MANAGE_GUILD/ADMINISTRATOR, admin and editor grants may toggle; viewers read only",
                    "checked at the API (GuildAccessResolver: owner, Discord permissions as the bot sees them, grants; 10 s cache)",
                    "checked again inside GuildSettingsService.setModule, where the effect happens",
                ]),
                .logging: .wired(parts: [
                    "log 'module changed' with guild_id, actor_id, module, enabled, version, request_id",
                    "log 'module change refused' (notice) with guild_id, actor_id, access",
                    "metric guildhall_settings_module_changes_total{module,enabled}",
                    "metric guildhall_settings_lookups_total{source=memory|cache|database}",
                ]),
                .premium: .wired(parts: [
                    "the AI assistant module needs PremiumFeature.aiAssistant (TierLimits, the one table of limits)",
                    "checked at the API (403 premium_required) and again in GuildSettingsService.setModule",
                    "a downgrade keeps the module on and shows it paused; switching it off never needs premium",
                    "refused checks logged 'premium check refused' with guild_id and feature",
                ]),
                .tests: .wired(parts: Self.testSuites),
                .docs: .wired(parts: ["docs/features/guild-settings.md"]),
            ]
        )
    }
}
