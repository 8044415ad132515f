import Foundation
import GuildhallCore
import GuildhallDiscordModels
import Testing
@testable import GuildhallSandbox

@Suite("Control API")
struct ControlAPITests {
    @Test("state, guilds, members, channels, users, SKUs and sessions read back")
    func reads() async throws {
        try await SandboxHarness.with { sandbox in
            _ = try await sandbox.identifiedClient()
            let state = try await sandbox.sandbox(.GET, "/state").json
            #expect(state["application"]?["token"]?.stringValue == sandbox.token)
            #expect(state["application"]?["public_key"]?.stringValue == sandbox.state.application.publicKeyHex)
            #expect(state["guilds"]?.arrayValue.count == 4 && state["oauth_users"]?.arrayValue.count == 5)
            #expect(state["sessions"]?.arrayValue.count == 1 && state["urls"]?["gateway"]?.stringValue == sandbox.endpoints.gatewayURL)
            #expect(state["seed"]?.stringValue == "42")
            #expect(state["identify_refusals"]?.integerValue == 0)
            let guild = sandbox.firstGuild
            #expect(try await sandbox.sandbox(.GET, "/guilds").json.arrayValue.count == 4)
            let detail = try await sandbox.sandbox(.GET, "/guilds/\(guild.id)").json
            #expect(detail["guild"]?["id"]?.stringValue == guild.id.description && detail["channels"]?.arrayValue.count == 6)
            #expect(detail["bot_role_id"]?.stringValue == guild.botRoleID.description && detail["timeouts"]?.arrayValue.isEmpty == true)
            let members = try await sandbox.sandbox(.GET, "/guilds/\(guild.id)/members").json.arrayValue
            #expect(members.count == guild.members.count && members.allSatisfy { $0["permissions"]?.stringValue != nil })
            #expect(try await sandbox.sandbox(.GET, "/guilds/\(guild.id)/bans").json.arrayValue.isEmpty)
            #expect(try await sandbox.sandbox(.GET, "/guilds/1").status == 404)
            #expect(try await sandbox.sandbox(.GET, "/guilds/x").status == 400)
            let users = try await sandbox.sandbox(.GET, "/users").json.arrayValue
            #expect(users.first?["guilds"]?.arrayValue.count == 4 && users.last?["guilds"]?.arrayValue.isEmpty == true)
            #expect(try await sandbox.sandbox(.GET, "/skus").json.arrayValue.count == 3)
            let sessions = try await sandbox.sandbox(.GET, "/gateway/sessions").json.arrayValue
            #expect(sessions.first?["connected"]?.boolValue == true && sessions.first?["shard_id"]?.integerValue == 0)
            #expect(try await sandbox.sandbox(.GET, "/commands").json["global"]?.arrayValue.isEmpty == true)
            #expect(try await sandbox.sandbox(.GET, "/entitlements").json.arrayValue.isEmpty)
            #expect(try await sandbox.call(.GET, "/", auth: .none).text.contains("sandbox Discord"))
        }
    }

    @Test("members post, react, join and leave; roles change; each sends its event")
    func memberActions() async throws {
        try await SandboxHarness.with { sandbox in
            let (client, _, _) = try await sandbox.identifiedClient(intents: SandboxIntents.guilds | SandboxIntents.guildMembers | SandboxIntents.guildMessages | SandboxIntents.messageContent | SandboxIntents.guildMessageReactions)
            let guild = sandbox.firstGuild
            let general = sandbox.channel(named: "general", in: guild)
            let member = sandbox.member("member", in: guild).userID
            let posted = try await sandbox.sandbox(.POST, "/channels/\(general.id)/messages", json: .object([
                "user_id": .string(member.description), "content": .string("hi"),
            ]))
            #expect(posted.status == 201 && posted.json["author"]?["id"]?.stringValue == member.description)
            _ = try await client.expect(op: 0, t: "MESSAGE_CREATE")
            let messageID = try #require(posted.json["id"]?.stringValue)
            #expect(try await sandbox.sandbox(.POST, "/channels/\(general.id)/messages/\(messageID)/reactions", json: .object([
                "user_id": .string(member.description), "emoji": .string("🎉"),
            ])).status == 204)
            _ = try await client.expect(op: 0, t: "MESSAGE_REACTION_ADD")
            #expect(try await sandbox.sandbox(.GET, "/channels/\(general.id)/messages").json.arrayValue.count == 1)
            #expect(try await sandbox.sandbox(.GET, "/channels/1/messages").status == 404)
            #expect(try await sandbox.sandbox(.POST, "/channels/\(general.id)/messages", json: .object(["content": .string("who?")])).status == 400)

            let joined = try await sandbox.sandbox(.POST, "/guilds/\(guild.id)/members", json: .object(["username": .string("newcomer")]))
            #expect(joined.status == 201)
            let newID = try #require(joined.json["user"]?["id"]?.stringValue)
            let add = try await client.expect(op: 0, t: "GUILD_MEMBER_ADD")
            #expect(add["d"]?["user"]?["username"]?.stringValue == "newcomer" && add["d"]?["guild_id"]?.stringValue == guild.id.description)
            let cleo = sandbox.persona("cleo")
            #expect(try await sandbox.sandbox(.POST, "/guilds/\(guild.id)/members", json: .object(["user_id": .string(cleo.description)])).status == 400)
            #expect(try await sandbox.sandbox(.POST, "/guilds/\(guild.id)/members", json: .object([:])).status == 400)
            #expect(try await sandbox.sandbox(.POST, "/guilds/\(guild.id)/members", json: .object(["username": .string("x"), "role_ids": .array([.string("1")])])).status == 404)

            let memberRole = try #require(guild.orderedRoles.first { $0.name == "Member" })
            #expect(try await sandbox.sandbox(.PUT, "/guilds/\(guild.id)/members/\(newID)/roles/\(memberRole.id)").status == 204)
            #expect(try await client.expect(op: 0, t: "GUILD_MEMBER_UPDATE")["d"]?["roles"]?.arrayValue.count == 1)
            #expect(try await sandbox.sandbox(.PUT, "/guilds/\(guild.id)/members/\(newID)/roles/\(memberRole.id)").status == 204)
            #expect(try await sandbox.sandbox(.DELETE, "/guilds/\(guild.id)/members/\(newID)/roles/\(memberRole.id)").status == 204)
            _ = try await client.expect(op: 0, t: "GUILD_MEMBER_UPDATE")
            #expect(try await sandbox.sandbox(.DELETE, "/guilds/\(guild.id)/members/\(newID)/roles/\(memberRole.id)").status == 204)
            #expect(try await sandbox.sandbox(.PUT, "/guilds/\(guild.id)/members/\(newID)/roles/1").status == 404)
            #expect(try await sandbox.sandbox(.DELETE, "/guilds/\(guild.id)/members/\(newID)").status == 204)
            #expect(try await client.expect(op: 0, t: "GUILD_MEMBER_REMOVE")["d"]?["user"]?["id"]?.stringValue == newID)
            #expect(try await sandbox.sandbox(.DELETE, "/guilds/\(guild.id)/members/\(guild.ownerID)").status == 400)
            #expect(try await sandbox.sandbox(.DELETE, "/guilds/\(guild.id)/members/\(newID)").status == 404)

            // Kicking the bot: GUILD_DELETE without `unavailable`; a second kick finds no bot.
            #expect(try await sandbox.sandbox(.DELETE, "/guilds/\(guild.id)/bot").status == 204)
            let gone = try await client.expect(op: 0, t: "GUILD_DELETE")
            #expect(gone["d"]?["id"]?.stringValue == guild.id.description && gone["d"]?["unavailable"] == nil)
            #expect(try await sandbox.sandbox(.DELETE, "/guilds/\(guild.id)/bot").status == 404)
        }
    }

    @Test("roles: create and move; the bot's own role can lose permissions, with GUILD_ROLE_UPDATE")
    func roleControl() async throws {
        try await SandboxHarness.with { sandbox in
            let (client, _, _) = try await sandbox.identifiedClient()
            let guild = sandbox.firstGuild
            let created = try await sandbox.sandbox(.POST, "/guilds/\(guild.id)/roles", json: .object([
                "name": .string("VIP"), "permissions": .string("1024"), "position": .integer(2),
            ]))
            #expect(created.status == 201 && created.json["position"]?.integerValue == 2)
            _ = try await client.expect(op: 0, t: "GUILD_ROLE_CREATE")
            let roleID = try #require(created.json["id"]?.stringValue)
            let moved = try await sandbox.sandbox(.PATCH, "/guilds/\(guild.id)/roles/\(roleID)", json: .object(["position": .integer(4), "name": .string("VIP+")]))
            #expect(moved.json["position"]?.integerValue == 4 && moved.json["name"]?.stringValue == "VIP+")
            let down = try await sandbox.sandbox(.PATCH, "/guilds/\(guild.id)/roles/\(roleID)", json: .object(["position": .integer(1)]))
            #expect(down.json["position"]?.integerValue == 1)
            let positions = sandbox.state.guilds[guild.id]!.orderedRoles.map(\.position)
            #expect(Set(positions).count == positions.count)
            let weakened = try await sandbox.sandbox(.PATCH, "/guilds/\(guild.id)/roles/\(guild.botRoleID)", json: .object(["permissions": .string("0")]))
            #expect(weakened.json["permissions"]?.stringValue == "0")
            var sawBotRole = false
            for _ in 0..<10 where !sawBotRole {
                let update = try await client.expect(op: 0, t: "GUILD_ROLE_UPDATE")
                sawBotRole = update["d"]?["role"]?["id"]?.stringValue == guild.botRoleID.description
            }
            #expect(sawBotRole)
            for body: JSONValue in [.object(["name": .string("")]), .object(["position": .integer(0)]), .object(["permissions": .string("x")])] {
                #expect(try await sandbox.sandbox(.PATCH, "/guilds/\(guild.id)/roles/\(roleID)", json: body).status == 400, "\(body)")
            }
            #expect(try await sandbox.sandbox(.POST, "/guilds/\(guild.id)/roles", json: .object(["name": .string("")])).status == 400)
            #expect(try await sandbox.sandbox(.PATCH, "/guilds/\(guild.id)/roles/1", json: .object([:])).status == 404)
        }
    }

    @Test("entitlements: purchase, expiry and refund send ENTITLEMENT_* to shard 0; the REST list filters them")
    func entitlements() async throws {
        try await SandboxHarness.with({ $0.rateLimits = .relaxed }) { sandbox in
            let (client, _, _) = try await sandbox.identifiedClient(intents: SandboxIntents.guilds)
            let skus = sandbox.state.skus
            let guild = sandbox.firstGuild
            let ada = sandbox.persona("ada")
            let granted = try await sandbox.sandbox(.POST, "/entitlements", json: .object([
                "sku_id": .string(skus[0].id.description), "guild_id": .string(guild.id.description),
            ]))
            #expect(granted.status == 201 && granted.json["ends_at"] == .null && granted.json["starts_at"] != .null)
            let id = try #require(granted.json["id"]?.stringValue)
            #expect(try await client.expect(op: 0, t: "ENTITLEMENT_CREATE")["d"]?["guild_id"]?.stringValue == guild.id.description)
            let personal = try sandbox.control.grantEntitlement(skuID: skus[1].id, userID: ada)
            _ = try await client.expect(op: 0, t: "ENTITLEMENT_CREATE")

            let app = "/applications/\(sandbox.applicationID)/entitlements"
            #expect(try await sandbox.api(.GET, app).json.arrayValue.count == 2)
            #expect(try await sandbox.api(.GET, "\(app)?guild_id=\(guild.id)").json.arrayValue.count == 1)
            // ada owns the first guild, so she bought its subscription too.
            #expect(granted.json["user_id"]?.stringValue == ada.description)
            #expect(try await sandbox.api(.GET, "\(app)?user_id=\(ada)&sku_ids=\(skus[1].id),\(skus[0].id)").json.arrayValue.count == 2)
            #expect(try await sandbox.api(.GET, "\(app)?user_id=\(ada)&sku_ids=\(skus[1].id)").json.arrayValue.count == 1)
            #expect(try await sandbox.api(.GET, "\(app)?after=\(id)&limit=5").json[0]?["id"]?.stringValue == personal.id.description)
            #expect(try await sandbox.api(.GET, "\(app)?before=\(personal.id)").json.arrayValue.count == 1)
            #expect(try await sandbox.api(.GET, "\(app)?sku_ids=x").status == 400)

            let expired = try await sandbox.sandbox(.POST, "/entitlements/\(id)/expire")
            #expect(expired.json["ends_at"] != .null)
            #expect(try await client.expect(op: 0, t: "ENTITLEMENT_UPDATE")["d"]?["id"]?.stringValue == id)
            #expect(try await sandbox.api(.GET, "\(app)?exclude_ended=true").json.arrayValue.count == 1)
            #expect(try await sandbox.sandbox(.DELETE, "/entitlements/\(personal.id)").json["deleted"]?.boolValue == true)
            #expect(try await client.expect(op: 0, t: "ENTITLEMENT_DELETE")["d"]?["deleted"]?.boolValue == true)
            #expect(try await sandbox.api(.GET, app).json.arrayValue.count == 1)
            #expect(try await sandbox.api(.GET, "\(app)?exclude_deleted=false").json.arrayValue.count == 2)
            #expect(try await sandbox.sandbox(.DELETE, "/entitlements/\(personal.id)").status == 404)
            #expect(try await sandbox.sandbox(.POST, "/entitlements/1/expire").status == 404)
            #expect(try await sandbox.sandbox(.POST, "/entitlements", json: .object(["sku_id": .string("1"), "user_id": .string(ada.description)])).status == 404)
            #expect(try await sandbox.sandbox(.POST, "/entitlements", json: .object(["sku_id": .string(skus[0].id.description)])).status == 400)
            #expect(try await sandbox.sandbox(.POST, "/entitlements", json: .object(["sku_id": .string(skus[0].id.description), "guild_id": .string("1")])).status == 404)
        }
    }

    @Test("test entitlements: create, no duplicates, delete only test ones, consume")
    func testEntitlements() async throws {
        try await SandboxHarness.with({ $0.rateLimits = .relaxed }) { sandbox in
            let app = "/applications/\(sandbox.applicationID)/entitlements"
            let sku = sandbox.state.skus[2]
            let cleo = sandbox.persona("cleo")
            let body: JSONValue = .object(["sku_id": .string(sku.id.description), "owner_id": .string(cleo.description), "owner_type": .integer(2)])
            let created = try await sandbox.api(.POST, app, json: body)
            #expect(created.status == 200 && created.json["type"]?.integerValue == 4 && created.json["user_id"]?.stringValue == cleo.description)
            #expect(try await sandbox.api(.POST, app, json: body).json["code"]?.integerValue == 40074)
            let id = try #require(created.json["id"]?.stringValue)
            #expect(try await sandbox.api(.POST, "\(app)/\(id)/consume").status == 204)
            #expect(sandbox.state.entitlements[Snowflake(id)!]?.consumed == true)
            #expect(try await sandbox.api(.DELETE, "\(app)/\(id)").status == 204)
            #expect(try await sandbox.api(.DELETE, "\(app)/\(id)").json["code"]?.integerValue == 10029)
            #expect(try await sandbox.api(.POST, "\(app)/\(id)/consume").json["code"]?.integerValue == 10029)
            let real = try sandbox.control.grantEntitlement(skuID: sku.id, userID: cleo)
            #expect(try await sandbox.api(.DELETE, "\(app)/\(real.id)").json["code"]?.integerValue == 40019)
            let guildOwned = try await sandbox.api(.POST, app, json: .object([
                "sku_id": .string(sku.id.description), "owner_id": .string(sandbox.firstGuild.id.description), "owner_type": .integer(1),
            ]))
            #expect(guildOwned.json["guild_id"]?.stringValue == sandbox.firstGuild.id.description && guildOwned.json["user_id"] == nil)
            #expect(try await sandbox.api(.POST, app, json: .object(["sku_id": .string("1"), "owner_id": .string(cleo.description), "owner_type": .integer(2)])).json["code"]?.integerValue == 10028)
            #expect(try await sandbox.api(.POST, app, json: .object(["sku_id": .string(sku.id.description), "owner_id": .string("1"), "owner_type": .integer(2)])).json["code"]?.integerValue == 10013)
            #expect(try await sandbox.api(.POST, app, json: .object(["sku_id": .string(sku.id.description), "owner_id": .string("1"), "owner_type": .integer(3)])).json["code"]?.integerValue == 50035)
            #expect(try await sandbox.api(.POST, app, json: .object(["owner_type": .integer(2)])).json["code"]?.integerValue == 50035)
            #expect(try await sandbox.api(.GET, "/applications/1/entitlements").json["code"]?.integerValue == 10002)
            // The interaction payload carries the invoker's live entitlements.
            _ = try await sandbox.api(.PUT, "/applications/\(sandbox.applicationID)/commands", json: .array([.object(["name": .string("ping"), "description": .string("p")])]))
            let general = sandbox.channel(named: "general", in: sandbox.firstGuild)
            let interaction = try await sandbox.control.invokeCommand(channelID: general.id, userID: cleo, name: "ping")
            #expect(interaction.payload["entitlements"]?.arrayValue.count == 2)
        }
    }

    @Test("gateway faults by HTTP: drop with a close code, reconnect, invalidate, heartbeat; bad shard names refused")
    func gatewayFaultRoutes() async throws {
        try await SandboxHarness.with { sandbox in
            let (client, _, _) = try await sandbox.identifiedClient()
            #expect(try await sandbox.sandbox(.POST, "/gateway/shards/0/reconnect").json["connections"]?.integerValue == 1)
            _ = try await client.expect(op: 7)
            #expect(try await sandbox.sandbox(.POST, "/gateway/shards/all/heartbeat").json["connections"]?.integerValue == 1)
            _ = try await client.expect(op: 1)
            #expect(try await sandbox.sandbox(.POST, "/gateway/shards/3/reconnect").json["connections"]?.integerValue == 0)
            #expect(try await sandbox.sandbox(.POST, "/gateway/shards/x/reconnect").status == 400)
            #expect(try await sandbox.sandbox(.POST, "/gateway/shards/0/invalidate", json: .object(["resumable": .bool(true)])).json["connections"]?.integerValue == 1)
            #expect(try await client.expect(op: 9)["d"] == .bool(true))
            let (second, _, _) = try await sandbox.identifiedClient()
            #expect(try await sandbox.sandbox(.POST, "/gateway/shards/0/drop", json: .object(["mode": .string("close"), "code": .integer(4000)])).json["connections"]?.integerValue == 1)
            #expect(try await second.closeCode() == 4000)
        }
    }

    @Test("the traffic generator sends a counted burst across guilds, then reports it")
    func trafficGenerator() async throws {
        try await SandboxHarness.with { sandbox in
            let (client, _, _) = try await sandbox.identifiedClient(intents: SandboxIntents.guilds | SandboxIntents.guildMessages)
            let started = try await sandbox.sandbox(.POST, "/traffic", json: .object(["rate": .integer(0), "count": .integer(500)]))
            #expect(started.status == 201, "\(started.text)")
            let id = try #require(started.json["id"]?.integerValue)
            var sequences: [Int64] = []
            var guilds: Set<String> = []
            for _ in 0..<500 {
                let event = try await client.expect(op: 0, t: "MESSAGE_CREATE")
                sequences.append(event["s"]?.integerValue ?? 0)
                guilds.insert(event["d"]?["guild_id"]?.stringValue ?? "")
                #expect(event["d"]?["content"]?.stringValue == "", "no MESSAGE_CREATE content without the intent")
            }
            #expect(sequences == Array(sequences[0]...(sequences[0] + 499)))
            #expect(guilds.count == 4)
            let final = try #require(await sandbox.control.traffic.wait(id: Int(id)))
            #expect(final.state == .finished && final.sent == 500)
            #expect(try await sandbox.sandbox(.GET, "/traffic/\(id)").json["sent"]?.integerValue == 500)
            #expect(try await sandbox.sandbox(.GET, "/traffic").json.arrayValue.count == 1)

            let paced = try sandbox.control.traffic.start(SandboxTrafficPlan(rate: 200, durationSeconds: 60, guildIDs: [sandbox.firstGuild.id]))
            _ = try await client.expect(op: 0, t: "MESSAGE_CREATE")
            #expect(try await sandbox.sandbox(.DELETE, "/traffic/\(paced.id)").status == 204)
            let stopped = try #require(await sandbox.control.traffic.wait(id: paced.id))
            #expect(stopped.state == .stopped && stopped.sent >= 1)

            for body: JSONValue in [
                .object(["rate": .integer(10)]), .object(["rate": .integer(-1), "count": .integer(1)]),
                .object(["rate": .integer(1), "duration_seconds": .double(0)]), .object(["rate": .integer(1), "count": .integer(0)]),
                .object(["rate": .integer(1), "count": .integer(1), "guild_ids": .array([])]),
                .object(["rate": .integer(1), "count": .integer(1), "max_backlog": .integer(0)]),
                .object(["rate": .integer(1), "count": .integer(1), "guild_ids": .array([.string("1")])]),
            ] {
                #expect(try await sandbox.sandbox(.POST, "/traffic", json: body).status >= 400, "\(body)")
            }
            #expect(try await sandbox.sandbox(.GET, "/traffic/99").status == 404)
            #expect(try await sandbox.sandbox(.DELETE, "/traffic/99").status == 404)
        }
    }
}
