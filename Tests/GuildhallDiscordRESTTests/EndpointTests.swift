import Foundation
import GuildhallCore
import GuildhallDiscordModels
import GuildhallFixtures
import Testing
@testable import GuildhallDiscordREST

/// Each typed endpoint: method, path, query and body on the wire, and the decoded answer.
@Suite("REST client endpoints")
struct EndpointTests {
    /// A server that answers from a table keyed by "METHOD path" (paths without /api/v10).
    static func server(_ table: [String: ScriptedResponse]) async throws -> ScriptedDiscordServer {
        try await ScriptedDiscordServer.start { request in
            let key = "\(request.method) \(request.path.replacingOccurrences(of: "/api/v10", with: ""))"
            return table[key] ?? .json(404, #"{"message": "no script for \#(key)", "code": 0}"#)
        }
    }

    @Test("messages: create, get, edit, delete, reactions and DMs; mentions parse nothing by default")
    func messages() async throws {
        var fixtures = DiscordFixtures()
        let channel = fixtures.factory.snowflake()
        let message = fixtures.message(channelID: channel)
        let dm = Channel(id: fixtures.factory.snowflake(), type: .dm)
        let recipient = fixtures.factory.snowflake()
        let path = "/channels/\(channel)/messages"
        let server = try await Self.server([
            "POST \(path)": .json(200, DiscordFixtures.json(message)),
            "GET \(path)/\(message.id)": .json(200, DiscordFixtures.json(message)),
            "PATCH \(path)/\(message.id)": .json(200, DiscordFixtures.json(message)),
            "DELETE \(path)/\(message.id)": .noContent(),
            "PUT \(path)/\(message.id)/reactions/%E2%9C%85/@me": .noContent(),
            "DELETE \(path)/\(message.id)/reactions/%E2%9C%85/@me": .noContent(),
            "POST /users/@me/channels": .json(200, DiscordFixtures.json(dm)),
        ])
        let client = try TestClients.client(TestClients.configuration(baseURL: server.baseURL))
        let mentioned = fixtures.factory.snowflake()

        #expect(try await client.createMessage(channelID: channel, CreateMessageRequest(content: "hi @everyone", allowedMentions: nil)) == message)
        #expect(try await client.createMessage(channelID: channel, CreateMessageRequest(content: "<@\(mentioned)>", allowedMentions: .only(users: [mentioned]))) == message)
        #expect(try await client.getMessage(channelID: channel, messageID: message.id) == message)
        #expect(try await client.editMessage(channelID: channel, messageID: message.id, EditMessageRequest(content: "edited", allowedMentions: nil)) == message)
        try await client.deleteMessage(channelID: channel, messageID: message.id, reason: "cleanup")
        try await client.addOwnReaction(channelID: channel, messageID: message.id, emoji: "✅")
        try await client.removeOwnReaction(channelID: channel, messageID: message.id, emoji: "✅")
        #expect(try await client.createDM(recipientID: recipient) == dm)

        let requests = server.requests
        #expect(requests.count == 8)
        let unsafe = try requests[0].json()
        #expect(unsafe["content"] as? String == "hi @everyone")
        #expect((unsafe["allowed_mentions"] as? [String: Any])?["parse"] as? [String] == [], "a missing allowed_mentions becomes parse-nothing")
        let explicit = try #require(try requests[1].json()["allowed_mentions"] as? [String: Any])
        #expect(explicit["users"] as? [String] == [mentioned.description] && explicit["parse"] as? [String] == [])
        #expect((try requests[3].json()["allowed_mentions"] as? [String: Any])?["parse"] as? [String] == [])
        #expect(requests[4].header("X-Audit-Log-Reason") == "cleanup")
        #expect(try requests[7].json()["recipient_id"] as? String == recipient.description)
        await server.stop()
    }

    @Test("guilds, members, roles, timeouts (set and cleared with null), kicks and bans")
    func moderation() async throws {
        var fixtures = DiscordFixtures()
        let guildID = fixtures.factory.snowflake()
        let role = fixtures.role()
        let member = fixtures.member(roles: [role.id])
        let userID = member.user!.id
        let guild = Guild(id: guildID, name: "Mock", ownerID: fixtures.factory.snowflake(), roles: [role], approximateMemberCount: 12)
        let base = "/guilds/\(guildID)"
        let server = try await Self.server([
            "GET \(base)": .json(200, DiscordFixtures.json(guild)),
            "GET \(base)/members/\(userID)": .json(200, DiscordFixtures.json(member)),
            "PATCH \(base)/members/\(userID)": .json(200, DiscordFixtures.json(member)),
            "DELETE \(base)/members/\(userID)": .noContent(),
            "PUT \(base)/members/\(userID)/roles/\(role.id)": .noContent(),
            "DELETE \(base)/members/\(userID)/roles/\(role.id)": .noContent(),
            "PUT \(base)/bans/\(userID)": .noContent(),
            "DELETE \(base)/bans/\(userID)": .noContent(),
            "GET \(base)/roles": .json(200, DiscordFixtures.json([role])),
            "POST \(base)/roles": .json(200, DiscordFixtures.json(role)),
        ])
        let client = try TestClients.client(TestClients.configuration(baseURL: server.baseURL))
        #expect(try await client.getGuild(guildID: guildID, withCounts: true) == guild)
        #expect(try await client.getGuildMember(guildID: guildID, userID: userID) == member)
        let until = DiscordTimestamp(date: Date().addingTimeInterval(3600))
        #expect(try await client.timeoutGuildMember(guildID: guildID, userID: userID, until: until, reason: "spam") == member)
        #expect(try await client.timeoutGuildMember(guildID: guildID, userID: userID, until: nil) == member)
        try await client.modifyGuildMember(guildID: guildID, userID: userID, ModifyGuildMemberRequest(nick: .null, roles: [role.id]))
        try await client.addGuildMemberRole(guildID: guildID, userID: userID, roleID: role.id, reason: "level 10")
        try await client.removeGuildMemberRole(guildID: guildID, userID: userID, roleID: role.id)
        try await client.removeGuildMember(guildID: guildID, userID: userID, reason: "kick")
        try await client.createGuildBan(guildID: guildID, userID: userID, reason: "ban")
        try await client.removeGuildBan(guildID: guildID, userID: userID, reason: "appeal")
        #expect(try await client.getGuildRoles(guildID: guildID) == [role])
        #expect(try await client.createGuildRole(guildID: guildID, CreateGuildRoleRequest(name: "Level 10", permissions: Permissions(rawValue: 0), color: 0x00FF00, mentionable: true)) == role)

        let requests = server.requests
        #expect(requests.count == 12)
        #expect(requests[0].query == "with_counts=true")
        let timeout = try requests[2].json()
        #expect(timeout["communication_disabled_until"] as? String == until.description && timeout.count == 1)
        #expect(requests[2].header("X-Audit-Log-Reason") == "spam")
        let cleared = try requests[3].json()
        #expect(cleared.count == 1 && cleared["communication_disabled_until"] is NSNull, "clearing a timeout sends an explicit null")
        let modified = try requests[4].json()
        #expect(modified["nick"] is NSNull && modified["roles"] as? [String] == [role.id.description])
        #expect(requests[5].header("X-Audit-Log-Reason") == "level%2010")
        #expect(requests[8].body == Data("{}".utf8) && requests[8].header("X-Audit-Log-Reason") == "ban")
        let created = try requests[11].json()
        #expect(created["name"] as? String == "Level 10" && created["color"] as? Int == 0x00FF00 && created["permissions"] as? String == "0")
        await server.stop()
    }

    @Test("a 204 from modify member returns nil")
    func modifyWithoutBody() async throws {
        var factory = MockFactory.random()
        let server = try await ScriptedDiscordServer.start { _ in .noContent() }
        let client = try TestClients.client(TestClients.configuration(baseURL: server.baseURL))
        #expect(try await client.modifyGuildMember(guildID: factory.snowflake(), userID: factory.snowflake(), ModifyGuildMemberRequest(mute: true)) == nil)
        await server.stop()
    }

    @Test("member pages are followed by `after` until a short page")
    func memberPaging() async throws {
        var fixtures = DiscordFixtures()
        let guildID = fixtures.factory.snowflake()
        let members = (0..<5).map { _ in fixtures.member() }.sorted { $0.user!.id < $1.user!.id }
        let server = try await ScriptedDiscordServer.start { request in
            let items = Dictionary(uniqueKeysWithValues: (request.query ?? "").split(separator: "&").map { pair in
                let parts = pair.split(separator: "=", maxSplits: 1).map(String.init)
                return (parts[0], parts.count > 1 ? parts[1] : "")
            })
            let limit = Int(items["limit"] ?? "") ?? 1
            let after = items["after"].flatMap { Snowflake($0) } ?? Snowflake(0)
            let page = members.filter { $0.user!.id > after }.prefix(limit)
            return .json(200, DiscordFixtures.json(Array(page)))
        }
        let client = try TestClients.client(TestClients.configuration(baseURL: server.baseURL))
        #expect(try await client.listAllGuildMembers(guildID: guildID, pageSize: 2) == members)
        #expect(server.requests.map(\.query) == [
            "limit=2", "limit=2&after=\(members[1].user!.id)", "limit=2&after=\(members[3].user!.id)",
        ])
        #expect(try await client.listAllGuildMembers(guildID: guildID, pageSize: 2, maximum: 3).count == 3)
        #expect(try await client.listGuildMembers(guildID: guildID, limit: 1, after: members[3].user!.id) == [members[4]])
        await server.stop()
    }

    @Test("commands, interaction callbacks and follow-ups, with safe mentions and no bot token")
    func interactions() async throws {
        var fixtures = DiscordFixtures()
        let application = fixtures.factory.snowflake()
        let guildID = fixtures.factory.snowflake()
        let interaction = fixtures.factory.snowflake()
        let token = "aW50ZXJhY3Rpb246MTIz.token-part_2"
        let command = ApplicationCommand.slash("modules", description: "Turn modules on and off")
        let followup = fixtures.message(channelID: fixtures.factory.snowflake())
        let hook = "/webhooks/\(application)/\(token)"
        let server = try await Self.server([
            "PUT /applications/\(application)/commands": .json(200, DiscordFixtures.json([command])),
            "PUT /applications/\(application)/guilds/\(guildID)/commands": .json(200, DiscordFixtures.json([command])),
            "POST /interactions/\(interaction)/\(token)/callback": .noContent(),
            "POST \(hook)": .json(200, DiscordFixtures.json(followup)),
            "PATCH \(hook)/messages/@original": .json(200, DiscordFixtures.json(followup)),
            "DELETE \(hook)/messages/@original": .noContent(),
            "PATCH \(hook)/messages/\(followup.id)": .json(200, DiscordFixtures.json(followup)),
            "DELETE \(hook)/messages/\(followup.id)": .noContent(),
        ])
        let client = try TestClients.client(TestClients.configuration(baseURL: server.baseURL))
        #expect(try await client.bulkOverwriteGlobalCommands(applicationID: application, [command]) == [command])
        #expect(try await client.bulkOverwriteGuildCommands(applicationID: application, guildID: guildID, [command]) == [command])
        try await client.createInteractionResponse(interactionID: interaction, token: token, .message(InteractionMessage(content: "@everyone hi", allowedMentions: nil)))
        #expect(try await client.createFollowupMessage(applicationID: application, token: token, InteractionMessage(content: "later", allowedMentions: nil)) == followup)
        #expect(try await client.editOriginalInteractionResponse(applicationID: application, token: token, InteractionMessage(content: "done")) == followup)
        try await client.deleteOriginalInteractionResponse(applicationID: application, token: token)
        #expect(try await client.editFollowupMessage(applicationID: application, token: token, messageID: followup.id, InteractionMessage(content: "e")) == followup)
        try await client.deleteFollowupMessage(applicationID: application, token: token, messageID: followup.id)

        let requests = server.requests
        #expect(requests.count == 8)
        #expect(requests.prefix(2).allSatisfy { $0.header("Authorization") == "Bot \(TestClients.token)" })
        #expect(requests.dropFirst(2).allSatisfy { $0.header("Authorization") == nil }, "token routes carry no bot token")
        let commands = try JSONSerialization.jsonObject(with: requests[0].body) as? [[String: Any]]
        #expect(commands?.first?["name"] as? String == "modules")
        let callback = try requests[2].json()
        #expect(callback["type"] as? Int == 4)
        #expect(((callback["data"] as? [String: Any])?["allowed_mentions"] as? [String: Any])?["parse"] as? [String] == [])
        #expect((try requests[3].json()["allowed_mentions"] as? [String: Any])?["parse"] as? [String] == [])
        await server.stop()
    }

    @Test("gateway, entitlements (paged), and the bot's own user")
    func accountAndPremium() async throws {
        var fixtures = DiscordFixtures()
        let application = fixtures.factory.snowflake()
        let sku = fixtures.factory.snowflake()
        let guildID = fixtures.factory.snowflake()
        let entitlements = (0..<3).map { _ in
            Entitlement(id: fixtures.factory.snowflake(), skuID: sku, applicationID: application, guildID: guildID, type: 8)
        }.sorted { $0.id < $1.id }
        let gateway = GatewayBotInfo(url: "ws://127.0.0.1:1", shards: 4, sessionStartLimit: .init(total: 1000, remaining: 999, resetAfter: 1000, maxConcurrency: 1))
        let server = try await ScriptedDiscordServer.start { request in
            if request.path.hasSuffix("/gateway/bot") { return .json(200, DiscordFixtures.json(gateway)) }
            let query = request.query ?? ""
            let after = query.split(separator: "&").first { $0.hasPrefix("after=") }.flatMap { Snowflake($0.dropFirst(6)) } ?? Snowflake(0)
            let limit = query.split(separator: "&").first { $0.hasPrefix("limit=") }.flatMap { Int($0.dropFirst(6)) } ?? 100
            return .json(200, DiscordFixtures.json(Array(entitlements.filter { $0.id > after }.prefix(limit))))
        }
        let client = try TestClients.client(TestClients.configuration(baseURL: server.baseURL))
        #expect(try await client.getGatewayBot() == gateway)
        let query = EntitlementQuery(skuIDs: [sku, application], guildID: guildID, limit: 2, excludeEnded: true, excludeDeleted: false)
        #expect(try await client.listAllEntitlements(applicationID: application, query) == entitlements)
        #expect(try await client.listEntitlements(applicationID: application, EntitlementQuery(userID: sku, before: sku, limit: 1)).count == 1)
        let invalid = await TestClients.error { _ = try await client.listEntitlements(applicationID: application, EntitlementQuery(limit: 0)) }
        #expect(invalid?.code == .invalidRequest)
        let queries = server.requests.dropFirst().map { $0.query ?? "" }
        #expect(queries[0] == "sku_ids=\(sku)%2C\(application)&guild_id=\(guildID)&after=0&limit=2&exclude_ended=true&exclude_deleted=false")
        #expect(queries[1].contains("after=\(entitlements[1].id)"))
        #expect(queries.count == 3 && queries[2] == "user_id=\(sku)&before=\(sku)&limit=1")
        await server.stop()
    }
}
