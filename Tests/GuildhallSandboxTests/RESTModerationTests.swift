import Foundation
import GuildhallCore
import GuildhallDiscordModels
import Testing
@testable import GuildhallSandbox

@Suite("REST: guilds, members, roles, bans, timeouts")
struct RESTModerationTests {
    func relaxed(_ configuration: inout SandboxConfiguration) { configuration.rateLimits = .relaxed }

    @Test("guild, channels, roles and members read back in Discord's shapes")
    func reads() async throws {
        try await SandboxHarness.with(relaxed) { sandbox in
            let guild = sandbox.firstGuild
            let got = try await sandbox.api(.GET, "/guilds/\(guild.id)?with_counts=true").json
            #expect(got["owner_id"]?.stringValue == guild.ownerID.description)
            #expect(got["roles"]?.arrayValue.count == 5 && got["approximate_member_count"]?.integerValue == Int64(guild.members.count))
            #expect(got["icon"] == .null && got["region"] != nil)
            let channels = try await sandbox.api(.GET, "/guilds/\(guild.id)/channels").json.arrayValue
            #expect(channels.count == 6)
            let modLog = try #require(channels.first { $0["name"]?.stringValue == "mod-log" })
            #expect(modLog["permission_overwrites"]?.arrayValue.count == 3)
            #expect(modLog["permission_overwrites"]?[0]?["deny"]?.stringValue == "1024")
            let roles = try await sandbox.api(.GET, "/guilds/\(guild.id)/roles").json.arrayValue
            #expect(roles.first { $0["managed"]?.boolValue == true }?["tags"]?["bot_id"]?.stringValue == sandbox.botID.description)
            let owner = try await sandbox.api(.GET, "/guilds/\(guild.id)/members/\(guild.ownerID)").json
            #expect(owner["user"]?["id"]?.stringValue == guild.ownerID.description && owner["communication_disabled_until"] == .null)
            let page = try await sandbox.api(.GET, "/guilds/\(guild.id)/members?limit=5").json.arrayValue
            #expect(page.count == 5)
            let ids = page.compactMap { $0["user"]?["id"]?.stringValue.flatMap { Snowflake($0) } }
            #expect(ids == ids.sorted())
            let next = try await sandbox.api(.GET, "/guilds/\(guild.id)/members?limit=1000&after=\(ids[4])").json.arrayValue
            #expect(next.count == guild.members.count - 5)
        }
        try await SandboxHarness.with({ $0.enabledPrivilegedIntents = 0 }) { sandbox in
            let denied = try await sandbox.api(.GET, "/guilds/\(sandbox.firstGuild.id)/members")
            #expect(denied.status == 403 && denied.json["code"]?.integerValue == 50001)
        }
    }

    @Test("timeouts: set, clear, at most 28 days, never on the owner or an admin; events and audit reasons")
    func timeouts() async throws {
        try await SandboxHarness.with(relaxed) { sandbox in
            let (client, _, _) = try await sandbox.identifiedClient(intents: SandboxIntents.guilds | SandboxIntents.guildMembers)
            let guild = sandbox.firstGuild
            let member = sandbox.member("member", in: guild).userID
            let path = "/guilds/\(guild.id)/members/\(member)"
            let until = DiscordTimestamp(date: Date().addingTimeInterval(3_600)).iso8601
            let reason = "spamming%20links"
            let timed = try await sandbox.api(.PATCH, path, json: .object(["communication_disabled_until": .string(until)]), headers: [("X-Audit-Log-Reason", reason)])
            #expect(timed.status == 200, "\(timed.text)")
            #expect(timed.json["communication_disabled_until"]?.stringValue == until)
            let event = try await client.expect(op: 0, t: "GUILD_MEMBER_UPDATE")
            #expect(event["d"]?["communication_disabled_until"]?.stringValue == until && event["d"]?["guild_id"]?.stringValue == guild.id.description)
            #expect(sandbox.state.guilds[guild.id]?.auditLog.last?.reason == "spamming links")
            let general = sandbox.channel(named: "general", in: guild)
            #expect(throws: SandboxAPIError.self) { try sandbox.control.postMessage(channelID: general.id, userID: member, content: "muted?") }

            let tooLong = DiscordTimestamp(date: Date().addingTimeInterval(29 * 86_400)).iso8601
            let refused = try await sandbox.api(.PATCH, path, json: .object(["communication_disabled_until": .string(tooLong)]))
            #expect(refused.status == 400 && refused.json["errors"]?["communication_disabled_until"] != nil)
            let cleared = try await sandbox.api(.PATCH, path, json: .object(["communication_disabled_until": .null]))
            #expect(cleared.json["communication_disabled_until"] == .null)
            // The seeded Admin role has no ADMINISTRATOR bit; give it one to test that rule.
            let adminRole = try #require(guild.orderedRoles.first { $0.name == "Admin" })
            _ = try sandbox.control.updateRole(guildID: guild.id, roleID: adminRole.id, permissions: SandboxPermissionBits.administrator)
            for target in [guild.ownerID, sandbox.member("admin", in: guild).userID] {
                let reply = try await sandbox.api(.PATCH, "/guilds/\(guild.id)/members/\(target)", json: .object(["communication_disabled_until": .string(until)]))
                #expect(reply.status == 403 && reply.json["code"]?.integerValue == 50013)
            }
            let garbage = try await sandbox.api(.PATCH, path, json: .object(["communication_disabled_until": .string("tomorrow")]))
            #expect(garbage.json["code"]?.integerValue == 50035)
        }
    }

    @Test("nicknames, roles and voice flags by PATCH, each with its permission and the hierarchy")
    func modifyMember() async throws {
        try await SandboxHarness.with(relaxed) { sandbox in
            let guild = sandbox.firstGuild
            let member = sandbox.member("member", in: guild).userID
            let path = "/guilds/\(guild.id)/members/\(member)"
            let moderatorRole = try #require(guild.orderedRoles.first { $0.name == "Moderator" })
            let nick = try await sandbox.api(.PATCH, path, json: .object(["nick": .string("Renamed"), "mute": .bool(true), "deaf": .bool(false)])).json
            #expect(nick["nick"]?.stringValue == "Renamed" && nick["mute"]?.boolValue == true)
            #expect(try await sandbox.api(.PATCH, path, json: .object(["nick": .null])).json["nick"] == .null)
            let roles = try await sandbox.api(.PATCH, path, json: .object(["roles": .array([.string(moderatorRole.id.description), .string(moderatorRole.id.description)])])).json
            #expect(roles["roles"] == .array([.string(moderatorRole.id.description)]))
            let everyone = try await sandbox.api(.PATCH, path, json: .object(["roles": .array([.string(guild.id.description)])]))
            #expect(everyone.json["errors"]?["roles"]?["0"] != nil)
            let botRole = try await sandbox.api(.PATCH, path, json: .object(["roles": .array([.string(guild.botRoleID.description)])]))
            #expect(botRole.json["code"]?.integerValue == 50013, "a managed role cannot be handed out")
            let ownNick = try await sandbox.api(.PATCH, "/guilds/\(guild.id)/members/\(sandbox.botID)", json: .object(["nick": .string("Helper")]))
            #expect(ownNick.json["nick"]?.stringValue == "Helper")
            #expect(try await sandbox.api(.PATCH, "/guilds/\(guild.id)/members/\(guild.ownerID)", json: .object(["nick": .string("x")])).json["code"]?.integerValue == 50013)
            let long = try await sandbox.api(.PATCH, path, json: .object(["nick": .string(String(repeating: "n", count: 33))]))
            #expect(long.json["errors"]?["nick"] != nil)

            _ = try sandbox.control.updateRole(guildID: guild.id, roleID: guild.botRoleID, permissions: SandboxPermissionBits.viewChannel)
            for body: JSONValue in [.object(["roles": .array([])]), .object(["mute": .bool(false)]), .object(["deaf": .bool(true)]), .object(["nick": .string("y")])] {
                #expect(try await sandbox.api(.PATCH, path, json: body).json["code"]?.integerValue == 50013, "\(body)")
            }
            // @everyone's CHANGE_NICKNAME still lets the bot rename itself.
            #expect(try await sandbox.api(.PATCH, "/guilds/\(guild.id)/members/\(sandbox.botID)", json: .object(["nick": .string("x")])).json["nick"]?.stringValue == "x")
            _ = try sandbox.control.updateRole(guildID: guild.id, roleID: guild.id, permissions: SandboxPermissionBits.viewChannel)
            #expect(try await sandbox.api(.PATCH, "/guilds/\(guild.id)/members/\(sandbox.botID)", json: .object(["nick": .string("z")])).json["code"]?.integerValue == 50013)
        }
    }

    @Test("adding and removing a role follows the hierarchy; a bot role placed low cannot touch moderators")
    func roleAssignment() async throws {
        try await SandboxHarness.with({ $0.rateLimits = .relaxed; $0.botRolePosition = 2 }) { sandbox in
            let guild = sandbox.firstGuild
            let member = sandbox.member("member", in: guild).userID
            let memberRole = try #require(guild.orderedRoles.first { $0.name == "Member" })
            let moderatorRole = try #require(guild.orderedRoles.first { $0.name == "Moderator" })
            let base = "/guilds/\(guild.id)/members/\(member)/roles"
            #expect(try await sandbox.api(.DELETE, "\(base)/\(memberRole.id)").status == 204)
            #expect(try await sandbox.api(.DELETE, "\(base)/\(memberRole.id)").status == 204)
            #expect(try await sandbox.api(.PUT, "\(base)/\(memberRole.id)").status == 204)
            #expect(try await sandbox.api(.PUT, "\(base)/\(memberRole.id)").status == 204)
            #expect(sandbox.state.guilds[guild.id]?.members[member]?.roleIDs == [memberRole.id])
            let above = try await sandbox.api(.PUT, "\(base)/\(moderatorRole.id)")
            #expect(above.status == 403 && above.json["code"]?.integerValue == 50013)
            let moderator = sandbox.member("moderator", in: guild).userID
            #expect(try await sandbox.api(.DELETE, "/guilds/\(guild.id)/members/\(moderator)").json["code"]?.integerValue == 50013)
            #expect(try await sandbox.api(.DELETE, "/guilds/\(guild.id)/members/\(member)").status == 204)
        }
    }

    @Test("kicks and bans: permissions, owner immunity, events, ban list, unban, and message cleanup")
    func kicksAndBans() async throws {
        try await SandboxHarness.with(relaxed) { sandbox in
            let (client, _, _) = try await sandbox.identifiedClient(
                intents: SandboxIntents.guilds | SandboxIntents.guildMembers | SandboxIntents.guildModeration | SandboxIntents.guildMessages
            )
            let guild = sandbox.firstGuild
            let members = guild.orderedMembers.filter { sandbox.state.users[$0.userID]!.username.contains("-member-") }.map(\.userID)
            let general = sandbox.channel(named: "general", in: guild)
            let kicked = members[0], banned = members[1]

            #expect(try await sandbox.api(.DELETE, "/guilds/\(guild.id)/members/\(kicked)", headers: [("X-Audit-Log-Reason", "bye")]).status == 204)
            #expect(try await client.expect(op: 0, t: "GUILD_MEMBER_REMOVE")["d"]?["user"]?["id"]?.stringValue == kicked.description)
            #expect(try await sandbox.api(.DELETE, "/guilds/\(guild.id)/members/\(kicked)").json["code"]?.integerValue == 10007)
            #expect(try await sandbox.api(.DELETE, "/guilds/\(guild.id)/members/\(guild.ownerID)").json["code"]?.integerValue == 50013)
            #expect(try await sandbox.api(.DELETE, "/guilds/\(guild.id)/members/\(sandbox.botID)").json["code"]?.integerValue == 50013)

            let spam = try sandbox.control.postMessage(channelID: general.id, userID: banned, content: "spam")
            _ = try await client.expect(op: 0, t: "MESSAGE_CREATE")
            let ban = try await sandbox.api(.PUT, "/guilds/\(guild.id)/bans/\(banned)", json: .object(["delete_message_seconds": .integer(3_600)]),
                                            headers: [("X-Audit-Log-Reason", "spam")])
            #expect(ban.status == 204)
            #expect(try await client.expect(op: 0, t: "GUILD_MEMBER_REMOVE")["d"]?["user"]?["id"]?.stringValue == banned.description)
            #expect(try await client.expect(op: 0, t: "GUILD_BAN_ADD")["d"]?["user"]?["id"]?.stringValue == banned.description)
            #expect(try await client.expect(op: 0, t: "MESSAGE_DELETE")["d"]?["id"]?.stringValue == spam.id.description)
            let list = try await sandbox.api(.GET, "/guilds/\(guild.id)/bans").json.arrayValue
            #expect(list.count == 1 && list[0]["reason"]?.stringValue == "spam")
            #expect(try await sandbox.api(.GET, "/guilds/\(guild.id)/bans/\(banned)").json["user"]?["id"]?.stringValue == banned.description)
            #expect(try await sandbox.api(.GET, "/guilds/\(guild.id)/bans/\(kicked)").json["code"]?.integerValue == 10026)
            #expect(throws: SandboxAPIError.self) { try sandbox.control.addMember(guildID: guild.id, userID: banned) }
            #expect(try await sandbox.api(.PUT, "/guilds/\(guild.id)/bans/\(kicked)", json: .object(["delete_message_days": .integer(1)])).status == 204)
            #expect(try await sandbox.api(.PUT, "/guilds/\(guild.id)/bans/\(guild.ownerID)").json["code"]?.integerValue == 50013)
            #expect(try await sandbox.api(.PUT, "/guilds/\(guild.id)/bans/\(members[2])", json: .object(["delete_message_seconds": .integer(604_801)])).json["code"]?.integerValue == 50035)
            #expect(try await sandbox.api(.PUT, "/guilds/\(guild.id)/bans/\(members[2])", json: .object(["delete_message_days": .integer(8)])).json["code"]?.integerValue == 50035)
            #expect(try await sandbox.api(.PUT, "/guilds/\(guild.id)/bans/12345").json["code"]?.integerValue == 10013)

            #expect(try await sandbox.api(.DELETE, "/guilds/\(guild.id)/bans/\(banned)").status == 204)
            #expect(try await sandbox.api(.DELETE, "/guilds/\(guild.id)/bans/\(banned)").json["code"]?.integerValue == 10026)
            let audit = try await sandbox.sandbox(.GET, "/guilds/\(guild.id)/audit-log").json.arrayValue
            let actions = audit.compactMap { $0["action"]?.stringValue }
            #expect(actions.contains("member_ban_add"))
            #expect(audit.first { $0["action"]?.stringValue == "member_kick" }?["reason"]?.stringValue == "bye")
        }
    }

    @Test("a bot without BAN_MEMBERS gets 50013 and nothing changes")
    func banWithoutPermission() async throws {
        try await SandboxHarness.with({ $0.rateLimits = .relaxed; $0.botPermissions = SandboxPermissionBits.defaultBot & ~SandboxPermissionBits.banMembers }) { sandbox in
            let guild = sandbox.firstGuild
            let target = sandbox.member("member", in: guild).userID
            let reply = try await sandbox.api(.PUT, "/guilds/\(guild.id)/bans/\(target)")
            #expect(reply.status == 403)
            #expect(reply.json == .object(["code": .integer(50013), "message": .string("Missing Permissions")]))
            #expect(sandbox.state.guilds[guild.id]?.members[target] != nil && sandbox.state.guilds[guild.id]?.bans.isEmpty == true)
            #expect(try await sandbox.api(.GET, "/guilds/\(guild.id)/bans").json["code"]?.integerValue == 50013)
            #expect(try await sandbox.api(.DELETE, "/guilds/\(guild.id)/bans/\(target)").json["code"]?.integerValue == 50013)
            #expect(try await sandbox.api(.GET, "/guilds/\(guild.id)/bans/\(target)").json["code"]?.integerValue == 50013)
        }
    }

    @Test("roles: create with permissions the bot holds, refuse more, events")
    func createRoles() async throws {
        try await SandboxHarness.with(relaxed) { sandbox in
            let (client, _, _) = try await sandbox.identifiedClient()
            let guild = sandbox.firstGuild
            let created = try await sandbox.api(.POST, "/guilds/\(guild.id)/roles", json: .object([
                "name": .string("Level 5"), "permissions": .string("1024"), "color": .integer(255), "hoist": .bool(true),
            ]))
            #expect(created.status == 200 && created.json["name"]?.stringValue == "Level 5" && created.json["position"]?.integerValue == 1)
            #expect(try await client.expect(op: 0, t: "GUILD_ROLE_CREATE")["d"]?["role"]?["name"]?.stringValue == "Level 5")
            #expect(try await sandbox.api(.POST, "/guilds/\(guild.id)/roles", json: .object([:])).json["name"]?.stringValue == "new role")
            #expect(try await sandbox.api(.POST, "/guilds/\(guild.id)/roles", json: .object(["permissions": .integer(1024)])).status == 200)
            let admin = try await sandbox.api(.POST, "/guilds/\(guild.id)/roles", json: .object(["permissions": .string("8")]))
            #expect(admin.json["code"]?.integerValue == 50013)
            #expect(try await sandbox.api(.POST, "/guilds/\(guild.id)/roles", json: .object(["permissions": .string("lots")])).json["code"]?.integerValue == 50035)
            let positions = sandbox.state.guilds[guild.id]!.orderedRoles.map(\.position)
            #expect(Set(positions).count == positions.count)
        }
    }
}
