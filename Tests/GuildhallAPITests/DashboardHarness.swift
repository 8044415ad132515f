import Foundation
@testable import GuildhallAPI
import GuildhallBackends
import GuildhallCore
import GuildhallDatabaseTestSupport
import GuildhallDiscordREST
import GuildhallGiveaways
import GuildhallGuildSettings
import GuildhallHTTP
import GuildhallJobs
import GuildhallKit
import GuildhallGuildSettingsFeature
import GuildhallLeveling
import GuildhallPremium
@testable import GuildhallSandbox
import GuildhallStorage
import GuildhallTestSupport
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOHTTP1
import Synchronization

/// The API with dashboard logins against a sandbox Discord, all on loopback sockets: the
/// browser's part of OAuth2 (following redirects, keeping cookies) is played by `login`.
struct DashboardHarness {
    let sandbox: SandboxServer
    let endpoints: SandboxEndpoints
    let database: GuildhallDatabase
    let settings: GuildSettingsService
    let table: APIRouteTable
    let application: Application<RouterResponder<GuildhallRequestContext>>
    /// Seconds added to the session clock (to make sessions expire).
    let clock: Box<Double>
    /// Every line the API, the dashboard services and the settings service logged.
    let logs: LogRecorder
    let jobs: JobSystem
    let leveling: LevelingService
    let giveaways: GiveawayService
    static let origin = "http://127.0.0.1:1234"

    final class Box<Value: Sendable>: Sendable {
        let value: Mutex<Value>
        init(_ value: Value) { self.value = Mutex(value) }
    }

    static func make(userLimit: Int = 1_000, guildLimit: Int = 1_000, operators: [String] = []) async throws -> DashboardHarness {
        let sandbox = try SandboxServer(configuration: SandboxConfiguration(
            seed: UInt64.random(in: 1...UInt64(UInt32.max)), guildCount: 3, membersPerGuild: 5, logger: TestDatabase.quietLogger
        ))
        let endpoints = try await sandbox.start()
        let database = try await TestDatabase.open(.sqlite, migrations: PlatformMigrations.all + LevelingMigrations.all + GiveawayMigrations.all)
        let backends = Backends.inProcess()
        let logs = LogRecorder()
        let settings = GuildSettingsService(
            database: database, backends: backends, logger: logs.logger(), modules: TestModules.catalog,
            premium: PremiumService(database: database, plans: PlanTable(LevelingPlan.rows + GiveawayPlan.rows + TestPlans.rows), logger: logs.logger())
        )
        for guild in sandbox.world.read({ $0.orderedGuilds }) {
            try await settings.registerGuild(id: guild.id, name: guild.name, ownerID: guild.ownerID)
        }
        let app = sandbox.world.read { $0.application }
        let discord = try DiscordRESTClient(
            configuration: DiscordRESTConfiguration(token: app.token, baseURL: endpoints.apiBaseURL.absoluteString), logger: TestDatabase.quietLogger
        )
        let box = Box(0.0)
        let sessionSettings = SessionSettings(
            secret: String(repeating: "k", count: 40), authorizeURL: SessionSettings.authorizeURL(forAPIBase: endpoints.apiBaseURL.absoluteString),
            clientID: app.id.description, clientSecret: app.clientSecret, publicURL: origin
        )
        let tokens = await SessionTokens(secret: sessionSettings.secret) { Date().addingTimeInterval(box.value.withLock { $0 }) }
        let sessions = SessionAuthenticator(tokens: tokens, store: SessionStore(cache: backends.cache, lifetime: sessionSettings.lifetime), settings: sessionSettings)
        let jobs = try JobSystem.make(database: database, driver: try InProcessJobDriver())
        let leveling = LevelingService(
            settings: LevelingSettingsService(store: LevelingStore(database: database), backends: backends, premium: settings.premium, logger: logs.logger()),
            awards: XPAwards(cache: backends.cache), queue: jobs.queue, logger: logs.logger()
        )
        let giveawayDiscord = GiveawayDiscordSource()
        giveawayDiscord.set(RESTGiveawayDiscord(rest: discord))
        let giveaways = GiveawayService(
            store: GiveawayStore(database: database), discord: giveawayDiscord, queue: jobs.queue, premium: settings.premium!, settings: settings,
            cache: backends.cache, levels: nil, logger: logs.logger()
        )
        let router = Router(context: GuildhallRequestContext.self)
        router.add(middleware: RequestIDMiddleware())
        let api = APIMount.mount(
            on: router,
            settings: APISettings(
                operatorToken: nil, operatorUserIDs: operators.map { name in sandbox.world.read { state in state.oauthUserIDs.first { state.users[$0]?.username == name }! } },
                userLimit: userLimit, guildLimit: guildLimit
            ),
            cache: backends.cache, jobs: jobs.admin,
            dashboard: APIDashboard(
                sessions: sessions, discord: discord, settings: settings, database: database, cache: backends.cache, logger: logs.logger()
            )
        ) { api, web in
            for routes: any FeatureRoutes in [GuildSettingsRoutes(), LevelingRoutes(leveling: leveling), GiveawayRoutes(giveaways: giveaways)] {
                routes.register(on: api, web: web)
            }
        }
        let application = Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)), logger: logs.logger(label: "api"))
        return DashboardHarness(
            sandbox: sandbox, endpoints: endpoints, database: database, settings: settings, table: api.table, application: application, clock: box,
            logs: logs, jobs: jobs, leveling: leveling, giveaways: giveaways
        )
    }

    func run(_ body: @escaping @Sendable (any TestClientProtocol) async throws -> Void) async throws {
        do {
            try await application.test(.live) { client in try await body(OpenAPIConformingClient(inner: client, table: table)) }
            await giveaways.finishPendingEdits()
            await database.shutdown()
            await sandbox.stop()
        } catch {
            await giveaways.finishPendingEdits()
            await database.shutdown()
            await sandbox.stop()
            throw error
        }
    }

    func persona(_ name: String) -> Snowflake {
        sandbox.world.read { state in state.oauthUserIDs.first { state.users[$0]?.username == name }! }
    }

    var guilds: [SandboxGuild] { sandbox.world.read { $0.orderedGuilds } }

    /// Logs in as `user` the way a browser would; returns the session cookie and CSRF token.
    func login(as user: Snowflake, client: any TestClientProtocol) async throws -> (cookie: String, csrf: String) {
        let start = try await client.execute(uri: "/auth/login?next=/dashboard", method: .get)
        guard start.status == .found, let authorize = start.headers[.location], let stateCookie = Self.cookie("guildhall_oauth_state", in: start) else {
            throw LoginFailure(step: "login", status: Int(start.status.code))
        }
        let approve = try await LoopbackHTTPClient(timeout: .seconds(10)).send(
            method: .GET, url: URL(string: authorize + "&login_as=\(user)")!, headers: [], body: []
        )
        guard approve.status == 302, let back = approve.headers["location"].flatMap(URLComponents.init(string:)) else {
            throw LoginFailure(step: "authorize", status: approve.status)
        }
        let callback = try await client.execute(
            uri: "/auth/callback?" + (back.percentEncodedQuery ?? ""), method: .get, headers: [.cookie: "guildhall_oauth_state=\(stateCookie)"]
        )
        guard callback.status == .found, let session = Self.cookie("guildhall_session", in: callback) else {
            throw LoginFailure(step: "callback", status: Int(callback.status.code))
        }
        let me = try await client.execute(uri: "/api/v1/me", method: .get, headers: [.cookie: "guildhall_session=\(session)"])
        guard let csrf = me.json?["csrf_token"]?.stringValue else { throw LoginFailure(step: "me", status: Int(me.status.code)) }
        return (session, csrf)
    }

    struct LoginFailure: Error { var step: String; var status: Int }

    static func cookie(_ name: String, in response: TestResponse) -> String? {
        for field in response.headers where field.name == .setCookie {
            let pair = field.value.split(separator: ";").first ?? ""
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            if parts.count == 2, parts[0] == name { return String(parts[1]) }
        }
        return nil
    }

    /// Headers of a write from the dashboard's own page.
    static func write(_ login: (cookie: String, csrf: String), origin: String? = DashboardHarness.origin) -> HTTPFields {
        var fields: HTTPFields = [.cookie: "guildhall_session=\(login.cookie)", .contentType: "application/json"]
        fields[HTTPField.Name("X-CSRF-Token")!] = login.csrf
        if let origin { fields[.origin] = origin }
        return fields
    }
}
