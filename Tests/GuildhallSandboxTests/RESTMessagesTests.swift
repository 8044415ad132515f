import Foundation
import GuildhallCore
import GuildhallDiscordModels
import Testing
@testable import GuildhallSandbox

@Suite("REST: messages, reactions, DMs")
struct RESTMessagesTests {
    @Test("enforce_nonce: the same nonce again returns the first message and creates nothing; without it, a second message")
    func enforcedNonce() async throws {
        try await SandboxHarness.with { sandbox in
            let general = sandbox.channel(named: "general", in: sandbox.firstGuild)
            let base = "/channels/\(general.id)/messages"
            func post(_ nonce: String, enforce: Bool) async throws -> String? {
                try await sandbox.api(.POST, base, json: .object([
                    "content": .string("once"), "nonce": .string(nonce), "enforce_nonce": .bool(enforce),
                ])).json["id"]?.stringValue
            }
            let first = try await post("gw1e", enforce: true)
            #expect(first != nil)
            #expect(try await post("gw1e", enforce: true) == first)
            #expect(try await post("gw2e", enforce: true) != first, "another nonce is another message")
            #expect(try await post("gw1e", enforce: false) != first, "without enforce_nonce the nonce is only echoed")
            let count = sandbox.server.world.read { state in (state.channelMessages[general.id] ?? []).count }
            #expect(count == 3)
        }
    }

    @Test("create, get, edit, list and delete a message; each sends its event")
    func messageLifecycle() async throws {
        try await SandboxHarness.with { sandbox in
            let (client, _, _) = try await sandbox.identifiedClient()
            let general = sandbox.channel(named: "general", in: sandbox.firstGuild)
            let base = "/channels/\(general.id)/messages"
            let created = try await sandbox.api(.POST, base, json: .object([
                "content": .string("hello <@\(sandbox.firstGuild.ownerID)>"), "nonce": .string("abc"),
                "embeds": .array([.object(["title": .string("Title"), "description": .string("Body")])]),
                "components": .array([.object(["type": .integer(1), "components": .array([
                    .object(["type": .integer(2), "style": .integer(1), "label": .string("Go"), "custom_id": .string("go")]),
                ])])]),
                "allowed_mentions": .object(["parse": .array([])]),
            ]))
            #expect(created.status == 200)
            let id = try #require(created.json["id"]?.stringValue)
            #expect(created.json["author"]?["id"]?.stringValue == sandbox.botID.description)
            #expect(created.json["embeds"]?[0]?["title"]?.stringValue == "Title")
            #expect(created.json["components"]?[0]?["components"]?[0]?["custom_id"]?.stringValue == "go")
            #expect(created.json["mentions"]?.arrayValue.isEmpty == true, "allowed_mentions parse [] pings nobody")
            #expect(created.json["nonce"]?.stringValue == "abc")
            let event = try await client.expect(op: 0, t: "MESSAGE_CREATE")
            #expect(event["d"]?["id"]?.stringValue == id)

            #expect(try await sandbox.api(.GET, "\(base)/\(id)").json["content"] == created.json["content"])
            let edited = try await sandbox.api(.PATCH, "\(base)/\(id)", json: .object(["content": .string("edited")]))
            #expect(edited.json["content"]?.stringValue == "edited" && edited.json["edited_timestamp"] != .null)
            #expect(edited.json["embeds"]?.arrayValue.count == 1, "fields left out of an edit stay")
            #expect(try await client.expect(op: 0, t: "MESSAGE_UPDATE")["d"]?["content"]?.stringValue == "edited")

            for index in 0..<3 { _ = try sandbox.control.postMessage(channelID: general.id, userID: sandbox.firstGuild.ownerID, content: "m\(index)") }
            let newest = try await sandbox.api(.GET, "\(base)?limit=2").json.arrayValue
            #expect(newest.compactMap { $0["content"]?.stringValue } == ["m2", "m1"])
            let older = try await sandbox.api(.GET, "\(base)?before=\(newest[1]["id"]!.stringValue!)").json.arrayValue
            #expect(older.compactMap { $0["content"]?.stringValue } == ["m0", "edited"])
            let after = try await sandbox.api(.GET, "\(base)?after=\(id)&limit=1").json.arrayValue
            #expect(after.compactMap { $0["content"]?.stringValue } == ["m0"])
            let around = try await sandbox.api(.GET, "\(base)?around=\(newest[1]["id"]!.stringValue!)&limit=2").json.arrayValue
            #expect(around.count == 2)
            #expect(try await sandbox.api(.GET, "\(base)?limit=0").status == 400)
            #expect(try await sandbox.api(.GET, "\(base)?before=x").status == 400)

            #expect(try await sandbox.api(.DELETE, "\(base)/\(id)").status == 204)
            let deleted = try await client.expect(op: 0, t: "MESSAGE_DELETE")
            #expect(deleted["d"]?["id"]?.stringValue == id && deleted["d"]?["guild_id"] != nil)
            #expect(try await sandbox.api(.GET, "\(base)/\(id)").json["code"]?.integerValue == 10008)
        }
    }

    @Test("message bodies are checked: empty 50006, too long 50035 with the field's path, bad mentions")
    func messageValidation() async throws {
        try await SandboxHarness.with({ $0.rateLimits = .relaxed }) { sandbox in
            let base = "/channels/\(sandbox.channel(named: "general", in: sandbox.firstGuild).id)/messages"
            let empty = try await sandbox.api(.POST, base, json: .object([:]))
            #expect(empty.status == 400 && empty.json["code"]?.integerValue == 50006)
            let long = try await sandbox.api(.POST, base, json: .object(["content": .string(String(repeating: "x", count: 2_001))]))
            #expect(long.json["code"]?.integerValue == 50035)
            #expect(long.json["errors"]?["content"]?["_errors"]?[0]?["code"]?.stringValue == "BASE_TYPE_MAX_LENGTH")
            let embeds = try await sandbox.api(.POST, base, json: .object([
                "embeds": .array((0..<11).map { _ in .object(["title": .string("t")]) }),
            ]))
            #expect(embeds.json["errors"]?["embeds"] != nil)
            let mentions = try await sandbox.api(.POST, base, json: .object([
                "content": .string("x"),
                "allowed_mentions": .object(["parse": .array([.string("users")]), "users": .array([.string("1")])]),
            ]))
            #expect(mentions.json["code"]?.integerValue == 50035 && mentions.json["errors"]?["allowed_mentions"] != nil)
            let wrongType = try await sandbox.api(.POST, base, json: .object(["content": .integer(5)]))
            #expect(wrongType.json["errors"]?["content"] != nil)
            let badKind = try await sandbox.api(.POST, base, json: .object([
                "content": .string("x"), "allowed_mentions": .object(["parse": .array([.string("planets")])]),
            ]))
            #expect(badKind.json["errors"]?["allowed_mentions"]?["parse"] != nil)
            let flags = try await sandbox.api(.POST, base, json: .object(["content": .string("x"), "flags": .integer(64)]))
            #expect(flags.json["errors"]?["flags"] != nil)
            let duplicate = try await sandbox.api(.POST, base, json: .object(["components": .array([.object(["type": .integer(1), "components": .array([
                .object(["type": .integer(2), "style": .integer(1), "label": .string("a"), "custom_id": .string("same")]),
                .object(["type": .integer(2), "style": .integer(1), "label": .string("b"), "custom_id": .string("same")]),
            ])])])]))
            #expect(duplicate.json["code"]?.integerValue == 50035)
            let stored = sandbox.state.channelMessages.values.reduce(0) { $0 + $1.count }
            #expect(stored == 0, "nothing was stored")
        }
    }

    @Test("mentions follow allowed_mentions and MENTION_EVERYONE")
    func mentionRules() async throws {
        try await SandboxHarness.with({ $0.rateLimits = .relaxed }) { sandbox in
            let guild = sandbox.firstGuild
            let general = sandbox.channel(named: "general", in: guild)
            let moderatorRole = try #require(guild.orderedRoles.first { $0.name == "Moderator" })
            let memberRole = try #require(guild.orderedRoles.first { $0.name == "Member" })
            let target = sandbox.member("member", in: guild).userID
            let content = "<@\(target)> <@&\(moderatorRole.id)> <@&\(memberRole.id)> @everyone <@!\(target)> <@nope>"
            let everything = try await sandbox.api(.POST, "/channels/\(general.id)/messages", json: .object(["content": .string(content)])).json
            #expect(everything["mentions"]?.arrayValue.count == 1)
            #expect(everything["mention_roles"]?.arrayValue.count == 1, "Member is not mentionable and the bot lacks MENTION_EVERYONE")
            #expect(everything["mention_everyone"]?.boolValue == false)
            let explicit = try await sandbox.api(.POST, "/channels/\(general.id)/messages", json: .object([
                "content": .string(content), "allowed_mentions": .object(["users": .array([.string(target.description)])]),
            ])).json
            #expect(explicit["mentions"]?[0]?["id"]?.stringValue == target.description && explicit["mention_roles"]?.arrayValue.isEmpty == true)
            _ = try sandbox.control.updateRole(guildID: guild.id, roleID: guild.botRoleID, permissions: SandboxPermissionBits.defaultBot | SandboxPermissionBits.mentionEveryone)
            let loud = try await sandbox.api(.POST, "/channels/\(general.id)/messages", json: .object(["content": .string(content)])).json
            #expect(loud["mention_everyone"]?.boolValue == true && loud["mention_roles"]?.arrayValue.count == 2)
        }
    }

    @Test("permissions: hidden channels 50001, read-only channels 50013, voice channels 50008, others' messages 50005")
    func messagePermissions() async throws {
        try await SandboxHarness.with({ $0.rateLimits = .relaxed }) { sandbox in
            let guild = sandbox.firstGuild
            let announcements = sandbox.channel(named: "announcements", in: guild)
            let voice = sandbox.channel(named: "Lounge", in: guild)
            let general = sandbox.channel(named: "general", in: guild)
            #expect(try await sandbox.api(.POST, "/channels/\(announcements.id)/messages", json: .object(["content": .string("x")])).json["code"]?.integerValue == 50013)
            #expect(try await sandbox.api(.POST, "/channels/\(voice.id)/messages", json: .object(["content": .string("x")])).json["code"]?.integerValue == 50008)
            // Nobody can see a channel once @everyone loses VIEW_CHANNEL and the bot's role lacks it.
            _ = try sandbox.control.updateRole(guildID: guild.id, roleID: guild.id, permissions: 0)
            _ = try sandbox.control.updateRole(guildID: guild.id, roleID: guild.botRoleID, permissions: SandboxPermissionBits.sendMessages)
            let hidden = try await sandbox.api(.POST, "/channels/\(general.id)/messages", json: .object(["content": .string("x")]))
            #expect(hidden.status == 403 && hidden.json["code"]?.integerValue == 50001)
            #expect(try await sandbox.api(.GET, "/channels/\(general.id)").json["code"]?.integerValue == 50001)
            #expect(try await sandbox.api(.GET, "/channels/\(general.id)/messages").json["code"]?.integerValue == 50001)
            #expect(try await sandbox.api(.GET, "/channels/\(general.id)/messages/1").json["code"]?.integerValue == 50001)
            // Seeing without READ_MESSAGE_HISTORY lists nothing and fetches nothing.
            _ = try sandbox.control.updateRole(guildID: guild.id, roleID: guild.id, permissions: SandboxPermissionBits.viewChannel)
            let earlier = try sandbox.control.postMessage(channelID: general.id, userID: guild.ownerID, content: "earlier")
            #expect(try await sandbox.api(.GET, "/channels/\(general.id)/messages").json.arrayValue.isEmpty)
            #expect(try await sandbox.api(.GET, "/channels/\(general.id)/messages/\(earlier.id)").json["code"]?.integerValue == 50013)
            _ = try sandbox.control.updateRole(guildID: guild.id, roleID: guild.id, permissions: SandboxPermissionBits.viewChannel | SandboxPermissionBits.sendMessages)
            _ = try sandbox.control.updateRole(guildID: guild.id, roleID: guild.botRoleID, permissions: SandboxPermissionBits.defaultBot)
            #expect(try await sandbox.api(.DELETE, "/channels/\(general.id)/messages/\(earlier.id)").status == 204)

            let theirs = try sandbox.control.postMessage(channelID: general.id, userID: guild.ownerID, content: "mine")
            let edit = try await sandbox.api(.PATCH, "/channels/\(general.id)/messages/\(theirs.id)", json: .object(["content": .string("no")]))
            #expect(edit.status == 403 && edit.json["code"]?.integerValue == 50005)
            let suppress = try await sandbox.api(.PATCH, "/channels/\(general.id)/messages/\(theirs.id)", json: .object(["flags": .integer(4)]))
            #expect(suppress.status == 200 && suppress.json["flags"]?.integerValue == 4)
            #expect(try await sandbox.api(.DELETE, "/channels/\(general.id)/messages/\(theirs.id)").status == 204)
            let more = try (0..<3).map { try sandbox.control.postMessage(channelID: general.id, userID: guild.ownerID, content: "bulk \($0)") }
            let bulk = try await sandbox.api(.POST, "/channels/\(general.id)/messages/bulk-delete", json: .object([
                "messages": .array(more.map { .string($0.id.description) }),
            ]))
            #expect(bulk.status == 204 && (sandbox.state.channelMessages[general.id] ?? []).isEmpty)
            #expect(try await sandbox.api(.POST, "/channels/\(general.id)/messages/bulk-delete", json: .object(["messages": .array([.string("1")])])).status == 400)
            _ = try sandbox.control.updateRole(guildID: guild.id, roleID: guild.botRoleID, permissions: SandboxPermissionBits.sendMessages | SandboxPermissionBits.viewChannel)
            let other = try sandbox.control.postMessage(channelID: general.id, userID: guild.ownerID, content: "keep")
            #expect(try await sandbox.api(.DELETE, "/channels/\(general.id)/messages/\(other.id)").json["code"]?.integerValue == 50013)
            #expect(try await sandbox.api(.POST, "/channels/\(general.id)/messages/bulk-delete", json: .object(["messages": .array([.string("1"), .string("2")])])).json["code"]?.integerValue == 50013)
        }
    }

    @Test("reactions: add, list, remove, with events; unknown emoji and missing permission refused")
    func reactions() async throws {
        try await SandboxHarness.with({ $0.rateLimits = .relaxed }) { sandbox in
            let (client, _, _) = try await sandbox.identifiedClient(intents: SandboxIntents.guilds | SandboxIntents.guildMessageReactions)
            let guild = sandbox.firstGuild
            let general = sandbox.channel(named: "general", in: guild)
            let message = try sandbox.control.postMessage(channelID: general.id, userID: guild.ownerID, content: "react to me")
            let path = "/channels/\(general.id)/messages/\(message.id)/reactions/%F0%9F%8E%89"
            #expect(try await sandbox.api(.PUT, "\(path)/@me").status == 204)
            #expect(try await sandbox.api(.PUT, "\(path)/@me").status == 204)
            let added = try await client.expect(op: 0, t: "MESSAGE_REACTION_ADD")
            #expect(added["d"]?["emoji"]?["name"]?.stringValue == "🎉" && added["d"]?["emoji"]?["id"] == .null)
            #expect(added["d"]?["member"]?["user"]?["id"]?.stringValue == sandbox.botID.description)
            try sandbox.control.react(channelID: general.id, messageID: message.id, userID: guild.ownerID, emoji: "🎉")
            _ = try await client.expect(op: 0, t: "MESSAGE_REACTION_ADD")
            let users = try await sandbox.api(.GET, path).json.arrayValue
            #expect(users.count == 2)
            let fetched = try await sandbox.api(.GET, "/channels/\(general.id)/messages/\(message.id)").json
            #expect(fetched["reactions"]?[0]?["count"]?.integerValue == 2 && fetched["reactions"]?[0]?["me"]?.boolValue == true)
            #expect(try await sandbox.api(.DELETE, "\(path)/@me").status == 204)
            #expect(try await client.expect(op: 0, t: "MESSAGE_REACTION_REMOVE")["d"]?["user_id"]?.stringValue == sandbox.botID.description)
            try sandbox.control.unreact(channelID: general.id, messageID: message.id, userID: guild.ownerID, emoji: "🎉")
            #expect(sandbox.state.messages[message.id]?.reactions.isEmpty == true)
            #expect(try await sandbox.api(.DELETE, "\(path)/@me").status == 204)
            let unknown = try await sandbox.api(.PUT, "/channels/\(general.id)/messages/\(message.id)/reactions/fire/@me")
            #expect(unknown.json["code"]?.integerValue == 10014)
            let custom = try await sandbox.api(.PUT, "/channels/\(general.id)/messages/\(message.id)/reactions/party:123/@me")
            #expect(custom.json["code"]?.integerValue == 10014)
            _ = try sandbox.control.updateRole(guildID: guild.id, roleID: guild.botRoleID, permissions: SandboxPermissionBits.viewChannel | SandboxPermissionBits.readMessageHistory)
            _ = try sandbox.control.updateRole(guildID: guild.id, roleID: guild.id, permissions: SandboxPermissionBits.viewChannel)
            #expect(try await sandbox.api(.PUT, "\(path)/@me").json["code"]?.integerValue == 50013)
            #expect(try await sandbox.api(.GET, "\(path)?limit=500").status == 400)
        }
    }

    @Test("DM channels: opened once per user, refused for bots, messages go to shard 0")
    func directMessages() async throws {
        try await SandboxHarness.with { sandbox in
            let (client, _, _) = try await sandbox.identifiedClient(intents: SandboxIntents.guilds | SandboxIntents.directMessages)
            let user = sandbox.persona("cleo")
            let first = try await sandbox.api(.POST, "/users/@me/channels", json: .object(["recipient_id": .string(user.description)])).json
            let second = try await sandbox.api(.POST, "/users/@me/channels", json: .object(["recipient_id": .string(user.description)])).json
            #expect(first["id"] == second["id"] && first["type"]?.integerValue == 1)
            #expect(first["recipients"]?[0]?["id"]?.stringValue == user.description)
            let channelID = try #require(first["id"]?.stringValue)
            let sent = try await sandbox.api(.POST, "/channels/\(channelID)/messages", json: .object(["content": .string("psst")]))
            #expect(sent.status == 200 && sent.json["guild_id"] == nil)
            let event = try await client.expect(op: 0, t: "MESSAGE_CREATE")
            #expect(event["d"]?["content"]?.stringValue == "psst" && event["d"]?["guild_id"] == nil)
            _ = try sandbox.control.postMessage(channelID: Snowflake(channelID)!, userID: user, content: "reply")
            #expect(try await client.expect(op: 0, t: "MESSAGE_CREATE")["d"]?["author"]?["id"]?.stringValue == user.description)
            #expect(throws: SandboxAPIError.self) { try sandbox.control.postMessage(channelID: Snowflake(channelID)!, userID: sandbox.persona("ada"), content: "x") }
            let toBot = try await sandbox.api(.POST, "/users/@me/channels", json: .object(["recipient_id": .string(sandbox.botID.description)]))
            #expect(toBot.json["code"]?.integerValue == 50007)
            #expect(try await sandbox.api(.POST, "/users/@me/channels", json: .object([:])).json["code"]?.integerValue == 50035)
            #expect(try await sandbox.api(.POST, "/users/@me/channels", json: .object(["recipient_id": .string("7")])).json["code"]?.integerValue == 10013)
        }
    }
}
