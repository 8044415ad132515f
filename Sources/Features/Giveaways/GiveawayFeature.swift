import FluentKit
import GuildhallAPI
import GuildhallCore
import GuildhallDashboard
import GuildhallDiscordModels
import GuildhallGuildSettings
import GuildhallJobs
import GuildhallKit
import GuildhallPremium

extension ModuleID {
    public static let giveaways: ModuleID = "giveaways"
}

/// Giveaways as one vertical slice: entries through a button, requirements, endings
/// exactly once and on time, even when a worker dies mid-draw.
public struct GiveawayFeature: Feature {
    public init() {}

    public static let id = "giveaways"

    public var info: FeatureInfo {
        FeatureInfo(
            id: Self.id, name: "Giveaways",
            summary: "Giveaways with an Enter button and requirements; each ends exactly once and on time, even when a worker dies mid-draw.",
            premium: .limitedByPlan, module: ModuleDescriptor(id: .giveaways, title: "Giveaways")
        )
    }

    public var migrations: [any Migration] { GiveawayMigrations.all }
    public var keyKinds: [RedisKeyKind] { GiveawayKeys.all }
    public var jobKinds: [String] { [GiveawayJobs.start.name, GiveawayJobs.end.name] }
    public var planLimits: [PlanRow] { GiveawayPlan.rows }
    public var commands: [ApplicationCommand] { [GiveawayCommand.commandDefinition] }
    public var componentPrefixes: [String] { [GiveawayMessage.componentPrefix] }
    public var routes: [APIRoute] { GiveawayRoutes.all }
    public var tabs: [DashboardTabDeclaration] { [DashboardTabDeclaration(title: "Giveaways", path: "giveaways")] }

    /// The test suites that cover this feature; the contract test checks they exist.
    public static let testSuites = [
        "WinnerDrawTests", "GiveawayRulesTests", "GiveawayPartsTests", "GiveawayServiceTests", "GiveawayMigrationTests", "GiveawayRoutesTests",
        "GiveawayEndToEndTests", "DashboardBrowserTests",
    ]

    public var notes: FeatureNotes {
        FeatureNotes(
            permissions: [
                "Manage Server, Administrator or the guild's giveaway manager role in Discord; owner, manager, admin or editor in the dashboard",
                "checked in GiveawayService where each change happens; /giveaway carries default_member_permissions MANAGE_GUILD",
            ],
            logging: [
                "logs: giveaway created, started, ended (with winners), end skipped, ended early, rerolled, cancelled, change refused, message not edited",
                "metrics: guildhall_giveaways_created_total, _entries_total{outcome}, _message_edits_total, _ended_total{winners}, _end_skipped_total",
                "metrics: guildhall_giveaways_announcements_total{kind}, _cancelled_total, _draw_seconds, _end_delay_seconds; audit log entries",
            ],
            premium: [
                "running giveaways, winners and length, checked at creation; the draw uses the plan the giveaway was made under",
                "a downgrade lets running giveaways end with what they promised; a reroll's count follows the current plan",
            ],
            testSuites: Self.testSuites,
            extra: [
                .bot: ["Enter and Leave buttons: ephemeral answers; requirements checked from the interaction's member"],
                .worker: ["giveaways.end is claimed in the database by job id; winners stored before anything is posted; one announcement (enforce_nonce)"],
            ],
            notApplicable: [:]
        )
    }

    public func start(_ context: FeatureContext) async throws -> FeatureRuntime {
        let discord = GiveawayDiscordSource()
        // A level requirement asks whichever feature provides levels, at the time of the click.
        let levels = RegisteredMemberLevels(context.capabilities)
        let make = { @Sendable (queue: JobQueue?) in
            GiveawayService(
                store: GiveawayStore(database: context.database), discord: discord, queue: queue, premium: context.premium, settings: context.settings,
                cache: context.backends.cache, levels: levels, logger: context.logger
            )
        }
        // The job handlers' copy schedules nothing (an ending never enqueues another).
        let handlers = make(nil)
        let giveaways = make(context.jobs)
        context.capabilities.provide(GiveawayService.self, giveaways)
        return FeatureRuntime(
            commands: [GiveawayCommand(giveaways: giveaways)],
            components: [GiveawayButtons(giveaways: giveaways)],
            registerJobs: { registry in try GiveawayJobs.register(in: &registry, giveaways: handlers) },
            routes: GiveawayRoutes(giveaways: giveaways),
            dashboard: FeatureDashboard(assets: try DashboardAssets.load(feature: Self.id, bundle: .module), tabs: [GiveawaysTab()]),
            bindDiscord: { rest in discord.set(RESTGiveawayDiscord(rest: rest)) },
            close: {
                await giveaways.finishPendingEdits()
                await handlers.finishPendingEdits()
            }
        )
    }
}
