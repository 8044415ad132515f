import Foundation
@testable import GuildhallAPI
import GuildhallBackends
import GuildhallCore
@testable import GuildhallDashboard
import GuildhallDatabaseTestSupport
import GuildhallDiscordREST
import GuildhallGuildSettings
import GuildhallHTTP
import GuildhallPremium
import GuildhallStorage
import Hummingbird
import HummingbirdTesting
import Testing

/// A tab that says what it was asked, or that its guild has nothing for it.
struct EchoTab: DashboardTab {
    struct View { var greeting: String }

    var title: String { "Echo" }
    var path: String { "echo" }
    var leastAccess: APIRoute.GuildRequirement { .view }
    var template: String { "echo" }

    func view(_ request: DashboardTabRequest) async throws -> any Sendable {
        throw GuildhallError(.notFound, "nothing to echo in \(request.guildName)")
    }
}

/// A public page that exists for one parameter value only.
struct OnlyPage: DashboardPublicPage {
    var path: String { "/only/:name" }
    var template: String { "echo" }

    func view(parameters: [String: String], page: Int, web: APIDashboard) async throws -> (title: String, view: any Sendable)? {
        parameters["name"] == "here" ? ("Only here, page \(page)", EchoTab.View(greeting: "hello from page \(page)")) : nil
    }
}

/// The dashboard shell without a browser: what it refuses at start, the routes it adds for
/// every feature (assets, public pages), and its plain answers.
@Suite("dashboard shell")
struct DashboardShellTests {
    static let assets = DashboardAssets(feature: "echo", templates: ["echo": "<p id=\"greeting\">{{greeting}}</p>"], scripts: ["echo.js": Array("// echo".utf8)])

    static func web() async throws -> (APIDashboard, GuildhallDatabase) {
        let database = try await TestDatabase.open(.sqlite)
        let backends = Backends.inProcess()
        let premium = PremiumService(database: database, plans: PlanTable([]), logger: TestDatabase.quietLogger)
        let settings = GuildSettingsService(database: database, backends: backends, logger: TestDatabase.quietLogger, modules: TestModules.catalog, premium: premium)
        let sessionSettings = SessionSettings(secret: String(repeating: "k", count: 40), authorizeURL: "http://127.0.0.1:9/oauth2/authorize", clientID: "1", clientSecret: "s")
        let sessions = SessionAuthenticator(
            tokens: await SessionTokens(secret: sessionSettings.secret), store: SessionStore(cache: backends.cache, lifetime: .seconds(60)), settings: sessionSettings
        )
        let discord = try DiscordRESTClient(configuration: DiscordRESTConfiguration(token: "t", baseURL: "http://127.0.0.1:9/api/v10"), logger: TestDatabase.quietLogger)
        return (APIDashboard(sessions: sessions, discord: discord, settings: settings, database: database, cache: backends.cache, logger: TestDatabase.quietLogger), database)
    }

    @Test("a tab or page naming a template its assets lack, or two tabs on one path, stop the dashboard at start")
    func refusedAtStart() async throws {
        let (web, database) = try await Self.web()
        struct Missing: DashboardTab {
            var title: String { "Missing" }
            var path: String { "missing" }
            var leastAccess: APIRoute.GuildRequirement { .view }
            var template: String { "absent" }
            func view(_ request: DashboardTabRequest) async throws -> any Sendable { "" }
        }
        struct MissingPage: DashboardPublicPage {
            var path: String { "/nothing" }
            var template: String { "absent" }
            func view(parameters: [String: String], page: Int, web: APIDashboard) async throws -> (title: String, view: any Sendable)? { nil }
        }
        await #expect(throws: GuildhallError.self) { _ = try await DashboardPages(dashboard: web, features: [FeatureDashboard(assets: Self.assets, tabs: [Missing()])]) }
        await #expect(throws: GuildhallError.self) {
            _ = try await DashboardPages(dashboard: web, features: [FeatureDashboard(assets: Self.assets, tabs: [EchoTab(), EchoTab()])])
        }
        await #expect(throws: GuildhallError.self) {
            _ = try await DashboardPages(dashboard: web, features: [FeatureDashboard(assets: Self.assets, tabs: [], publicPages: [MissingPage()])])
        }
        #expect(EchoTab().position == 100 && EchoTab().scripts.isEmpty, "a tab's defaults")
        await database.shutdown()
    }

    @Test("the shell serves features' scripts and public pages, redirects / and answers 404 plainly")
    func routes() async throws {
        let (web, database) = try await Self.web()
        let pages = try await DashboardPages(dashboard: web, features: [FeatureDashboard(assets: Self.assets, tabs: [EchoTab()], publicPages: [OnlyPage()])])
        let router = Router(context: GuildhallRequestContext.self)
        pages.register(on: router)
        let application = Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)), logger: TestDatabase.quietLogger)
        try await application.test(.live) { client in
            let root = try await client.execute(uri: "/", method: .get)
            #expect(root.status == .found && root.headers[.location] == "/dashboard")
            let script = try await client.execute(uri: "/dashboard/assets/features/echo/echo.js", method: .get)
            #expect(script.status == .ok && String(buffer: script.body) == "// echo")
            #expect(try await client.execute(uri: "/dashboard/assets/features/echo/other.js", method: .get).status == .notFound)
            #expect(try await client.execute(uri: "/dashboard/assets/none.css", method: .get).status == .notFound)
            let only = try await client.execute(uri: "/only/here?page=3", method: .get)
            #expect(only.status == .ok)
            #expect(String(buffer: only.body).contains("<p id=\"greeting\">hello from page 3</p>") && String(buffer: only.body).contains("Only here, page 3"))
            #expect(try await client.execute(uri: "/only/elsewhere", method: .get).status == .notFound)
            let login = try await client.execute(uri: "/dashboard/guilds/123/echo", method: .get)
            #expect(login.status == .ok && String(buffer: login.body).contains("Log in"), "no session: the login page, with the way back")
        }
        await database.shutdown()
    }
}
