import Foundation
import GuildhallCore
import GuildhallDiscordModels
import GuildhallTestSupport
import Testing
@testable import GuildhallSandbox

@Suite("Interactions: commands, components, callbacks, follow-ups")
struct InteractionTests {
    static let commands: JSONValue = .array([
        .object([
            "name": .string("warn"), "description": .string("Warn a member"), "type": .integer(1),
            "options": .array([
                .object(["name": .string("member"), "description": .string("who"), "type": .integer(6), "required": .bool(true)]),
                .object(["name": .string("reason"), "description": .string("why"), "type": .integer(3)]),
            ]),
        ]),
        .object([
            "name": .string("modules"), "description": .string("Modules"), "type": .integer(1),
            "default_member_permissions": .string("32"),
            "options": .array([.object(["name": .string("list"), "description": .string("List"), "type": .integer(1)])]),
        ]),
    ])

    func register(_ sandbox: SandboxHarness) async throws {
        let reply = try await sandbox.api(.PUT, "/applications/\(sandbox.applicationID)/commands", json: Self.commands)
        #expect(reply.status == 200, "\(reply.text)")
    }

    @Test("bulk overwrite keeps ids of unchanged names, lists per scope, and validates")
    func commandRegistration() async throws {
        try await SandboxHarness.with { sandbox in
            let app = sandbox.applicationID
            let first = try await sandbox.api(.PUT, "/applications/\(app)/commands", json: Self.commands).json.arrayValue
            #expect(first.count == 2)
            #expect(first[0]["application_id"]?.stringValue == app.description && first[0]["version"] != nil)
            #expect(first[0]["default_member_permissions"] == .null && first[1]["default_member_permissions"]?.stringValue == "32")
            let second = try await sandbox.api(.PUT, "/applications/\(app)/commands", json: .array([Self.commands[0]!])).json.arrayValue
            #expect(second.count == 1 && second[0]["id"] == first[0]["id"])
            #expect(try await sandbox.api(.GET, "/applications/\(app)/commands").json.arrayValue.count == 1)
            let guild = sandbox.firstGuild
            let guildScope = try await sandbox.api(.PUT, "/applications/\(app)/guilds/\(guild.id)/commands", json: Self.commands).json.arrayValue
            #expect(guildScope.allSatisfy { $0["guild_id"]?.stringValue == guild.id.description })
            #expect(try await sandbox.api(.GET, "/applications/\(app)/guilds/\(guild.id)/commands").json.arrayValue.count == 2)
            #expect(try await sandbox.api(.GET, "/applications/\(app)/guilds/1/commands").json["code"]?.integerValue == 50001)
            #expect(try await sandbox.api(.GET, "/applications/1/commands").json["code"]?.integerValue == 10002)

            let bad = try await sandbox.api(.PUT, "/applications/\(app)/commands", json: .array([
                .object(["name": .string("Bad Name"), "description": .string("x")]),
                .object(["name": .string("dup"), "description": .string("x")]),
                .object(["name": .string("dup"), "description": .string("y")]),
            ]))
            #expect(bad.status == 400 && bad.json["errors"]?["0"]?["name"] != nil && bad.json["errors"]?["2"]?["name"] != nil)
            let tooMany = try await sandbox.api(.PUT, "/applications/\(app)/commands", json: .array((0..<16).map {
                .object(["name": .string("user\($0)"), "type": .integer(2)])
            }))
            #expect(tooMany.status == 400)
            #expect(try await sandbox.api(.PUT, "/applications/\(app)/commands", json: .object([:])).status == 400)
            #expect(try await sandbox.api(.GET, "/applications/\(app)/commands").json.arrayValue.count == 1, "refused overwrites change nothing")
        }
    }

    @Test("a member's slash command arrives as INTERACTION_CREATE; the callback posts the answer once")
    func slashCommandOverGateway() async throws {
        try await SandboxHarness.with { sandbox in
            try await register(sandbox)
            let (client, _, _) = try await sandbox.identifiedClient()
            let guild = sandbox.firstGuild
            let general = sandbox.channel(named: "general", in: guild)
            let moderator = sandbox.member("moderator", in: guild).userID
            let target = sandbox.member("member", in: guild).userID
            let started = try await sandbox.sandbox(.POST, "/interactions/command", json: .object([
                "channel_id": .string(general.id.description), "user_id": .string(moderator.description), "name": .string("warn"),
                "options": .array([
                    .object(["name": .string("member"), "value": .string(target.description)]),
                    .object(["name": .string("reason"), "value": .string("spam")]),
                ]),
            ]))
            #expect(started.status == 201, "\(started.text)")
            let event = try await client.expect(op: 0, t: "INTERACTION_CREATE")
            let data = try #require(event["d"])
            #expect(data["type"]?.integerValue == 2 && data["data"]?["name"]?.stringValue == "warn")
            #expect(data["data"]?["options"]?[0]?["type"]?.integerValue == 6)
            #expect(data["data"]?["resolved"]?["users"]?[target.description] != nil)
            #expect(data["data"]?["resolved"]?["members"]?[target.description]?["user"] == nil)
            #expect(data["member"]?["user"]?["id"]?.stringValue == moderator.description)
            #expect(data["member"]?["permissions"]?.stringValue != nil && data["app_permissions"]?.stringValue != nil)
            #expect(data["guild_id"]?.stringValue == guild.id.description && data["version"]?.integerValue == 1)
            #expect(data["authorizing_integration_owners"]?["0"]?.stringValue == guild.id.description)
            let id = try #require(data["id"]?.stringValue), token = try #require(data["token"]?.stringValue)

            let callback = "/interactions/\(id)/\(token)/callback"
            let answer = try await sandbox.api(.POST, callback + "?with_response=true", json: .object([
                "type": .integer(4), "data": .object(["content": .string("Warned <@\(target)>")]),
            ]), auth: .none)
            #expect(answer.status == 200, "\(answer.text)")
            #expect(answer.json["interaction"]?["id"]?.stringValue == id)
            #expect(answer.json["resource"]?["message"]?["content"]?.stringValue == "Warned <@\(target)>")
            let posted = try await client.expect(op: 0, t: "MESSAGE_CREATE")
            #expect(posted["d"]?["type"]?.integerValue == 20 && posted["d"]?["webhook_id"]?.stringValue == sandbox.applicationID.description)
            #expect(posted["d"]?["interaction_metadata"]?["user"]?["id"]?.stringValue == moderator.description)
            #expect(posted["d"]?["mentions"]?.arrayValue.count == 1, "interaction responses ping users by default")
            let again = try await sandbox.api(.POST, callback, json: .object(["type": .integer(4), "data": .object(["content": .string("x")])]), auth: .none)
            #expect(again.status == 400 && again.json["code"]?.integerValue == 40060)
            let againBadly = try await sandbox.api(.POST, callback, json: .object(["type": .integer(42)]), auth: .none)
            #expect(againBadly.json["code"]?.integerValue == 40060, "the interaction is checked before the body")
            #expect(sandbox.control.answeredCount == 1, "one answer counted; the refused ones are not")
            let record = try await sandbox.sandbox(.GET, "/interactions/\(id)").json
            #expect(record["response"]?["type"]?.integerValue == 4 && record["delivery"]?["via"]?.stringValue == "gateway")
            #expect(record["original_message"]?["content"]?.stringValue == "Warned <@\(target)>")
            #expect(try await sandbox.sandbox(.GET, "/interactions").json.arrayValue.count == 1)
        }
    }

    @Test("defer, then follow up: the first follow-up fills in the loading message; edits and deletes by webhook")
    func deferAndFollowUps() async throws {
        try await SandboxHarness.with { sandbox in
            try await register(sandbox)
            let (client, _, _) = try await sandbox.identifiedClient()
            let guild = sandbox.firstGuild
            let general = sandbox.channel(named: "general", in: guild)
            let interaction = try await sandbox.control.invokeCommand(
                channelID: general.id, userID: sandbox.member("moderator", in: guild).userID, name: "warn",
                options: [.object(["name": .string("member"), "value": .string(guild.ownerID.description)])]
            )
            _ = try await client.expect(op: 0, t: "INTERACTION_CREATE")
            let callback = "/interactions/\(interaction.id)/\(interaction.token)/callback"
            #expect(try await sandbox.api(.POST, callback, json: .object(["type": .integer(5)]), auth: .none).status == 204)
            let loading = try await client.expect(op: 0, t: "MESSAGE_CREATE")
            #expect((loading["d"]?["flags"]?.integerValue ?? 0) & 128 == 128)
            let hook = "/webhooks/\(sandbox.applicationID)/\(interaction.token)"
            let filled = try await sandbox.api(.POST, hook, json: .object(["content": .string("done")]), auth: .none)
            #expect(filled.status == 200 && filled.json["id"] == loading["d"]?["id"])
            #expect((filled.json["flags"]?.integerValue ?? 0) & 128 == 0)
            _ = try await client.expect(op: 0, t: "MESSAGE_UPDATE")
            let extra = try await sandbox.api(.POST, hook, json: .object(["content": .string("one more")]), auth: .none)
            #expect(extra.json["id"] != filled.json["id"])
            let extraID = try #require(extra.json["id"]?.stringValue)
            _ = try await client.expect(op: 0, t: "MESSAGE_CREATE")
            #expect(try await sandbox.api(.GET, "\(hook)/messages/@original", auth: .none).json["content"]?.stringValue == "done")
            let edited = try await sandbox.api(.PATCH, "\(hook)/messages/\(extraID)", json: .object(["content": .string("changed")]), auth: .none)
            #expect(edited.json["content"]?.stringValue == "changed")
            #expect(try await sandbox.api(.DELETE, "\(hook)/messages/@original", auth: .none).status == 204)
            #expect(try await sandbox.api(.GET, "\(hook)/messages/@original", auth: .none).json["code"]?.integerValue == 10008)
            #expect(try await sandbox.api(.GET, "\(hook)/messages/1", auth: .none).json["code"]?.integerValue == 10008)
            #expect(try await sandbox.api(.POST, hook, json: .object([:]), auth: .none).json["code"]?.integerValue == 50006)
            #expect(try await sandbox.api(.POST, "/webhooks/1/\(interaction.token)", json: .object(["content": .string("x")]), auth: .none).json["code"]?.integerValue == 10015)
            #expect(try await sandbox.api(.POST, "/webhooks/\(sandbox.applicationID)/nope", json: .object(["content": .string("x")]), auth: .none).json["code"]?.integerValue == 10015)
            let record = try #require(sandbox.control.interaction(interaction.id))
            #expect(record.followUpIDs.count == 1)
        }
    }

    @Test("a button click becomes a component interaction; UPDATE_MESSAGE edits the clicked message")
    func buttonClick() async throws {
        try await SandboxHarness.with { sandbox in
            let (client, _, _) = try await sandbox.identifiedClient()
            let guild = sandbox.firstGuild
            let general = sandbox.channel(named: "general", in: guild)
            let posted = try await sandbox.api(.POST, "/channels/\(general.id)/messages", json: .object([
                "content": .string("Enter the giveaway"),
                "components": .array([.object(["type": .integer(1), "components": .array([
                    .object(["type": .integer(2), "style": .integer(1), "label": .string("Enter"), "custom_id": .string("giveaway:enter")]),
                ])])]),
            ])).json
            let messageID = try #require(posted["id"]?.stringValue.flatMap { Snowflake($0) })
            _ = try await client.expect(op: 0, t: "MESSAGE_CREATE")
            let member = sandbox.member("member", in: guild).userID
            let clicked = try await sandbox.sandbox(.POST, "/interactions/component", json: .object([
                "channel_id": .string(general.id.description), "message_id": .string(messageID.description),
                "user_id": .string(member.description), "custom_id": .string("giveaway:enter"),
            ]))
            #expect(clicked.status == 201, "\(clicked.text)")
            let event = try await client.expect(op: 0, t: "INTERACTION_CREATE")
            #expect(event["d"]?["type"]?.integerValue == 3 && event["d"]?["data"]?["custom_id"]?.stringValue == "giveaway:enter")
            #expect(event["d"]?["data"]?["component_type"]?.integerValue == 2)
            #expect(event["d"]?["message"]?["id"]?.stringValue == messageID.description)
            let id = try #require(event["d"]?["id"]?.stringValue), token = try #require(event["d"]?["token"]?.stringValue)
            let update = try await sandbox.api(.POST, "/interactions/\(id)/\(token)/callback", json: .object([
                "type": .integer(7), "data": .object(["content": .string("1 entry")]),
            ]), auth: .none)
            #expect(update.status == 204)
            #expect(try await client.expect(op: 0, t: "MESSAGE_UPDATE")["d"]?["content"]?.stringValue == "1 entry")
            #expect(sandbox.state.messages[messageID]?.content == "1 entry")

            let missing = try await sandbox.sandbox(.POST, "/interactions/component", json: .object([
                "channel_id": .string(general.id.description), "message_id": .string(messageID.description),
                "user_id": .string(member.description), "custom_id": .string("nothing"),
            ]))
            #expect(missing.status == 400)
            let second = try await sandbox.control.clickComponent(channelID: general.id, messageID: messageID, userID: member, customID: "giveaway:enter")
            _ = try await client.expect(op: 0, t: "INTERACTION_CREATE")
            let deferUpdate = try await sandbox.api(.POST, "/interactions/\(second.id)/\(second.token)/callback?with_response=true", json: .object(["type": .integer(6)]), auth: .none)
            #expect(deferUpdate.status == 200 && deferUpdate.json["resource"]?["type"]?.integerValue == 6)
        }
    }

    @Test("an answer after the deadline is refused with 10062")
    func lateCallback() async throws {
        try await SandboxHarness.with({ $0.interactionResponseDeadline = .seconds(1) }) { sandbox in
            try await register(sandbox)
            let guild = sandbox.firstGuild
            let interaction = try await sandbox.control.invokeCommand(
                channelID: sandbox.channel(named: "general", in: guild).id, userID: guild.ownerID, name: "warn"
            )
            try await Task.sleep(for: .milliseconds(2_200))
            let late = try await sandbox.api(.POST, "/interactions/\(interaction.id)/\(interaction.token)/callback", json: .object([
                "type": .integer(4), "data": .object(["content": .string("too late")]),
            ]), auth: .none)
            #expect(late.status == 404 && late.json["code"]?.integerValue == 10062)
            #expect(sandbox.control.interaction(interaction.id)?.response == nil)
        }
    }

    @Test("callbacks: unknown token 10062, wrong type 50035, empty 50006; commands need registration and permission")
    func callbackRefusals() async throws {
        try await SandboxHarness.with({ $0.interactionResponseDeadline = .seconds(120) }) { sandbox in
            try await register(sandbox)
            let guild = sandbox.firstGuild
            let general = sandbox.channel(named: "general", in: guild)
            let member = sandbox.member("member", in: guild).userID
            let interaction = try await sandbox.control.invokeCommand(channelID: general.id, userID: member, name: "warn")
            let base = "/interactions/\(interaction.id)"
            #expect(try await sandbox.api(.POST, "\(base)/wrong/callback", json: .object(["type": .integer(4)]), auth: .none).json["code"]?.integerValue == 10062)
            for type in [1, 6, 7, 8, 42] {
                let reply = try await sandbox.api(.POST, "\(base)/\(interaction.token)/callback", json: .object(["type": .integer(Int64(type))]), auth: .none)
                #expect(reply.json["code"]?.integerValue == 50035, "type \(type)")
            }
            let empty = try await sandbox.api(.POST, "\(base)/\(interaction.token)/callback", json: .object(["type": .integer(4), "data": .object([:])]), auth: .none)
            #expect(empty.json["code"]?.integerValue == 50006)
            #expect(sandbox.control.interaction(interaction.id)?.response == nil, "refused answers leave it unanswered")
            #expect(sandbox.control.answeredCount == 0)

            await #expect(throws: SandboxAPIError.self) { try await sandbox.control.invokeCommand(channelID: general.id, userID: member, name: "nothing") }
            await #expect(throws: SandboxAPIError.self) {
                try await sandbox.control.invokeCommand(channelID: general.id, userID: member, name: "modules", options: [.object(["name": .string("list"), "type": .integer(1)])])
            }
            let admin = sandbox.member("admin", in: guild).userID
            let allowed = try await sandbox.control.invokeCommand(channelID: general.id, userID: admin, name: "modules", options: [.object(["name": .string("list")])])
            #expect(allowed.payload["data"]?["options"]?[0]?["type"]?.integerValue == 1)
            let modLog = sandbox.channel(named: "mod-log", in: guild)
            await #expect(throws: SandboxAPIError.self) { try await sandbox.control.invokeCommand(channelID: modLog.id, userID: member, name: "warn") }
            await #expect(throws: SandboxAPIError.self) { try await sandbox.control.invokeCommand(channelID: general.id, userID: Snowflake(5), name: "warn") }
            let bad = try await sandbox.sandbox(.POST, "/interactions/command", json: .object(["channel_id": .string("x")]))
            #expect(bad.status == 400)
            #expect(try await sandbox.sandbox(.GET, "/interactions/1").status == 404)
        }
    }

    @Test("with an interactions endpoint, interactions are POSTed signed; inline answers count, bad signatures are probed")
    func httpEndpoint() async throws {
        let endpoint = try await FakeInteractionsEndpoint.start()
        defer { Task { await endpoint.stop() } }
        try await SandboxHarness.with({ $0.interactionsEndpointURL = endpoint.url }) { sandbox in
            endpoint.configure(publicKeyHex: sandbox.state.application.publicKeyHex)
            try await register(sandbox)
            let guild = sandbox.firstGuild
            let general = sandbox.channel(named: "general", in: guild)
            let interaction = try await sandbox.control.invokeCommand(
                channelID: general.id, userID: sandbox.member("moderator", in: guild).userID, name: "warn"
            )
            #expect(interaction.delivery == .http(status: 200))
            #expect(interaction.responseType == 4)
            #expect(interaction.originalMessageID.flatMap { sandbox.state.messages[$0]?.content } == "answered inline")
            #expect(endpoint.received.last?["type"]?.integerValue == 2)

            let ping = try await sandbox.sandbox(.POST, "/interactions/ping", json: .object(["valid_signature": .bool(true)])).json
            #expect(ping["status"]?.integerValue == 200 && ping["body"]?.stringValue == #"{"type":1}"#)
            let probe = try await sandbox.control.pingInteractionsEndpoint(validSignature: false)
            #expect(probe.status == 401)

            endpoint.answerLater = true
            let deferred = try await sandbox.control.invokeCommand(channelID: general.id, userID: guild.ownerID, name: "warn")
            #expect(deferred.delivery == .http(status: 202) && deferred.response == nil)
            #expect(sandbox.control.answeredCount == 1, "the inline answer counts; the 202 without one does not")
        }
    }

    @Test("an unreachable endpoint is recorded, not fatal; without an endpoint ping is refused")
    func endpointFailures() async throws {
        let closedPort = try FreePort.loopback()
        try await SandboxHarness.with({ $0.interactionsEndpointURL = URL(string: "http://127.0.0.1:\(closedPort)/interactions") }) { sandbox in
            try await register(sandbox)
            let interaction = try await sandbox.control.invokeCommand(
                channelID: sandbox.channel(named: "general", in: sandbox.firstGuild).id, userID: sandbox.firstGuild.ownerID, name: "warn"
            )
            #expect(interaction.delivery == .http(status: nil))
        }
        try await SandboxHarness.with { sandbox in
            await #expect(throws: SandboxAPIError.self) { _ = try await sandbox.control.pingInteractionsEndpoint(validSignature: true) }
        }
    }
}
