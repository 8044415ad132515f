import GuildhallCore
import GuildhallFeatures

/// Giveaways in the feature contract: entries through a button, endings exactly once.
public struct GiveawayFeature: FeatureModule {
    public init() {}

    public static let id = "giveaways"

    public static var migrations: [String] { GiveawayMigrations.all.map(\.name) }

    public static var keyKinds: [RedisKeyKind] { GiveawayKeys.all }

    /// The test suites that cover this feature; the contract test checks they exist.
    public static let testSuites = [
        "WinnerDrawTests", "GiveawayRulesTests", "GiveawayPartsTests", "GiveawayServiceTests", "GiveawayMigrationTests", "GiveawayRoutesTests",
        "GiveawayEndToEndTests", "DashboardBrowserTests",
    ]

    public var manifest: FeatureManifest {
        FeatureManifest(
            id: Self.id,
            name: "Giveaways",
            summary: "Giveaways with an Enter button and requirements; each ends exactly once and on time, even when a worker dies mid-draw.",
            layers: [
                .bot: .wired(parts: [
                    "/giveaway start|end|reroll|cancel|list (GiveawayCommand), with requirements and a scheduled start",
                    "the Enter and Leave buttons (GiveawayButtons): ephemeral answers; requirements checked from the interaction's member",
                ]),
                .api: .wired(parts: [
                    "GET and POST /api/v1/guilds/{guild_id}/giveaways; GET …/giveaways/{giveaway_id} with a page of entrants (GuildhallAPI GiveawayRoutes)",
                    "POST …/giveaways/{giveaway_id}/end|reroll|cancel; PUT …/giveaways/settings (the manager role)",
                ]),
                .database: .wired(parts: Self.migrations.map { "migration \($0): giveaways, giveaway_entries, giveaway_settings" }
                    + ["index idx_giveaways_guild_status (guild_id, status) for the running count and the list"]),
                .redis: .wired(parts: Self.keyKinds.map(\.manifestLine)),
                .worker: .wired(parts: [
                    "job giveaways.start: a scheduled giveaway opens and its message is posted (nonce-deduplicated)",
                    "job giveaways.end: claimed in the database by job id, winners stored before anything is posted, one announcement (enforce_nonce)",
                ]),
                .dashboard: .wired(parts: [
                    "/dashboard/guilds/{id}/giveaways: start form with requirements, the list with end, reroll and cancel, the entrants, the manager role",
                    "loading, success and error states; the list is read again after every action; forms hidden from viewers",
                ]),
                .permissions: .wired(parts: [
                    "Manage Server, Administrator or the guild's giveaway manager role in Discord; owner, manager, admin or editor in the dashboard",
                    "checked in GiveawayService where each change happens; /giveaway carries default_member_permissions MANAGE_GUILD",
                ]),
                .logging: .wired(parts: [
                    "logs: giveaway created, started, ended (with winners), end skipped, ended early, rerolled, cancelled, change refused, message not edited",
                    "metrics: guildhall_giveaways_created_total, _entries_total{outcome}, _message_edits_total, _ended_total{winners}, _end_skipped_total",
                    "metrics: guildhall_giveaways_announcements_total{kind}, _cancelled_total, _draw_seconds, _end_delay_seconds; audit log entries",
                ]),
                .premium: .wired(parts: [
                    "TierLimits: running giveaways, winners and length, checked at creation; the draw uses the plan the giveaway was made under",
                    "a downgrade lets running giveaways end with what they promised; a reroll's count follows the current plan",
                ]),
                .tests: .wired(parts: Self.testSuites),
                .docs: .wired(parts: ["docs/features/giveaways.md"]),
            ]
        )
    }
}
