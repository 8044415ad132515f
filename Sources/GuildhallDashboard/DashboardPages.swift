import FluentKit
import Foundation
import GuildhallAPI
import GuildhallCore
import GuildhallDiscordREST
import GuildhallGuildSettings
import GuildhallJobs
import GuildhallPremium
import GuildhallStorage
import Hummingbird
import Mustache

/// The dashboard's shell, rendered on the server: login, the guild picker, the operator
/// page, and every guild page drawn around a feature's tab (header, navigation generated
/// from the features' tabs the viewer may open, the shard banner, the scripts). It knows no
/// feature: the tabs, their templates and scripts come from the registry. Writes happen in
/// the browser through the API; the pages only read.
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
    /// Every feature's tabs in navigation order, each with the feature that drew it.
    let tabs: [(feature: String, tab: any DashboardTab)]
    let publicPages: [(feature: String, page: any DashboardPublicPage)]

    public init(
        dashboard: APIDashboard, operators: (authenticator: OperatorAuthenticator, jobs: JobsAdminService)? = nil, features: [FeatureDashboard] = [],
        shardDown: @escaping @Sendable (Snowflake) async -> Bool = { _ in false }
    ) async throws {
        let folder = try DashboardAssets.resourceFolder(in: Bundle.module, named: "Resources", containing: "header.mustache")
        var library = try await MustacheLibrary(directory: folder.path)
        var assets: [String: (String, ByteBuffer)] = [:]
        for (name, type) in [("dashboard.css", "text/css; charset=utf-8"), ("dashboard.js", "text/javascript; charset=utf-8")] {
            let data = try Data(contentsOf: folder.appendingPathComponent(name))
            assets[name] = (type, ByteBuffer(bytes: data))
        }
        var tabs: [(feature: String, tab: any DashboardTab)] = []
        var publicPages: [(feature: String, page: any DashboardPublicPage)] = []
        var paths = Set<String>()
        for feature in features {
            let id = feature.assets.feature
            // A feature's template is drawn inside `{{#page}}`: its own values first, then the shell's.
            for (name, source) in feature.assets.templates {
                library.register(try MustacheTemplate(string: "{{#page}}" + source + "{{/page}}"), named: "\(id)/\(name)")
            }
            for (name, bytes) in feature.assets.scripts {
                assets["features/\(id)/\(name)"] = ("text/javascript; charset=utf-8", ByteBuffer(bytes: bytes))
            }
            for tab in feature.tabs {
                guard feature.assets.templates[tab.template] != nil else {
                    throw GuildhallError(.internalError, "the \(id) tab '\(tab.title)' names template '\(tab.template)', which its assets lack")
                }
                guard paths.insert(tab.path).inserted else { throw GuildhallError(.internalError, "two dashboard tabs use the path '\(tab.path)'") }
                tabs.append((id, tab))
            }
            for page in feature.publicPages {
                guard feature.assets.templates[page.template] != nil else {
                    throw GuildhallError(.internalError, "the \(id) page \(page.path) names template '\(page.template)', which its assets lack")
                }
                publicPages.append((id, page))
            }
        }
        // Stable: equal positions keep the registry's order.
        self.tabs = tabs.enumerated().sorted { ($0.element.tab.position, $0.offset) < ($1.element.tab.position, $1.offset) }.map(\.element)
        self.publicPages = publicPages
        self.library = library
        self.assets = assets
        self.dashboard = dashboard
        access = GuildAccessResolver(database: dashboard.database, discord: dashboard.discord, cache: dashboard.cache)
        self.shardDown = shardDown
        self.operators = operators
    }

    public func register<Context: RequestContext>(on router: Router<Context>) {
        router.get("/") { _, _ in Response(status: .found, headers: [.location: "/dashboard"]) }
        router.get("/dashboard/assets/:name") { _, context -> Response in
            asset(context.parameters.get("name") ?? "")
        }
        router.get("/dashboard/assets/features/:feature/:name") { _, context -> Response in
            asset("features/\(context.parameters.get("feature") ?? "")/\(context.parameters.get("name") ?? "")")
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
        for (feature, tab) in tabs {
            router.get(RouterPath("/dashboard/guilds/:guild_id" + (tab.path.isEmpty ? "" : "/" + tab.path))) { request, context in
                try await guildPage(request, context, feature: feature, tab: tab)
            }
        }
        for (feature, publicPage) in publicPages {
            router.get(RouterPath(publicPage.path)) { request, context in
                try await self.publicPage(request, context, feature: feature, page: publicPage)
            }
        }
    }

    private func asset(_ name: String) -> Response {
        guard let asset = assets[name] else { return page("error", Self.errorView("Not found", "No such file."), status: .notFound) }
        return Response(status: .ok, headers: [.contentType: asset.contentType, .cacheControl: "no-cache"], body: .init(byteBuffer: asset.body))
    }

    /// A feature's page for anyone (no session, no tabs); nil from the feature is a plain 404.
    private func publicPage<Context: RequestContext>(_ request: Request, _ context: Context, feature: String, page publicPage: any DashboardPublicPage) async throws -> Response {
        var parameters: [String: String] = [:]
        for (name, value) in context.parameters { parameters[String(name)] = String(value) }
        guard let (title, view) = try await publicPage.view(parameters: parameters, page: Self.pageNumber(request), web: dashboard) else {
            return page("error", Self.errorView("Not found", "There is nothing to see here."), status: .notFound)
        }
        var shell = PublicShellView(title: title, heading: title, page: view)
        shell.body = library.render(shell, withTemplate: "\(feature)/\(publicPage.template)") ?? ""
        return page("public", shell)
    }

    /// `?page=` clamped to 1…10,000; 1 when absent or not a number.
    static func pageNumber(_ request: Request) -> Int {
        request.uri.queryParameters.get("page").flatMap { Int($0) }.map { min(max($0, 1), 10_000) } ?? 1
    }

    private func guildPage<Context: RequestContext>(_ request: Request, _ context: Context, feature: String, tab: any DashboardTab) async throws -> Response {
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
        guard level != .none, level.satisfies(tab.leastAccess) else {
            return page("error", Self.errorView("Not allowed", "You may not open this page of this server.", session), status: .forbidden)
        }
        let tabRequest = DashboardTabRequest(
            guildID: guildID, guildName: guild.name, userID: session.userID, access: level, page: Self.pageNumber(request), web: dashboard
        )
        let view: any Sendable
        do {
            view = try await tab.view(tabRequest)
        } catch let error as GuildhallError where error.code == .notFound {
            return page("error", Self.errorView("Not found", error.message, session), status: .notFound)
        }
        var shell = GuildShellView(
            username: session.username, csrf: session.csrfToken, guildID: guildID.description, guildName: guild.name, title: "\(tab.title) · \(guild.name)",
            access: level.label, canEdit: level.satisfies(.edit), isOwner: level == .owner, shardDown: await shardDown(guildID),
            tabs: tabs.filter { level.satisfies($0.tab.leastAccess) }.map { entry in
                GuildShellView.TabLink(
                    title: entry.tab.title, href: "/dashboard/guilds/\(guildID)" + (entry.tab.path.isEmpty ? "" : "/" + entry.tab.path),
                    current: entry.tab.path == tab.path
                )
            },
            scripts: tab.scripts.map { "/dashboard/assets/features/\(feature)/\($0)" }, page: view
        )
        shell.body = library.render(shell, withTemplate: "\(feature)/\(tab.template)") ?? ""
        return page("guild", shell)
    }

    /// The guild's roles to choose from (not @everyone, not integrations'); none when
    /// Discord cannot say, and ids still work.
    public static func roles(_ guildID: Snowflake, discord: DiscordRESTClient) async -> [DashboardChoice] {
        ((try? await discord.getGuildRoles(guildID: guildID)) ?? [])
            .filter { $0.id != guildID && !$0.managed }.sorted { $0.position > $1.position }.map { DashboardChoice(id: $0.id.description, name: $0.name) }
    }

    /// The guild's text and announcement channels by position, as `#name` (none when Discord
    /// cannot say).
    public static func textChannels(_ guildID: Snowflake, discord: DiscordRESTClient) async -> [DashboardChoice] {
        ((try? await discord.getGuildChannels(guildID: guildID)) ?? [])
            .filter { $0.type == .guildText || $0.type == .guildAnnouncement }.sorted { ($0.position ?? 0) < ($1.position ?? 0) }
            .map { DashboardChoice(id: $0.id.description, name: "#" + ($0.name ?? $0.id.description)) }
    }

    /// The plan as the overview shows it, from the same premium status as the API.
    public static func premiumLabel(_ status: PremiumStatus) -> String {
        switch status.tier {
        case .free: return "Free"
        case .premium:
            if let grace = status.graceUntil { return "Premium (ended; grace period until " + Self.day.string(from: grace) + " UTC)" }
            guard let ends = status.endsAt else { return "Premium" }
            return "Premium until " + Self.day.string(from: ends) + " UTC"
        }
    }

    public static let day: DateFormatter = {
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
