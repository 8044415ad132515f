import GuildhallAPI
import GuildhallCore
import GuildhallDashboard
import GuildhallGuildSettings

/// Giveaways: the start form, the list with its actions and the manager role
/// (giveaways.js draws the list from the API and reads it again after every action).
struct GiveawaysTab: DashboardTab {
    struct View {
        var giveawaysOn: Bool
        var roles: [DashboardChoice]
        var hasRoles: Bool
        /// Where a giveaway may be posted: text and announcement channels, by position.
        var channels: [DashboardChoice]
    }

    var title: String { "Giveaways" }
    var path: String { "giveaways" }
    var leastAccess: APIRoute.GuildRequirement { .view }
    var position: Int { 20 }
    var template: String { "giveaways" }
    var scripts: [String] { ["giveaways.js"] }

    func view(_ request: DashboardTabRequest) async throws -> any Sendable {
        let roles = await DashboardPages.roles(request.guildID, discord: request.web.discord)
        return View(
            giveawaysOn: try await request.web.settings.settings(for: request.guildID).isEnabled(.giveaways),
            roles: roles, hasRoles: !roles.isEmpty, channels: await DashboardPages.textChannels(request.guildID, discord: request.web.discord)
        )
    }
}
