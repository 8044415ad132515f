import FluentKit
import Foundation
import GuildhallAPI
import GuildhallCore
import GuildhallDiscordREST
import GuildhallGuildSettings
import GuildhallJobs
import GuildhallLeveling
import GuildhallGiveaways
import GuildhallPremium
import GuildhallStorage
import Hummingbird
import Mustache

/// The dashboard's pages, rendered on the server from the same services as the JSON API:
/// login, the guild picker, a guild's overview (modules, plan, a banner when its shard is
/// down), access grants (owner only) and the audit log. Writes happen in the browser through
/// the API; the pages only read.
public struct DashboardPages: Sendable {
    let library: MustacheLibrary
    let assets: [String: (contentType: String, body: ByteBuffer)]
    let dashboard: APIDashboard
    let access: GuildAccessResolver
    /// Whether the shard serving a guild is down (from the in-process shard manager, or the
    /// status board the gateway processes write).
    let shardDown: @Sendable (Snowflake) async -> Bool
    /// The operator page's data and who may see it (nil: no operator page).
    let operators: (authenticator: OperatorAuthenticator, jobs: JobsAdminService)?
    /// Leveling's leaderboards (nil: those pages answer 404). The leveling and giveaways tabs
    /// are still drawn by the shell; they move into their features with the kit's tabs.
    let leveling: LevelingService?

    public init(
        dashboard: APIDashboard, operators: (authenticator: OperatorAuthenticator, jobs: JobsAdminService)? = nil, leveling: LevelingService? = nil,
        shardDown: @escaping @Sendable (Snowflake) async -> Bool = { _ in false }
    ) async throws {
        self.leveling = leveling
        // Where SwiftPM put the copied folder differs by platform; take the one that holds it.
        let candidates = [Bundle.module.bundleURL.appendingPathComponent("Resources"), Bundle.module.resourceURL, Bundle.module.resourceURL?.appendingPathComponent("Resources")]
        guard let folder = candidates.compactMap({ $0 }).first(where: { FileManager.default.fileExists(atPath: $0.appendingPathComponent("header.mustache").path) }) else {
            throw GuildhallError(.internalError, "the dashboard's templates are missing from the build")
        }
        library = try await MustacheLibrary(directory: folder.path)
        var assets: [String: (String, ByteBuffer)] = [:]
        for (name, type) in [("dashboard.css", "text/css; charset=utf-8"), ("dashboard.js", "text/javascript; charset=utf-8")] {
            let data = try Data(contentsOf: folder.appendingPathComponent(name))
            assets[name] = (type, ByteBuffer(bytes: data))
        }
        self.assets = assets
        self.dashboard = dashboard
        access = GuildAccessResolver(database: dashboard.database, discord: dashboard.discord, cache: dashboard.cache)
        self.shardDown = shardDown
        self.operators = operators
    }

    public func register<Context: RequestContext>(on router: Router<Context>) {
        router.get("/") { _, _ in Response(status: .found, headers: [.location: "/dashboard"]) }
        router.get("/dashboard/assets/:name") { _, context -> Response in
            guard let asset = assets[context.parameters.get("name") ?? ""] else { return page("error", Self.errorView("Not found", "No such file."), status: .notFound) }
            return Response(status: .ok, headers: [.contentType: asset.contentType, .cacheControl: "no-cache"], body: .init(byteBuffer: asset.body))
        }
        router.get("/dashboard") { request, _ in
            guard let session = await session(request) else { return page("login", LoginView(next: "/dashboard")) }
            let guilds = try await GuildPickerRoute.guilds(for: session, database: dashboard.database, access: access)
            return page("guilds", PickerView(
                username: session.username, csrf: session.csrfToken, guilds: guilds, isOperator: operators?.authenticator.isOperator(session) ?? false
            ))
        }
        router.get("/dashboard/operator/jobs") { request, _ in
            guard let session = await session(request) else { return page("login", LoginView(next: "/dashboard/operator/jobs")) }
            guard let operators, operators.authenticator.isOperator(session) else {
                return page("error", Self.errorView("Not allowed", "This page is for the deployment's operators.", session), status: .forbidden)
            }
            let (queue, dead) = try await operators.jobs.overview()
            let letters = try await operators.jobs.listDeadLetters(limit: 100, includeReplayed: true)
            return page("operator", OperatorView(
                username: session.username, csrf: session.csrfToken, hasQueue: queue != nil, ready: queue?.ready ?? 0, delayed: queue?.delayed ?? 0,
                running: queue?.running ?? 0, deadCount: dead,
                letters: letters.map { letter in
                    .init(
                        jobID: letter.jobID, job: letter.jobName, guild: letter.guild.description, lastError: String(letter.lastError.prefix(300)),
                        failed: Self.day.string(from: Date(timeIntervalSince1970: Double(letter.failedAt) / 1_000)), state: letter.state,
                        isDead: letter.state == "dead"
                    )
                }
            ))
        }
        router.get("/dashboard/guilds/:guild_id") { request, context in
            try await guildPage(request, context, tab: .overview)
        }
        router.get("/dashboard/guilds/:guild_id/audit") { request, context in
            try await guildPage(request, context, tab: .audit)
        }
        router.get("/dashboard/guilds/:guild_id/grants") { request, context in
            try await guildPage(request, context, tab: .grants)
        }
        router.get("/dashboard/guilds/:guild_id/leveling") { request, context in
            try await guildPage(request, context, tab: .leveling)
        }
        router.get("/dashboard/guilds/:guild_id/giveaways") { request, context in
            try await guildPage(request, context, tab: .giveaways)
        }
        router.get("/dashboard/guilds/:guild_id/leaderboard") { request, context in
            try await guildPage(request, context, tab: .leaderboard)
        }
        router.get("/leaderboard/:guild_id") { request, context in
            try await publicLeaderboard(request, context)
        }
    }

    enum Tab { case overview, audit, grants, leveling, leaderboard, giveaways }

    /// `/leaderboard/{guild_id}`: anyone may see it once the guild publishes it (the JSON twin
    /// is `/api/v1/public/leaderboard/{guild_id}`); every other guild is a plain 404.
    private func publicLeaderboard<Context: RequestContext>(_ request: Request, _ context: Context) async throws -> Response {
        let notFound = page("error", Self.errorView("Not found", "This server has no public leaderboard."), status: .notFound)
        guard let leveling, let guildID = context.parameters.get("guild_id").flatMap({ Snowflake($0) }),
              let guild = try await GuildRecord.find(guildID.databaseValue, on: dashboard.database.database), guild.leftAt == nil,
              try await leveling.settings.config(for: guildID).publicLeaderboard else { return notFound }
        let pageNumber = Self.pageNumber(request)
        let board = try await LevelingRoutes.board(
            guild: guildID, page: pageNumber, pageSize: Self.boardPageSize, leveling: leveling, discord: dashboard.discord, cache: dashboard.cache
        )
        return page("leaderboard", PublicBoardView(
            guildID: guildID.description, guildName: guild.name, title: "\(guild.name) leaderboard", board: board,
            previous: pageNumber > 1 ? pageNumber - 1 : nil, next: board.ranked > pageNumber * Self.boardPageSize ? pageNumber + 1 : nil
        ))
    }

    static let boardPageSize = 25

    static func pageNumber(_ request: Request) -> Int {
        request.uri.queryParameters.get("page").flatMap { Int($0) }.map { min(max($0, 1), 10_000) } ?? 1
    }

    private func guildPage<Context: RequestContext>(_ request: Request, _ context: Context, tab: Tab) async throws -> Response {
        let path = request.uri.path
        guard let session = await session(request) else { return page("login", LoginView(next: path)) }
        guard let guildID = context.parameters.get("guild_id").flatMap({ Snowflake($0) }),
              let guild = try await GuildRecord.find(guildID.databaseValue, on: dashboard.database.database), guild.leftAt == nil else {
            return page("error", Self.errorView("Not found", "Guildhall is not in that server.", session), status: .notFound)
        }
        let level: GuildAccess
        do {
            level = try await access.access(user: session.userID, guild: guildID)
        } catch let error as APIError {
            return page("error", Self.errorView("Unavailable", error.message, session), status: error.status)
        }
        guard level != .none, tab != .grants || level == .owner else {
            return page("error", Self.errorView("Not allowed", "You may not open this page of this server.", session), status: .forbidden)
        }
        var view = GuildView(
            username: session.username, csrf: session.csrfToken, guildID: guildID.description, guildName: guild.name, access: level.label,
            canEdit: level.satisfies(.edit), isOwner: level == .owner, onOverview: tab == .overview, onAudit: tab == .audit, onGrants: tab == .grants,
            title: guild.name, onLeveling: tab == .leveling, onLeaderboard: tab == .leaderboard, onGiveaways: tab == .giveaways
        )
        switch tab {
        case .overview:
            let current = try await dashboard.settings.versionedSettings(for: guildID)
            let plan = try await dashboard.premium.status(guild: guildID)
            let limits = plan.limits
            view.modules = dashboard.settings.modules.states(current.settings, limits: limits).map {
                .init(id: $0.module.id.rawValue, title: $0.module.title, enabled: $0.enabled, paused: $0.paused, premium: $0.module.premium != nil)
            }
            view.premium = Self.premiumLabel(plan)
            view.shardDown = await shardDown(guildID)
            return page("overview", view)
        case .audit:
            let records = try await AuditLogRecord.query(on: dashboard.database.database)
                .filter(\.$guildID == guildID.databaseValue).sort(\.$createdAt, .descending).limit(100).all()
            view.entries = records.map(AuditEntryView.init)
            return page("audit", view)
        case .leveling:
            view.levelingOn = try await dashboard.settings.settings(for: guildID).isEnabled(.leveling)
            let limits = try await dashboard.premium.status(guild: guildID).limits
            view.multipliersAllowed = limits.roleMultipliers
            view.voiceXPAllowed = limits.voiceXP
            // Role names help fill in rewards; without them the ids still work.
            view.roles = try await Self.roles(guildID, discord: dashboard.discord)
            view.hasRoles = !view.roles.isEmpty
            return page("leveling", view)
        case .leaderboard:
            guard let leveling else {
                return page("error", Self.errorView("Not found", "Leveling is not served here.", session), status: .notFound)
            }
            let pageNumber = Self.pageNumber(request)
            let board = try await LevelingRoutes.board(
                guild: guildID, page: pageNumber, pageSize: Self.boardPageSize, leveling: leveling, discord: dashboard.discord, cache: dashboard.cache
            )
            view.board = board
            view.previous = pageNumber > 1 ? pageNumber - 1 : nil
            view.next = board.ranked > pageNumber * Self.boardPageSize ? pageNumber + 1 : nil
            return page("leaderboard", view)
        case .giveaways:
            view.giveawaysOn = try await dashboard.settings.settings(for: guildID).isEnabled(.giveaways)
            view.roles = try await Self.roles(guildID, discord: dashboard.discord)
            view.hasRoles = !view.roles.isEmpty
            // Where a giveaway may be posted: text and announcement channels, by position.
            view.channels = ((try? await dashboard.discord.getGuildChannels(guildID: guildID)) ?? [])
                .filter { $0.type == .guildText || $0.type == .guildAnnouncement }.sorted { ($0.position ?? 0) < ($1.position ?? 0) }
                .map { RoleView(id: $0.id.description, name: "#" + ($0.name ?? $0.id.description)) }
            return page("giveaways", view)
        case .grants:
            view.grants = try await DashboardGrantService(database: dashboard.database, logger: dashboard.logger).grants(guild: guildID)
                .map { GrantView(userID: $0.userID.description, level: $0.level.rawValue) }
            return page("grants", view)
        }
    }

    /// The guild's roles to choose from (not @everyone, not integrations'); none when
    /// Discord cannot say, and ids still work.
    static func roles(_ guildID: Snowflake, discord: DiscordRESTClient) async throws -> [RoleView] {
        ((try? await discord.getGuildRoles(guildID: guildID)) ?? [])
            .filter { $0.id != guildID && !$0.managed }.sorted { $0.position > $1.position }.map { RoleView(id: $0.id.description, name: $0.name) }
    }

    /// The plan as the overview shows it, from the same premium status as the API.
    static func premiumLabel(_ status: PremiumStatus) -> String {
        switch status.tier {
        case .free: return "Free"
        case .premium:
            if let grace = status.graceUntil { return "Premium (ended; grace period until " + Self.day.string(from: grace) + " UTC)" }
            guard let ends = status.endsAt else { return "Premium" }
            return "Premium until " + Self.day.string(from: ends) + " UTC"
        }
    }

    static let day: DateFormatter = {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "yyyy-MM-dd HH:mm"
        return formatter
    }()

    private func session(_ request: Request) async -> Session? {
        guard request.cookies["guildhall_session"] != nil else { return nil }
        return try? await dashboard.sessions.session(for: request)
    }

    func page(_ template: String, _ view: Any, status: HTTPResponse.Status = .ok) -> Response {
        let html = library.render(view, withTemplate: template) ?? "<!doctype html><title>Guildhall</title><p>The page could not be drawn.</p>"
        return Response(
            status: status, headers: [.contentType: "text/html; charset=utf-8", .cacheControl: "no-store"],
            body: .init(byteBuffer: ByteBuffer(string: html))
        )
    }

    static func errorView(_ heading: String, _ message: String, _ session: Session? = nil) -> ErrorView {
        ErrorView(username: session?.username, csrf: session?.csrfToken ?? "", heading: heading, message: message, title: heading)
    }
}
