import Foundation
import GuildhallCore
import GuildhallDiscordModels
import Logging
import NIOHTTP1
@testable import GuildhallSandbox

/// A sandbox on a kernel-picked port of 127.0.0.1, with helpers to call it as a bot, a
/// browser or the control API would.
struct SandboxHarness: Sendable {
    let server: SandboxServer
    let endpoints: SandboxEndpoints

    var port: Int { endpoints.port }
    var world: SandboxWorld { server.world }
    var control: SandboxControl { server.control }
    var state: SandboxState { server.world.snapshot }
    var token: String { state.application.token }
    var applicationID: Snowflake { state.application.id }
    var botID: Snowflake { state.application.botUserID }

    static func configuration(seed: UInt64 = 42) -> SandboxConfiguration {
        var logger = Logger(label: "sandbox-tests")
        logger.logLevel = .warning
        // Tests identify many sessions on shard 0; the identify window is opened up here and
        // put back to Discord's 5 s by the tests of the identify limit itself.
        // Rate limits are relaxed too; the rate-limit tests ask for `.discordLike`.
        return SandboxConfiguration(
            seed: seed, guildCount: 4, membersPerGuild: 12, maxConcurrency: 16, identifyWindow: .milliseconds(1),
            rateLimits: .relaxed, logger: logger
        )
    }

    /// Runs `body` against a fresh sandbox and stops it afterwards, also when `body` throws.
    static func with<Result>(
        _ configure: (inout SandboxConfiguration) -> Void = { _ in },
        _ body: (SandboxHarness) async throws -> Result
    ) async throws -> Result {
        var configuration = Self.configuration()
        configure(&configuration)
        let server = try SandboxServer(configuration: configuration)
        let endpoints = try await server.start()
        let harness = SandboxHarness(server: server, endpoints: endpoints)
        do {
            let result = try await body(harness)
            await server.stop()
            return result
        } catch {
            await server.stop()
            throw error
        }
    }

    // MARK: HTTP

    enum Auth: Sendable {
        case bot
        case botToken(String)
        case bearer(String)
        case none
    }

    struct Reply: Sendable {
        var status: Int
        var headers: [String: String]
        var body: [UInt8]

        var json: JSONValue { (try? JSONDecoder().decode(JSONValue.self, from: Data(body))) ?? .null }
        var text: String { String(decoding: body, as: UTF8.self) }
        func header(_ name: String) -> String? { headers[name.lowercased()] }
    }

    /// Calls `path` (absolute, e.g. `/api/v10/users/@me`).
    func call(
        _ method: HTTPMethod, _ path: String, json: JSONValue? = nil, raw: [UInt8]? = nil, contentType: String? = nil,
        auth: Auth = .bot, headers extra: [(String, String)] = []
    ) async throws -> Reply {
        var headers = extra
        switch auth {
        case .bot: headers.append(("Authorization", "Bot \(token)"))
        case .botToken(let value): headers.append(("Authorization", "Bot \(value)"))
        case .bearer(let value): headers.append(("Authorization", "Bearer \(value)"))
        case .none: break
        }
        var body: [UInt8] = []
        if let json {
            body = Array(try JSONEncoder().encode(json))
            headers.append(("Content-Type", contentType ?? "application/json"))
        } else if let raw {
            body = raw
            headers.append(("Content-Type", contentType ?? "application/json"))
        }
        let url = URL(string: "http://127.0.0.1:\(port)\(path)")!
        let reply = try await LoopbackHTTPClient(timeout: .seconds(10)).send(method: method, url: url, headers: headers, body: body)
        return Reply(status: reply.status, headers: reply.headers, body: reply.body)
    }

    /// A REST call under `/api/v10`.
    func api(_ method: HTTPMethod, _ path: String, json: JSONValue? = nil, auth: Auth = .bot, headers: [(String, String)] = []) async throws -> Reply {
        try await call(method, "/api/v10" + path, json: json, auth: auth, headers: headers)
    }

    /// A control API call under `/_sandbox`.
    func sandbox(_ method: HTTPMethod, _ path: String, json: JSONValue? = nil) async throws -> Reply {
        try await call(method, "/_sandbox" + path, json: json, auth: .none)
    }

    // MARK: Gateway

    /// A connected, identified client with READY (and the GUILD_CREATEs) read.
    func identifiedClient(
        intents: UInt64 = SandboxIntents.guilds | SandboxIntents.guildMessages | SandboxIntents.messageContent,
        shard: (Int, Int)? = nil
    ) async throws -> (client: TestGatewayClient, ready: JSONValue, guildCreates: [JSONValue]) {
        let client = try await TestGatewayClient.connect(port: port)
        _ = try await client.expect(op: 10)
        try await client.identify(token: token, intents: intents, shard: shard)
        let ready = try await client.expect(op: 0, t: "READY")
        var creates: [JSONValue] = []
        let expected = ready["d"]?["guilds"].flatMap { if case .array(let items) = $0 { items.count } else { nil } } ?? 0
        if intents & SandboxIntents.guilds != 0 {
            for _ in 0..<expected { creates.append(try await client.expect(op: 0, t: "GUILD_CREATE")) }
        }
        return (client, ready, creates)
    }

    // MARK: World shortcuts

    var firstGuild: SandboxGuild { state.orderedGuilds[0] }

    func channel(named name: String, in guild: SandboxGuild) -> SandboxChannel {
        guild.channelIDs.compactMap { state.channels[$0] }.first { $0.name == name }!
    }

    func member(_ rank: String, in guild: SandboxGuild) -> SandboxMember {
        let users = state.users
        return guild.orderedMembers.first { users[$0.userID]!.username.hasSuffix("-\(rank)-0") }!
    }

    func persona(_ name: String) -> Snowflake {
        state.oauthUserIDs.first { state.users[$0]?.username == name }!
    }
}

extension JSONValue {
    /// The element at `index` of an array.
    subscript(index: Int) -> JSONValue? {
        if case .array(let items) = self, items.indices.contains(index) { return items[index] }
        return nil
    }

    var arrayValue: [JSONValue] {
        if case .array(let items) = self { return items }
        return []
    }

    var boolValue: Bool? {
        if case .bool(let value) = self { return value }
        return nil
    }
}
