import FluentKit
import Foundation
import GuildhallAPI
import GuildhallCore
import GuildhallDashboard
import GuildhallGuildSettings
import GuildhallStorage

/// Leveling's settings form (leveling.js fills it from the API and saves the whole document).
struct LevelingSettingsTab: DashboardTab {
    struct View {
        var levelingOn: Bool
        var multipliersAllowed: Bool
        var voiceXPAllowed: Bool
        /// Role names help fill in rewards; without them the ids still work.
        var roles: [DashboardChoice]
        var hasRoles: Bool
    }

    var title: String { "Leveling" }
    var path: String { "leveling" }
    var leastAccess: APIRoute.GuildRequirement { .view }
    var position: Int { 10 }
    var template: String { "leveling" }
    var scripts: [String] { ["leveling.js"] }

    func view(_ request: DashboardTabRequest) async throws -> any Sendable {
        let limits = try await request.web.premium.status(guild: request.guildID).limits
        let roles = await DashboardPages.roles(request.guildID, discord: request.web.discord)
        return View(
            levelingOn: try await request.web.settings.settings(for: request.guildID).isEnabled(.leveling),
            multipliersAllowed: limits.allows(LevelingPlan.roleMultipliers), voiceXPAllowed: limits.allows(LevelingPlan.voiceXP), roles: roles, hasRoles: !roles.isEmpty
        )
    }
}

/// One page of the guild's leaderboard, the table /leaderboard reads.
struct LeaderboardTab: DashboardTab {
    let leveling: LevelingService

    var title: String { "Leaderboard" }
    var path: String { "leaderboard" }
    var leastAccess: APIRoute.GuildRequirement { .view }
    var position: Int { 11 }
    var template: String { "leaderboard" }

    func view(_ request: DashboardTabRequest) async throws -> any Sendable {
        try await LeaderboardPageView.make(guild: request.guildID, page: request.page, leveling: leveling, web: request.web)
    }
}

/// `/leaderboard/{guild_id}`: anyone may see it once the guild publishes it (the JSON twin
/// is `/api/v1/public/leaderboard/{guild_id}`); every other guild is a plain 404.
struct PublicLeaderboardPage: DashboardPublicPage {
    let leveling: LevelingService

    var path: String { "/leaderboard/:guild_id" }
    var template: String { "leaderboard" }

    func view(parameters: [String: String], page: Int, web: APIDashboard) async throws -> (title: String, view: any Sendable)? {
        guard let guildID = parameters["guild_id"].flatMap({ Snowflake($0) }),
              let guild = try await GuildRecord.find(guildID.databaseValue, on: web.database.database), guild.leftAt == nil,
              try await leveling.settings.config(for: guildID).publicLeaderboard else { return nil }
        return ("\(guild.name) leaderboard", try await LeaderboardPageView.make(guild: guildID, page: page, leveling: leveling, web: web))
    }
}

/// What the leaderboard template reads, in the dashboard and on the public page.
struct LeaderboardPageView {
    static let pageSize = 25

    var board: LevelingRoutes.Board
    var previous: Int?
    var next: Int?

    static func make(guild: Snowflake, page: Int, leveling: LevelingService, web: APIDashboard) async throws -> LeaderboardPageView {
        let board = try await LevelingRoutes.board(guild: guild, page: page, pageSize: pageSize, leveling: leveling, discord: web.discord, cache: web.cache)
        return LeaderboardPageView(board: board, previous: page > 1 ? page - 1 : nil, next: board.ranked > page * pageSize ? page + 1 : nil)
    }
}
