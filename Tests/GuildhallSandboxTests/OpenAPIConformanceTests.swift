import Foundation
import GuildhallCore
import GuildhallDiscordModels
import NIOHTTP1
import Testing
@testable import GuildhallSandbox

@Suite("Faithfulness: REST shapes against Discord's OpenAPI description")
struct OpenAPIConformanceTests {
    let checker: JSONSchemaChecker

    init() throws {
        checker = try JSONSchemaChecker(specification: JSONSchemaChecker.specificationURL)
    }

    @Test("the checker catches missing fields, wrong types, bad patterns, enums and references")
    func checkerCatchesProblems() throws {
        let user = try #require(checker.document["components"]?["schemas"]?["UserResponse"])
        let good: JSONValue = .object([
            "id": .string("123"), "username": .string("u"), "avatar": .null, "discriminator": .string("0"),
            "public_flags": .integer(0), "flags": .integer(0), "global_name": .null, "primary_guild": .null,
        ])
        #expect(checker.problems(good, user).isEmpty)
        guard case .object(var fields) = good else { return }
        fields["avatar"] = nil
        #expect(checker.problems(.object(fields), user).contains { $0.contains("missing required \"avatar\"") })
        fields["avatar"] = .integer(5)
        #expect(checker.problems(.object(fields), user).contains { $0.contains("$.avatar: expected string|null") })
        fields["avatar"] = .null
        fields["id"] = .string("12a")
        #expect(checker.problems(.object(fields), user).contains { $0.contains("does not match") })
        let reference: JSONValue = .object(["$ref": .string("#/components/schemas/Nope")])
        #expect(checker.problems(.null, reference) == ["$: unresolved #/components/schemas/Nope"])
        let choice: JSONValue = .object(["oneOf": .array([.object(["type": .string("string")]), .object(["type": .string("integer")])])])
        #expect(checker.problems(.bool(true), choice).count == 1)
        #expect(checker.problems(.integer(3), .object(["enum": .array([.integer(1), .integer(2)])])).count == 1)
        #expect(checker.problems(.string("abc"), .object(["maxLength": .integer(2), "minLength": .integer(5)])).count == 2)
        #expect(checker.problems(.array([.integer(1)]), .object(["minItems": .integer(2), "maxItems": .integer(0)])).count == 2)
        #expect(checker.problems(.double(1.5), .object(["minimum": .integer(2), "maximum": .integer(1), "type": .string("integer")])).count == 1)
        #expect(checker.problems(.object(["x": .integer(1)]), .object(["additionalProperties": .bool(false)])).count == 1)
        #expect(checker.problems(.integer(1), .object(["const": .integer(2)])).count == 1)
        #expect(checker.responseSchema("get", "/users/@me", status: 200) != nil)
        #expect(checker.requestSchema("post", "/channels/{channel_id}/messages") != nil)
    }

    /// Places where the description and Discord's documentation disagree, and the sandbox
    /// follows the documentation (the description's README says to): each with its reason.
    static let knownDivergences: [(pattern: String, reason: String)] = [
        ("entitlements response $.type: matches none", "the description lists only types 8 and 10; test entitlements are type 4 (docs, FACTS.md §7)"),
        ("entitlements response $[0].type: matches none", "as above, in the list"),
    ]

    struct Call {
        var method: HTTPMethod
        var path: String
        var template: String
        var status: Int
        var body: JSONValue?
        var auth: SandboxHarness.Auth = .bot
    }

    @Test("every REST endpoint the bot uses answers in the shape the description gives; requests match too")
    func endpointsConform() async throws {
        // A generous answer deadline: on a loaded machine the calls below may take seconds.
        try await SandboxHarness.with({ $0.rateLimits = .relaxed; $0.interactionResponseDeadline = .seconds(120) }) { sandbox in
            let guild = sandbox.firstGuild
            let general = sandbox.channel(named: "general", in: guild)
            let member = sandbox.member("member", in: guild).userID
            let victim = sandbox.member("member", in: sandbox.state.orderedGuilds[1]).userID
            let app = sandbox.applicationID
            let messageBody: JSONValue = .object([
                "content": .string("Hello <@\(member)>"), "allowed_mentions": .object(["parse": .array([.string("users")])]),
                "embeds": .array([.object(["title": .string("t"), "description": .string("d"), "fields": .array([
                    .object(["name": .string("n"), "value": .string("v"), "inline": .bool(true)]),
                ])])]),
                "components": .array([.object(["type": .integer(1), "components": .array([
                    .object(["type": .integer(2), "style": .integer(1), "label": .string("Go"), "custom_id": .string("go")]),
                ])])]),
            ])
            let created = try await sandbox.api(.POST, "/channels/\(general.id)/messages", json: messageBody).json
            let messageID = try #require(created["id"]?.stringValue)
            _ = try await sandbox.api(.PUT, "/channels/\(general.id)/messages/\(messageID)/reactions/%E2%9C%85/@me")
            _ = try await sandbox.api(.PUT, "/guilds/\(sandbox.state.orderedGuilds[1].id)/bans/\(victim)")
            let dm = try await sandbox.api(.POST, "/users/@me/channels", json: .object(["recipient_id": .string(member.description)])).json
            let commands: JSONValue = .array([.object([
                "name": .string("warn"), "description": .string("Warn someone"), "type": .integer(1),
                "options": .array([.object(["name": .string("member"), "description": .string("who"), "type": .integer(6), "required": .bool(true)])]),
            ])])
            _ = try await sandbox.api(.PUT, "/applications/\(app)/commands", json: commands)
            let interaction = try await sandbox.control.invokeCommand(
                channelID: general.id, userID: member, name: "warn", options: [.object(["name": .string("member"), "value": .string(member.description)])]
            )
            let entitlement: JSONValue = .object([
                "sku_id": .string(sandbox.state.skus[1].id.description), "owner_id": .string(member.description), "owner_type": .integer(2),
            ])
            let until = DiscordTimestamp(date: Date().addingTimeInterval(600)).iso8601

            let calls: [Call] = [
                Call(method: .GET, path: "/gateway", template: "/gateway", status: 200, auth: .none),
                Call(method: .GET, path: "/gateway/bot", template: "/gateway/bot", status: 200),
                Call(method: .GET, path: "/users/@me", template: "/users/@me", status: 200),
                Call(method: .GET, path: "/users/@me/guilds?with_counts=true", template: "/users/@me/guilds", status: 200),
                Call(method: .GET, path: "/oauth2/applications/@me", template: "/oauth2/applications/@me", status: 200),
                Call(method: .POST, path: "/users/@me/channels", template: "/users/@me/channels", status: 200, body: .object(["recipient_id": .string(member.description)])),
                Call(method: .GET, path: "/guilds/\(guild.id)?with_counts=true", template: "/guilds/{guild_id}", status: 200),
                Call(method: .GET, path: "/guilds/\(guild.id)/channels", template: "/guilds/{guild_id}/channels", status: 200),
                Call(method: .GET, path: "/channels/\(general.id)", template: "/channels/{channel_id}", status: 200),
                Call(method: .GET, path: "/channels/\(dm["id"]!.stringValue!)", template: "/channels/{channel_id}", status: 200),
                Call(method: .GET, path: "/guilds/\(guild.id)/roles", template: "/guilds/{guild_id}/roles", status: 200),
                Call(method: .POST, path: "/guilds/\(guild.id)/roles", template: "/guilds/{guild_id}/roles", status: 200,
                     body: .object(["name": .string("Level 10"), "permissions": .integer(0), "color": .integer(3_447_003)])),
                Call(method: .GET, path: "/guilds/\(guild.id)/members?limit=50", template: "/guilds/{guild_id}/members", status: 200),
                Call(method: .GET, path: "/guilds/\(guild.id)/members/\(member)", template: "/guilds/{guild_id}/members/{user_id}", status: 200),
                Call(method: .PATCH, path: "/guilds/\(guild.id)/members/\(member)", template: "/guilds/{guild_id}/members/{user_id}", status: 200,
                     body: .object(["nick": .string("Nick"), "communication_disabled_until": .string(until)])),
                Call(method: .GET, path: "/guilds/\(sandbox.state.orderedGuilds[1].id)/bans", template: "/guilds/{guild_id}/bans", status: 200),
                Call(method: .GET, path: "/guilds/\(sandbox.state.orderedGuilds[1].id)/bans/\(victim)", template: "/guilds/{guild_id}/bans/{user_id}", status: 200),
                Call(method: .POST, path: "/channels/\(general.id)/messages", template: "/channels/{channel_id}/messages", status: 200, body: messageBody),
                Call(method: .GET, path: "/channels/\(general.id)/messages?limit=10", template: "/channels/{channel_id}/messages", status: 200),
                Call(method: .GET, path: "/channels/\(general.id)/messages/\(messageID)", template: "/channels/{channel_id}/messages/{message_id}", status: 200),
                Call(method: .PATCH, path: "/channels/\(general.id)/messages/\(messageID)", template: "/channels/{channel_id}/messages/{message_id}", status: 200,
                     body: .object(["content": .string("edited"), "embeds": .array([])])),
                Call(method: .GET, path: "/channels/\(general.id)/messages/\(messageID)/reactions/%E2%9C%85",
                     template: "/channels/{channel_id}/messages/{message_id}/reactions/{emoji_name}", status: 200),
                Call(method: .PUT, path: "/applications/\(app)/commands", template: "/applications/{application_id}/commands", status: 200, body: commands),
                Call(method: .GET, path: "/applications/\(app)/commands", template: "/applications/{application_id}/commands", status: 200),
                Call(method: .PUT, path: "/applications/\(app)/guilds/\(guild.id)/commands",
                     template: "/applications/{application_id}/guilds/{guild_id}/commands", status: 200, body: commands),
                Call(method: .POST, path: "/interactions/\(interaction.id)/\(interaction.token)/callback?with_response=true",
                     template: "/interactions/{interaction_id}/{interaction_token}/callback", status: 200,
                     body: .object(["type": .integer(4), "data": .object(["content": .string("Done"), "flags": .integer(0)])]), auth: .none),
                Call(method: .POST, path: "/webhooks/\(app)/\(interaction.token)", template: "/webhooks/{webhook_id}/{webhook_token}", status: 200,
                     body: .object(["content": .string("Follow-up")]), auth: .none),
                Call(method: .GET, path: "/webhooks/\(app)/\(interaction.token)/messages/@original",
                     template: "/webhooks/{webhook_id}/{webhook_token}/messages/@original", status: 200, auth: .none),
                Call(method: .PATCH, path: "/webhooks/\(app)/\(interaction.token)/messages/@original",
                     template: "/webhooks/{webhook_id}/{webhook_token}/messages/@original", status: 200,
                     body: .object(["content": .string("Done, edited")]), auth: .none),
                Call(method: .POST, path: "/applications/\(app)/entitlements", template: "/applications/{application_id}/entitlements", status: 200, body: entitlement),
                Call(method: .GET, path: "/applications/\(app)/entitlements", template: "/applications/{application_id}/entitlements", status: 200),
            ]

            var problems: [String] = []
            for call in calls {
                let reply = try await sandbox.api(call.method, call.path, json: call.body, auth: call.auth)
                let label = "\(call.method) \(call.template)"
                guard reply.status == call.status else {
                    problems.append("\(label): status \(reply.status): \(reply.text)")
                    continue
                }
                if let body = call.body {
                    let schema = try #require(checker.requestSchema("\(call.method)", call.template), "\(label) has a request schema")
                    problems += checker.problems(body, schema).map { "\(label) request \($0)" }
                }
                let schema = try #require(checker.responseSchema("\(call.method)", call.template, status: call.status), "\(label) has a response schema")
                problems += checker.problems(reply.json, schema).map { "\(label) response \($0)" }
            }
            let remaining = problems.filter { problem in !Self.knownDivergences.contains { problem.contains($0.pattern) } }
            #expect(remaining.isEmpty, "\(remaining.joined(separator: "\n"))")

            // Error bodies and 429 bodies have their own shapes in the description.
            let error = try await sandbox.api(.GET, "/guilds/1")
            let errorSchema = try #require(checker.responseSchema("get", "/guilds/{guild_id}", status: 404) ?? checker.document["components"]?["schemas"]?["ErrorResponse"])
            #expect(checker.problems(error.json, errorSchema).isEmpty)
            let invalid = try await sandbox.api(.POST, "/channels/\(general.id)/messages", json: .object(["content": .string(String(repeating: "x", count: 2_001))]))
            #expect(invalid.json["code"]?.integerValue == 50035)
            // The description types `_errors[].code` as an integer; Discord (and its docs) send
            // strings such as "BASE_TYPE_MAX_LENGTH". Everything else must conform.
            var tree = invalid.json
            if case .object(var fields) = tree { fields["errors"] = nil; tree = .object(fields) }
            #expect(checker.problems(tree, errorSchema).isEmpty)
            #expect(invalid.json["errors"]?["content"]?["_errors"]?[0]?["code"]?.stringValue == "BASE_TYPE_MAX_LENGTH")
            if let rateLimitSchema = checker.document["components"]?["schemas"]?["RatelimitedResponse"] {
                _ = try sandbox.control.addFault(SandboxRESTFault(kind: .rateLimit, remaining: 1))
                let limited = try await sandbox.api(.GET, "/users/@me")
                #expect(checker.problems(limited.json, rateLimitSchema).isEmpty, "\(checker.problems(limited.json, rateLimitSchema))")
            }
        }
    }

    @Test("gateway payloads decode with the bot's own model types")
    func gatewayPayloadsDecode() async throws {
        try await SandboxHarness.with { sandbox in
            let client = try await TestGatewayClient.connect(port: sandbox.port)
            guard case .payload(_, let helloRaw) = try await client.next() else { Issue.record("no hello"); return }
            let hello = try JSONDecoder().decode(GatewayServerPayload.self, from: Data(helloRaw.utf8))
            guard case .hello(let data) = hello else { Issue.record("not hello"); return }
            #expect(data.heartbeatInterval == 41_250)
            try await client.identify(token: sandbox.token, intents: SandboxIntents.guilds)
            guard case .payload(_, let readyRaw) = try await client.next() else { Issue.record("no ready"); return }
            guard case .dispatch(let sequence, .ready(let ready)) = try JSONDecoder().decode(GatewayServerPayload.self, from: Data(readyRaw.utf8)) else {
                Issue.record("READY did not decode as the model's READY")
                return
            }
            #expect(sequence == 1 && ready.user.id == sandbox.botID && ready.guilds.count == 4)
            guard case .payload(_, let createRaw) = try await client.next() else { Issue.record("no guild create"); return }
            let envelope = try JSONDecoder().decode(GatewayPayload<Guild>.self, from: Data(createRaw.utf8))
            #expect(envelope.eventName == "GUILD_CREATE" && envelope.data?.channels?.count == 6 && envelope.data?.roles.count == 5)
            let members = try JSONDecoder().decode(GatewayPayload<Guild>.self, from: Data(createRaw.utf8)).data?.members
            #expect(members?.first?.user?.id == sandbox.botID)
        }
    }
}
