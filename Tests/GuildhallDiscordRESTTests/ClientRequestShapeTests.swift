import Foundation
import GuildhallCore
import GuildhallDiscordModels
import GuildhallFixtures
import Testing
@testable import GuildhallDiscordREST

/// What goes on the wire: headers, authorisation per route kind, bodies, the audit-log reason.
@Suite("REST client request shape")
struct ClientRequestShapeTests {
    @Test("bot calls carry the bot token, Discord's User-Agent, JSON and the encoded audit-log reason")
    func botHeaders() async throws {
        let server = try await ScriptedDiscordServer.start { _ in .noContent() }
        var factory = MockFactory.random()
        let client = try TestClients.client(TestClients.configuration(baseURL: server.baseURL + "/"))
        let (guild, user) = (factory.snowflake(), factory.snowflake())
        let reason = "Spam & raids: 100% / repeat offender — ünïcode ✓"
        try await client.createGuildBan(guildID: guild, userID: user, CreateGuildBanRequest(deleteMessageSeconds: 3600), reason: reason)
        try await client.removeGuildMember(guildID: guild, userID: user)

        let requests = server.requests
        #expect(requests.count == 2)
        let ban = try #require(requests.first)
        #expect(ban.method == "PUT" && ban.path == "/api/v10/guilds/\(guild)/bans/\(user)")
        #expect(ban.header("Authorization") == "Bot \(TestClients.token)")
        #expect(ban.header("User-Agent") == "DiscordBot (https://example.invalid/guildhall, 9.9.9)")
        #expect(ban.header("Content-Type") == "application/json")
        let encoded = try #require(ban.header("X-Audit-Log-Reason"))
        #expect(encoded.removingPercentEncoding == reason)
        #expect(encoded.allSatisfy { $0.isASCII && $0 != " " && $0 != "/" && $0 != "&" }, "\(encoded) is not fully percent-encoded")
        #expect(try ban.json()["delete_message_seconds"] as? Int == 3600)
        #expect(requests[1].method == "DELETE" && requests[1].header("X-Audit-Log-Reason") == nil && requests[1].body.isEmpty)
        await server.stop()
    }

    @Test("a reason longer than 512 characters or an out-of-range value is refused before sending")
    func badInputNeverSent() async throws {
        let server = try await ScriptedDiscordServer.start { _ in .noContent() }
        var factory = MockFactory.random()
        let client = try TestClients.client(TestClients.configuration(baseURL: server.baseURL))
        let (guild, user) = (factory.snowflake(), factory.snowflake())
        let long = await TestClients.error {
            try await client.removeGuildMember(guildID: guild, userID: user, reason: String(repeating: "x", count: 513))
        }
        #expect(long?.code == .invalidRequest && long?.attempts == 0)
        let days = await TestClients.error {
            try await client.createGuildBan(guildID: guild, userID: user, CreateGuildBanRequest(deleteMessageSeconds: 604_801))
        }
        #expect(days?.code == .invalidRequest)
        let page = await TestClients.error { _ = try await client.listGuildMembers(guildID: guild, limit: 1001) }
        #expect(page?.code == .invalidRequest)
        let emoji = await TestClients.error { try await client.addOwnReaction(channelID: guild, messageID: user, emoji: "..") }
        #expect(emoji?.code == .invalidRequest)
        let token = await TestClients.error { _ = try await client.getCurrentUser(accessToken: "bad\r\ntoken") }
        #expect(token?.code == .invalidRequest)
        let tooLate = DiscordTimestamp(date: Date().addingTimeInterval(29 * 24 * 3600))
        let timeout = await TestClients.error { try await client.timeoutGuildMember(guildID: guild, userID: user, until: tooLate) }
        #expect(timeout?.code == .invalidRequest)
        let role = await TestClients.error { _ = try await client.createGuildRole(guildID: guild, CreateGuildRoleRequest(name: "r", color: -1)) }
        #expect(role?.code == .invalidRequest)
        let oauth = await TestClients.error {
            _ = try await client.exchangeOAuth2Code(clientID: "1", clientSecret: "s", code: "", redirectURI: "https://x.invalid/cb")
        }
        #expect(oauth?.code == .invalidRequest)
        // A hand-built route whose name is too long for a limiter key is refused by the store.
        let longRoute = try DiscordRoute(.GET, "/" + String(repeating: "segment/", count: 20) + "end")
        let unkeyable = await TestClients.error { _ = try await client.send(DiscordRESTRequest(route: longRoute)) }
        #expect(unkeyable?.code == .invalidRequest)
        #expect(server.requests.isEmpty, "nothing reached the server")
        await server.stop()
    }

    @Test("bodies that break Discord's limits are refused locally with the error body Discord would send")
    func localValidation() async throws {
        let server = try await ScriptedDiscordServer.start { _ in .noContent() }
        var factory = MockFactory.random()
        let client = try TestClients.client(TestClients.configuration(baseURL: server.baseURL))
        let channel = factory.snowflake()
        let long = await TestClients.error { _ = try await client.createMessage(channelID: channel, CreateMessageRequest(content: String(repeating: "a", count: 2001))) }
        #expect(long?.code == .invalidRequest && long?.jsonCode == .invalidFormBody)
        #expect(long?.apiError?.errors?.flattened.map(\.path) == ["content"])
        let empty = await TestClients.error { _ = try await client.createMessage(channelID: channel, CreateMessageRequest()) }
        #expect(empty?.jsonCode == .cannotSendEmptyMessage)
        let edit = await TestClients.error {
            _ = try await client.editMessage(channelID: channel, messageID: factory.snowflake(), EditMessageRequest(content: String(repeating: "b", count: 2001)))
        }
        #expect(edit?.jsonCode == .invalidFormBody)
        let commands = [ApplicationCommand.slash("ok", description: "fine"), ApplicationCommand.slash(String(repeating: "n", count: 33), description: "too long")]
        let bulk = await TestClients.error { _ = try await client.bulkOverwriteGlobalCommands(applicationID: factory.snowflake(), commands) }
        #expect(bulk?.code == .invalidRequest && bulk?.apiError?.errors?.flattened.allSatisfy { $0.path.hasPrefix("1.") } == true)
        let followup = await TestClients.error {
            _ = try await client.createFollowupMessage(applicationID: factory.snowflake(), token: "t", InteractionMessage(content: String(repeating: "c", count: 2001)))
        }
        #expect(followup?.jsonCode == .invalidFormBody)
        let reply = await TestClients.error { try await client.createInteractionResponse(interactionID: factory.snowflake(), token: "t", .reply("")) }
        #expect(reply?.jsonCode == .cannotSendEmptyMessage)
        let nick = await TestClients.error {
            _ = try await client.modifyGuildMember(guildID: factory.snowflake(), userID: factory.snowflake(), ModifyGuildMemberRequest(nick: .value(String(repeating: "n", count: 33))))
        }
        #expect(nick?.apiError?.errors?.flattened.map(\.path) == ["nick"])
        #expect(server.requests.isEmpty)
        await server.stop()
    }

    @Test("Bearer for the dashboard's user calls, none for interaction tokens, Basic and a form for OAuth2")
    func authorizationKinds() async throws {
        var fixtures = DiscordFixtures()
        let user = fixtures.user()
        let guildItem = CurrentUserGuild(id: fixtures.factory.snowflake(), name: "g", owner: true, permissions: Permissions(rawValue: 8))
        let server = try await ScriptedDiscordServer.start { request in
            switch request.path {
            case "/api/v10/users/@me": return .json(200, DiscordFixtures.json(user))
            case "/api/v10/users/@me/guilds": return .json(200, DiscordFixtures.json([guildItem]))
            case "/api/v10/oauth2/token":
                return .json(200, #"{"access_token": "at", "token_type": "Bearer", "expires_in": 604800, "refresh_token": "rt", "scope": "identify guilds"}"#)
            default: return .noContent()
            }
        }
        let client = try TestClients.client(TestClients.configuration(baseURL: server.baseURL))
        #expect(try await client.getCurrentUser(accessToken: "user-access") == user)
        #expect(try await client.getCurrentUser().id == user.id)
        let guilds = try await client.getCurrentUserGuilds(accessToken: "user-access", after: guildItem.id, limit: 50, withCounts: true)
        #expect(guilds == [guildItem])
        let interaction = fixtures.factory.snowflake()
        try await client.createInteractionResponse(interactionID: interaction, token: "tok/en.with:odd", .deferredMessage())
        let token = try await client.exchangeOAuth2Code(clientID: "1234", clientSecret: "s3cret", code: "the code", redirectURI: "https://dash.invalid/callback")
        #expect(token.accessToken == "at" && token.refreshToken == "rt" && token.scopes == ["identify", "guilds"])
        _ = try await client.refreshOAuth2Token(clientID: "1234", clientSecret: "s3cret", refreshToken: "rt")
        _ = try await client.oauth2ClientCredentials(clientID: "1234", clientSecret: "s3cret", scopes: ["applications.commands.update"])

        let requests = server.requests
        #expect(requests[0].header("Authorization") == "Bearer user-access")
        #expect(requests[1].header("Authorization") == "Bot \(TestClients.token)")
        #expect(requests[2].header("Authorization") == "Bearer user-access")
        #expect(requests[2].query == "after=\(guildItem.id)&limit=50&with_counts=true")
        #expect(requests[3].path == "/api/v10/interactions/\(interaction)/tok%2Fen.with%3Aodd/callback")
        #expect(requests[3].header("Authorization") == nil)
        let oauth = requests[4]
        #expect(oauth.method == "POST" && oauth.path == "/api/v10/oauth2/token")
        #expect(oauth.header("Authorization") == "Basic \(Data("1234:s3cret".utf8).base64EncodedString())")
        #expect(oauth.header("Content-Type") == "application/x-www-form-urlencoded")
        #expect(String(decoding: oauth.body, as: UTF8.self) == "grant_type=authorization_code&code=the%20code&redirect_uri=https%3A%2F%2Fdash.invalid%2Fcallback")
        #expect(String(decoding: requests[5].body, as: UTF8.self) == "grant_type=refresh_token&refresh_token=rt")
        #expect(String(decoding: requests[6].body, as: UTF8.self) == "grant_type=client_credentials&scope=applications.commands.update")
        await server.stop()
    }

    @Test("configuration errors are refused with clear messages", arguments: [
        ("ftp://discord.com/api", "base URL"), ("https://discord.com/api?x=1", "base URL"), ("not a url", "base URL"),
    ])
    func badBaseURL(url: String, expected: String) {
        #expect { try DiscordRESTClient(configuration: DiscordRESTConfiguration(token: TestClients.token, baseURL: url)) } throws: { error in
            (error as? GuildhallError)?.code == .invalidConfiguration && "\(error)".contains(expected)
        }
    }

    @Test("every configuration rule is checked")
    func configurationRules() {
        let base = TestClients.configuration(baseURL: "http://127.0.0.1:1/api/v10")
        var cases: [(String, DiscordRESTConfiguration)] = []
        var config = base
        config.token = ""
        cases.append(("empty token", config))
        config = base
        config.token = "Bot abc"
        cases.append(("Bot prefix", config))
        config = base
        config.userAgentVersion = "1,2"
        cases.append(("user agent", config))
        config = base
        config.requestTimeout = .seconds(301)
        cases.append(("timeout", config))
        config = base
        config.requestTimeout = .seconds(20)
        cases.append(("reservation shorter than request", config))
        config = base
        config.limiterIdentity = "has space"
        cases.append(("identity", config))
        config = base
        config.maximumResponseBytes = 10
        cases.append(("response size", config))
        config = base
        config.retry.maximumRetries = 21
        cases.append(("retries", config))
        config = base
        config.retry.maximumBackoff = .milliseconds(1)
        cases.append(("backoff", config))
        config = base
        config.rateLimits.invalidRequestBudget = 10_000
        cases.append(("invalid budget", config))
        config = base
        config.rateLimits.globalWindow = .seconds(61)
        cases.append(("global window", config))
        for (name, configuration) in cases {
            #expect(throws: GuildhallError.self, "\(name)") { try configuration.validate() }
        }
        #expect(throws: Never.self) { try base.validate() }
        #expect(base.userAgent == "DiscordBot (https://example.invalid/guildhall, 9.9.9)")
        #expect(DiscordRESTConfiguration(token: "t").botIdentity == "bot-\(TokenDigest.hex("t"))")
    }
}
