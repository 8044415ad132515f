import Foundation
@testable import GuildhallApp
import GuildhallAPI
import GuildhallCore
import GuildhallDatabaseTestSupport
import GuildhallDiscordModels
import GuildhallHTTP
import GuildhallJobs
import GuildhallKit
@testable import GuildhallSandbox
import GuildhallStorage
import GuildhallTestSupport
import NIOHTTP1
import Testing

/// THE WIRING CONTRACT: for every registered feature, `serve` is started on the sandbox and
/// what the feature declares is found where it must be: each command in the bot's router
/// and registered with Discord, each component prefix routed, each route in the OpenAPI
/// document the server serves, each dashboard tab answering 200 to the owner and 403
/// (hidden from the navigation) to a level below its least, each job registered, each
/// migration reverting, each key kind well formed. A feature that declares what it does not
/// register fails it (the second test proves the check can fail).
@Suite("FeatureWiringTests", .serialized)
struct FeatureWiringTests {
    @Test("every registered feature is wired through the running platform")
    func catalogIsWired() async throws {
        let problems = try await WiringCheck.run(registry: FeatureCatalog.registry)
        #expect(problems.isEmpty, "\(problems.joined(separator: "\n"))")
    }

    @Test("a feature that declares a command, route, tab, component and job it never registers fails the check")
    func phantomFeatureFails() async throws {
        let registry = FeatureCatalog.registry(FeatureCatalog.features + [PhantomFeature()])
        let problems = try await WiringCheck.run(registry: registry)
        let phantom = problems.filter { $0.hasPrefix("phantom:") }
        #expect(phantom.contains { $0.contains("/phantom") && $0.contains("router") }, "\(phantom)")
        #expect(phantom.contains { $0.contains("/phantom") && $0.contains("Discord") }, "\(phantom)")
        #expect(phantom.contains { $0.contains("phantom-button") }, "\(phantom)")
        #expect(phantom.contains { $0.contains("/api/v1/guilds/{guild_id}/phantom") }, "\(phantom)")
        #expect(phantom.contains { $0.contains("tab Phantom") }, "\(phantom)")
        #expect(phantom.contains { $0.contains("phantom.haunt") }, "\(phantom)")
        #expect(problems.allSatisfy { $0.hasPrefix("phantom:") }, "the real features stay wired beside it: \(problems)")
    }
}

/// Declares one of everything and registers nothing: what a half-built feature looks like.
struct PhantomFeature: Feature {
    var info: FeatureInfo { FeatureInfo(id: "phantom", name: "Phantom", summary: "Declares what it never wires (a test fixture).") }
    var jobKinds: [String] { ["phantom.haunt"] }
    var commands: [ApplicationCommand] { [.slash("phantom", description: "Never answered")] }
    var componentPrefixes: [String] { ["phantom-button"] }
    var routes: [APIRoute] {
        [APIRoute(.get, "/api/v1/guilds/{guild_id}/phantom", operationID: "getPhantom", summary: "Never mounted.", tag: "phantom", access: .guild(.view),
                  pathParameters: ["guild_id": .snowflake], answers: [200: .init("Nothing.")])]
    }
    var tabs: [DashboardTabDeclaration] { [DashboardTabDeclaration(title: "Phantom", path: "phantom")] }
    var notes: FeatureNotes { FeatureNotes(testSuites: ["FeatureWiringTests"]) }

    func start(_ context: FeatureContext) async throws -> FeatureRuntime { FeatureRuntime() }
}

/// Starts `serve` for a registry on the sandbox and lists what is declared but not wired.
enum WiringCheck {
    static func run(registry: FeatureRegistry) async throws -> [String] {
        MetricsBootstrap.bootstrap()
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent(TestEnvironment.uniqueName(prefix: "wiring"))
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        var configuration = GuildhallConfiguration(database: .sqliteFile(path: folder.appendingPathComponent("guildhall.sqlite").path))
        configuration.port = 0
        let (ports, continuation) = AsyncStream<Int>.makeStream()
        let served = try await ServeCommand.assembleServe(
            configuration: configuration, jobs: try JobOptions.parse([]),
            sandbox: try SandboxOptions.parse(["--sandbox-guilds", "1", "--sandbox-members", "4", "--sandbox-seed", "16"]),
            logger: TestDatabase.quietLogger, registry: registry
        ) { port in continuation.yield(port) }
        let task = Task { try await served.group.run() }
        var port = 0
        for await value in ports {
            port = value
            break
        }
        var problems: [String] = []
        do {
            problems = try await check(registry: registry, served: served, port: port, migrationsFolder: folder)
        } catch {
            problems.append("the check itself failed: \(error)")
        }
        await served.group.triggerGracefulShutdown()
        try await task.value
        return problems
    }

    static func check(registry: FeatureRegistry, served: ServedStack, port: Int, migrationsFolder: URL) async throws -> [String] {
        let sandbox = try #require(served.sandbox)
        let registered = await waitUntil(timeout: .seconds(30)) { !sandbox.world.read { $0.globalCommands }.isEmpty }
        guard registered else { return ["the bot never registered its commands with the sandbox"] }
        let discordCommands = sandbox.world.read { $0.globalCommands }
        let router = served.bot.dispatcher.router
        let document = try await fetch(port: port, path: "/api/openapi.json")
        let paths = try (JSONSerialization.jsonObject(with: Data(document.body)) as? [String: Any])?["paths"] as? [String: Any] ?? [:]
        let guild = try #require(sandbox.world.read { $0.orderedGuilds.first })
        let persona = { (name: String) in sandbox.world.read { state in state.oauthUserIDs.first { state.users[$0]?.username == name } } }
        let owner = try await login(port: port, as: try #require(persona("ada")))
        let manager = try await login(port: port, as: try #require(persona("bram")))
        let member = try await login(port: port, as: try #require(persona("cleo")))
        #expect(guild.ownerID == persona("ada"), "the seeded guild 0 is ada's")

        var problems: [String] = []
        for (feature, runtime) in zip(registry.features, served.platform.features) {
            let id = feature.info.id
            func problem(_ text: String) { problems.append("\(id): \(text)") }
            for command in feature.commands {
                if router.commands[command.name]?.definition != command { problem("/\(command.name) is declared but not in the bot's router as declared") }
                if !discordCommands.contains(where: { $0.name == command.name && $0.description == command.description }) {
                    problem("/\(command.name) is declared but not registered with Discord")
                }
            }
            for prefix in feature.componentPrefixes where router.components[prefix] == nil {
                problem("component prefix \(prefix) is declared but no handler is routed")
            }
            if feature.gatewayEvents.isEmpty != runtime.gatewayHandlers.isEmpty {
                problem("gateway events declared (\(feature.gatewayEvents.count)) and handlers started (\(runtime.gatewayHandlers.count)) disagree")
            }
            var jobs = JobRegistry()
            try runtime.registerJobs(&jobs)
            if Set(jobs.names) != Set(feature.jobKinds) { problem("jobs declared \(feature.jobKinds.sorted()) but registered \(jobs.names)") }
            for job in feature.jobKinds where served.platform.jobs.registry.handler(named: job) == nil { problem("job \(job) is not in the worker's registry") }
            for route in feature.routes {
                let operation = (paths[route.path] as? [String: Any])?[route.method.rawValue.lowercased()]
                if operation == nil { problem("route \(route.method.rawValue) \(route.path) is not in the served OpenAPI document") }
            }
            let started = (runtime.dashboard?.tabs ?? []).map { DashboardTabDeclaration(title: $0.title, path: $0.path, leastAccess: $0.leastAccess) }
            if started != feature.tabs { problem("tabs declared \(feature.tabs.map(\.title)) but started \(started.map(\.title))") }
            for tab in feature.tabs {
                let path = "/dashboard/guilds/\(guild.id)" + (tab.path.isEmpty ? "" : "/\(tab.path)")
                let answer = try await fetch(port: port, path: path, cookie: owner)
                if answer.status != 200 { problem("tab \(tab.title) (\(path)) answers \(answer.status) to the owner") }
                if answer.status == 200, !String(decoding: answer.body, as: UTF8.self).contains("href=\"\(path)\" aria-current=\"page\">\(tab.title)</a>") {
                    problem("tab \(tab.title) is not in its own page's navigation as the current tab")
                }
                let below = tab.leastAccess == .owner ? manager : member
                let refused = try await fetch(port: port, path: path, cookie: below)
                if refused.status != 403 { problem("tab \(tab.title) (\(path)) answers \(refused.status) below its least access") }
                if tab.leastAccess == .owner {
                    let overview = String(decoding: try await fetch(port: port, path: "/dashboard/guilds/\(guild.id)", cookie: manager).body, as: UTF8.self)
                    if overview.contains("href=\"\(path)\"") { problem("tab \(tab.title) is shown to a manager, below its least access") }
                }
            }
            for kind in feature.keyKinds {
                let key = try kind.key(guild: guild.id, parts: kind.parts.map { _ in "1" })
                if !key.rawValue.hasPrefix("bot:{\(guild.id)}:") { problem("key kind \(kind.pattern) builds \(key), outside the guild keyspace") }
            }
            if !feature.migrations.isEmpty {
                problems += try await migrationProblems(feature, registry: served.platform.registry, folder: migrationsFolder).map { "\(id): \($0)" }
            }
        }
        return problems
    }

    /// Forward, all the way back, and forward again on a fresh SQLite file.
    static func migrationProblems(_ feature: any Feature, registry: FeatureRegistry, folder: URL) async throws -> [String] {
        let path = folder.appendingPathComponent("migrations-\(feature.info.id).sqlite").path
        let database = try GuildhallDatabase(location: .sqliteFile(path: path), migrations: FeatureCatalog.migrations(for: registry), logger: TestDatabase.quietLogger)
        defer { Task { await database.shutdown() } }
        _ = try await database.migrate()
        let reverted = try await database.revertAll()
        var problems: [String] = []
        for migration in feature.migrations where !reverted.contains(migration.name) {
            problems.append("migration \(migration.name) did not revert")
        }
        let again = try await database.migrate()
        for migration in feature.migrations where !again.contains(migration.name) {
            problems.append("migration \(migration.name) did not apply again after its revert")
        }
        return problems
    }

    static func fetch(port: Int, path: String, cookie: String? = nil) async throws -> LoopbackHTTPClient.Reply {
        try await LoopbackHTTPClient(timeout: .seconds(10)).send(
            method: .GET, url: URL(string: "http://127.0.0.1:\(port)\(path)")!, headers: cookie.map { [("Cookie", $0)] } ?? [], body: []
        )
    }

    /// Logs in through the sandbox's OAuth2 the way a browser would; returns the Cookie header.
    static func login(port: Int, as user: Snowflake) async throws -> String {
        let start = try await fetch(port: port, path: "/auth/login?next=/dashboard")
        let state = try #require(cookie("guildhall_oauth_state", in: start), "no state cookie: \(start.status)")
        let authorize = try #require(start.headers["location"])
        let approve = try await LoopbackHTTPClient(timeout: .seconds(10)).send(
            method: .GET, url: URL(string: authorize + "&login_as=\(user)")!, headers: [], body: []
        )
        let back = try #require(approve.headers["location"].flatMap(URLComponents.init(string:)))
        let callback = try await fetch(port: port, path: "/auth/callback?" + (back.percentEncodedQuery ?? ""), cookie: "guildhall_oauth_state=\(state)")
        let session = try #require(cookie("guildhall_session", in: callback), "no session cookie: \(callback.status)")
        return "guildhall_session=\(session)"
    }

    static func cookie(_ name: String, in reply: LoopbackHTTPClient.Reply) -> String? {
        for line in (reply.headers["set-cookie"] ?? "").split(separator: "\n") {
            let pair = line.split(separator: ";").first ?? ""
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            if parts.count == 2, parts[0].trimmingCharacters(in: .whitespaces) == name, !parts[1].isEmpty { return String(parts[1]) }
        }
        return nil
    }
}
