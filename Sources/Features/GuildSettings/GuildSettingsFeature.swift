import FluentKit
import GuildhallAPI
import GuildhallBackends
import GuildhallCore
import GuildhallDashboard
import GuildhallDiscordModels
import GuildhallGuildSettings
import GuildhallKit
import GuildhallStorage

/// Guild settings as a feature: switching the other features' modules on and off per
/// guild, the audit log of every write, and the overview and access pages. It is the one
/// feature that knows the others, through the module catalog the app's registry builds.
public struct GuildSettingsFeature: Feature {
    /// The modules of the other registered features (what `/modules` offers).
    public let modules: ModuleCatalog

    public init(modules: ModuleCatalog) {
        self.modules = modules
    }

    public static let id = "guild-settings"

    public var info: FeatureInfo {
        FeatureInfo(
            id: Self.id, name: "Guild settings",
            summary: "Which modules each guild has switched on, cached per process and in Redis, audited on every change."
        )
    }

    /// The platform's guilds, modules and audit tables (migrated before every feature's).
    public var migrations: [any Migration] { [CreateGuilds(), CreateGuildModules(), CreateAuditLog()] }
    public var keyKinds: [RedisKeyKind] { [GuildSettingsService.cacheKind, PlatformKeys.invalidation] }
    public var commands: [ApplicationCommand] { [ModulesCommand.definition(modules: modules)] }
    public var routes: [APIRoute] { GuildSettingsRoutes.all(modules: modules) }
    public var tabs: [DashboardTabDeclaration] {
        [
            DashboardTabDeclaration(title: "Overview", path: ""), DashboardTabDeclaration(title: "Audit log", path: "audit"),
            DashboardTabDeclaration(title: "Access", path: "grants", leastAccess: .owner),
        ]
    }
    public var services: [FeatureServiceDeclaration] {
        [FeatureServiceDeclaration("settings cache warm-up and invalidation listener (platform)", roles: Set(FeatureRole.allCases))]
    }

    /// The test suites that cover this feature; the contract test checks they exist.
    public static let testSuites = [
        "GuildSettingsServiceTests", "FeatureWiringTests", "BotGatewayEndToEndTests", "InteractionRouterTests",
        "InteractionHTTPEndpointTests", "DashboardSessionTests", "GrantsAndPickerTests", "DashboardBrowserTests", "PremiumRoutesTests", "PremiumServiceTests",
    ]

    public var notes: FeatureNotes {
        FeatureNotes(
            permissions: [
                "ModuleAccessPolicy: owner, MANAGE_GUILD/ADMINISTRATOR, admin and editor grants may toggle; viewers read only",
                "checked at the API (GuildAccessResolver: owner, Discord permissions as the bot sees them, grants; 10 s cache)",
                "checked again inside GuildSettingsService.setModule, where the effect happens; only registered modules can be switched",
            ],
            logging: [
                "log 'module changed' with guild_id, actor_id, module, enabled, version, request_id",
                "log 'module change refused' (notice) with guild_id, actor_id, access",
                "metric guildhall_settings_module_changes_total{module,enabled}",
                "metric guildhall_settings_lookups_total{source=memory|cache|database}",
            ],
            premium: [
                "a module whose feature needs a premium capability is switched on only under a plan that has it (403 premium_required)",
                "checked at the API and again in GuildSettingsService.setModule; a downgrade keeps the module on and shows it paused",
                "refused checks logged 'premium check refused' with guild_id and feature",
            ],
            testSuites: Self.testSuites,
            extra: [.bot: ["GUILD_CREATE and GUILD_DELETE are recorded by the platform's BotRuntime (registerGuild, markLeft), before any feature's handler"]],
            notApplicable: [.worker: "a toggle is one small transactional write; nothing is delayed, heavy or retried later"]
        )
    }

    public func start(_ context: FeatureContext) async throws -> FeatureRuntime {
        FeatureRuntime(
            commands: [ModulesCommand(settings: context.settings)], routes: GuildSettingsRoutes(),
            dashboard: FeatureDashboard(assets: try DashboardAssets.load(feature: Self.id, bundle: .module), tabs: [OverviewTab(), AuditTab(), AccessTab()])
        )
    }
}
