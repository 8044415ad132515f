import Foundation
import GuildhallAPI
import GuildhallCore
import GuildhallGuildSettings
import Hummingbird

/// What a tab is given to draw one guild's page: the guild, who is looking and with what
/// access (checked by the shell against the tab's least access before the tab runs), the
/// page number asked for, and the dashboard's services.
public struct DashboardTabRequest: Sendable {
    public let guildID: Snowflake
    public let guildName: String
    public let userID: Snowflake
    public let access: GuildAccess
    /// `?page=`, clamped to 1…10,000 (1 when absent or not a number).
    public let page: Int
    public let web: APIDashboard

    public init(guildID: Snowflake, guildName: String, userID: Snowflake, access: GuildAccess, page: Int, web: APIDashboard) {
        self.guildID = guildID
        self.guildName = guildName
        self.userID = userID
        self.access = access
        self.page = page
        self.web = web
    }

    public var canEdit: Bool { access.satisfies(.edit) }
}

/// A tab of a guild's dashboard pages, contributed by a feature. The shell draws the page
/// around it (header, the guild's name, the navigation generated from every feature's tabs
/// the viewer may open, the shard banner, the scripts) and the tab draws its body from its
/// own template, with the values `view` returns (and the shell's: `guildID`, `csrf`,
/// `canEdit`, `isOwner`, `access`).
public protocol DashboardTab: Sendable {
    var title: String { get }
    /// Under `/dashboard/guilds/{id}/`; empty for the guild's overview.
    var path: String { get }
    /// The least access that may open it; lower levels neither see it nor open it (403).
    var leastAccess: APIRoute.GuildRequirement { get }
    /// Where the tab sits in the navigation (lower first; ties keep the registry's order).
    var position: Int { get }
    /// The template, by file name without `.mustache`, in the feature's dashboard assets.
    var template: String { get }
    /// Scripts, by file name in the feature's assets, loaded after the dashboard's own.
    var scripts: [String] { get }
    /// The values the template reads. A `GuildhallError` with `.notFound` answers 404.
    func view(_ request: DashboardTabRequest) async throws -> any Sendable
}

extension DashboardTab {
    public var position: Int { 100 }
    public var scripts: [String] { [] }
}

/// A page outside the guild tabs that a feature serves to anyone (the public leaderboard).
public protocol DashboardPublicPage: Sendable {
    /// Hummingbird's form, with `:name` parameters (`/leaderboard/:guild_id`).
    var path: String { get }
    var template: String { get }
    /// The page's title and the values its template reads; nil answers a plain 404.
    func view(parameters: [String: String], page: Int, web: APIDashboard) async throws -> (title: String, view: any Sendable)?
}

/// Everything one feature adds to the dashboard: its files, its tabs and its public pages.
public struct FeatureDashboard: Sendable {
    public let assets: DashboardAssets
    public let tabs: [any DashboardTab]
    public let publicPages: [any DashboardPublicPage]

    public init(assets: DashboardAssets, tabs: [any DashboardTab], publicPages: [any DashboardPublicPage] = []) {
        self.assets = assets
        self.tabs = tabs
        self.publicPages = publicPages
    }
}
