import AsyncHTTPClient
import Foundation
import GuildhallCore
import GuildhallDiscordModels
import GuildhallFixtures
import GuildhallRedis
import GuildhallTestSupport
import Logging
import Testing
@testable import GuildhallDiscordREST

/// Server errors, dead servers, slow servers and Discord's error bodies.
@Suite("REST client failures")
struct ClientFailureTests {
    @Test("5xx responses are retried after a growing backoff until one succeeds")
    func serverErrorsThenSuccess() async throws {
        let attempts = HitCounter()
        let server = try await ScriptedDiscordServer.start { _ in
            attempts.next() <= 2 ? .json(502, #"{"message": "Bad Gateway", "code": 0}"#) : .noContent()
        }
        var factory = MockFactory.random()
        let metrics = RecordingMetrics()
        var configuration = TestClients.configuration(baseURL: server.baseURL)
        configuration.retry.initialBackoff = .milliseconds(300)
        configuration.retry.maximumBackoff = .seconds(1)
        let client = try TestClients.client(configuration, metrics: metrics, jitter: 1)
        try await client.removeGuildMemberRole(guildID: factory.snowflake(), userID: factory.snowflake(), roleID: factory.snowflake())
        #expect(server.requests.count == 3)
        // Backoffs of 300 ms then 600 ms: no two attempts within 300 ms, no three within 900 ms.
        #expect(server.maximumInAnyWindow(.milliseconds(300)) == 1)
        #expect(server.maximumInAnyWindow(.milliseconds(900)) <= 2)
        #expect(metrics.counter("discord_rest_retries_total", [("route", "DELETE /guilds/{guild_id}/members/{user_id}/roles/{role_id}"), ("reason", "server_error")]) == 2)
        await server.stop()
    }

    @Test("5xx on every attempt gives up with server_error once the retry budget is spent")
    func serverErrorsExhaust() async throws {
        let server = try await ScriptedDiscordServer.start { _ in .json(503, #"{"message": "Service Unavailable", "code": 0}"#) }
        var factory = MockFactory.random()
        let client = try TestClients.client(TestClients.configuration(baseURL: server.baseURL, retries: 2))
        let error = await TestClients.error { _ = try await client.getGuild(guildID: factory.snowflake()) }
        #expect(error?.code == .serverError && error?.status == 503 && error?.attempts == 3)
        #expect(error?.apiError?.message == "Service Unavailable")
        #expect(server.requests.count == 3)
        await server.stop()
    }

    @Test("a server that is not there: transport errors, retried, then a typed error")
    func connectionRefused() async throws {
        let port = try FreePort.loopback()
        // An HTTP client that reports a refused connection at once (the shared one keeps
        // retrying the connection until the request times out).
        var httpConfiguration = HTTPClient.Configuration()
        httpConfiguration.connectionPool.retryConnectionEstablishment = false
        let http = HTTPClient(eventLoopGroupProvider: .singleton, configuration: httpConfiguration)
        let metrics = RecordingMetrics()
        let client = try DiscordRESTClient(
            configuration: TestClients.configuration(baseURL: "http://127.0.0.1:\(port)/api/v10", retries: 1),
            httpClient: http, logger: TestClients.quietLogger, metricsFactory: metrics
        )
        let error = await TestClients.error { _ = try await client.getGatewayBot() }
        #expect(error?.code == .transport && error?.attempts == 2 && error?.underlying != nil)
        #expect(metrics.counter("discord_rest_requests_total", [("route", "GET /gateway/bot"), ("status", "transport")]) == 2)
        #expect(metrics.counter("discord_rest_retries_total", [("route", "GET /gateway/bot"), ("reason", "transport")]) == 1)
        try await http.shutdown()
    }

    @Test("a slow answer times out: GETs are retried, POSTs are not (they may have taken effect)")
    func timeouts() async throws {
        let server = try await ScriptedDiscordServer.start { _ in ScriptedResponse(status: 204, delay: .seconds(3)) }
        var factory = MockFactory.random()
        let client = try TestClients.client(TestClients.configuration(baseURL: server.baseURL, retries: 1, requestTimeout: .milliseconds(500)))
        let get = await TestClients.error { _ = try await client.getGuildRoles(guildID: factory.snowflake()) }
        #expect(get?.code == .timeout && get?.attempts == 2)
        let post = await TestClients.error { _ = try await client.createDM(recipientID: factory.snowflake()) }
        #expect(post?.code == .timeout && post?.attempts == 1)
        #expect(post?.message.contains("may already have taken effect") == true)
        #expect(server.requests.count == 3)
        await server.stop()
    }

    @Test("a body that never finishes times out too")
    func bodyTimeout() async throws {
        let server = try await ScriptedDiscordServer.start { _ in
            ScriptedResponse(status: 200, headers: [("Content-Type", "application/json")], body: Data("{}".utf8), bodyDelay: .seconds(3))
        }
        var factory = MockFactory.random()
        let client = try TestClients.client(TestClients.configuration(baseURL: server.baseURL, retries: 0, requestTimeout: .milliseconds(500)))
        let error = await TestClients.error { _ = try await client.getMessage(channelID: factory.snowflake(), messageID: factory.snowflake()) }
        #expect(error?.code == .timeout && error?.attempts == 1)
        await server.stop()
    }

    @Test("Discord's error bodies become typed errors: 50013, nested 50035, 401 with code 0, and bodies that are not JSON")
    func errorBodies() async throws {
        let server = try await ScriptedDiscordServer.start { request in
            switch request.method {
            case "PUT": return .json(403, #"{"message": "Missing Permissions", "code": 50013}"#)
            case "POST":
                return .json(400, #"""
                {"code": 50035, "message": "Invalid Form Body", "errors": {
                  "content": {"_errors": [{"code": "BASE_TYPE_MAX_LENGTH", "message": "Must be 2000 or fewer in length."}]},
                  "embeds": {"0": {"title": {"_errors": [{"code": "BASE_TYPE_MAX_LENGTH", "message": "Must be 256 or fewer in length."}]}}}
                }}
                """#)
            case "GET": return .json(401, #"{"message": "401: Unauthorized", "code": 0}"#)
            default: return ScriptedResponse(status: 404, headers: [("Content-Type", "text/html")], body: Data("<h1>not found</h1>".utf8))
            }
        }
        var factory = MockFactory.random()
        let client = try TestClients.client(TestClients.configuration(baseURL: server.baseURL))
        let channel = factory.snowflake()

        let forbidden = await TestClients.error { try await client.addOwnReaction(channelID: channel, messageID: factory.snowflake(), emoji: "🎉") }
        #expect(forbidden?.code == .httpError && forbidden?.status == 403 && forbidden?.jsonCode == .missingPermissions)
        #expect(forbidden?.apiError?.message == "Missing Permissions" && forbidden?.attempts == 1)
        #expect(forbidden.map { "\($0)" }?.contains("50013") == true)

        let invalid = await TestClients.error { _ = try await client.createMessage(channelID: channel, CreateMessageRequest(content: "x")) }
        #expect(invalid?.status == 400 && invalid?.jsonCode == .invalidFormBody)
        let fields = invalid?.apiError?.errors?.flattened.map { "\($0.path)=\($0.error.code)" }
        #expect(fields == ["content=BASE_TYPE_MAX_LENGTH", "embeds.0.title=BASE_TYPE_MAX_LENGTH"])

        let unauthorized = await TestClients.error { _ = try await client.getGatewayBot() }
        #expect(unauthorized?.status == 401 && unauthorized?.jsonCode == .generalError)

        let notFound = await TestClients.error { try await client.removeOwnReaction(channelID: channel, messageID: factory.snowflake(), emoji: "name:123") }
        #expect(notFound?.code == .httpError && notFound?.status == 404 && notFound?.apiError == nil)
        #expect(server.requests.count == 4, "4xx other than 429 are never retried")
        #expect(server.requests[0].path.hasSuffix("/reactions/%F0%9F%8E%89/@me"))
        #expect(server.requests[3].path.hasSuffix("/reactions/name%3A123/@me"))
        await server.stop()
    }

    @Test("a success body that does not decode is a decoding error, with the status")
    func undecodableSuccess() async throws {
        let server = try await ScriptedDiscordServer.start { request in
            request.method == "PATCH" ? .json(200, "[1, 2]") : .json(200, #"{"not": "a guild"}"#)
        }
        var factory = MockFactory.random()
        let client = try TestClients.client(TestClients.configuration(baseURL: server.baseURL))
        let error = await TestClients.error { _ = try await client.getGuild(guildID: factory.snowflake()) }
        #expect(error?.code == .decoding && error?.status == 200 && error?.underlying != nil)
        let member = await TestClients.error {
            _ = try await client.modifyGuildMember(guildID: factory.snowflake(), userID: factory.snowflake(), ModifyGuildMemberRequest(nick: .value("n")))
        }
        #expect(member?.code == .decoding && member?.route == "PATCH /guilds/{guild_id}/members/{user_id}")
        await server.stop()
    }

    @Test("with the shared limiter down, nothing is sent and the error says so")
    func limiterUnavailable() async throws {
        let server = try await ScriptedDiscordServer.start { _ in .noContent() }
        var logger = Logger(label: "test.redis.down")
        logger.logLevel = .critical
        let redis = RedisClient(
            configuration: RedisConfiguration(port: try FreePort.loopback(), connectTimeout: .milliseconds(300), commandTimeout: .milliseconds(300)),
            logger: logger
        )
        var factory = MockFactory.random()
        let client = try TestClients.client(TestClients.configuration(baseURL: server.baseURL), store: RedisRESTRateLimitStore(client: redis))
        let error = await TestClients.error { try await client.deleteMessage(channelID: factory.snowflake(), messageID: factory.snowflake()) }
        #expect(error?.code == .limiterUnavailable && error?.attempts == 0 && error?.underlying is RedisError)
        #expect(server.requests.isEmpty)
        await redis.close()
        await server.stop()
    }

    @Test("a store that fails only on completion does not fail the request")
    func completionFailureIsLogged() async throws {
        let server = try await ScriptedDiscordServer.start { _ in .noContent() }
        var factory = MockFactory.random()
        let client = try TestClients.client(TestClients.configuration(baseURL: server.baseURL), store: FailingCompletionStore())
        try await client.deleteMessage(channelID: factory.snowflake(), messageID: factory.snowflake())
        #expect(server.requests.count == 1)
        await server.stop()
    }

    @Test("a cancelled call stops waiting and releases its reservation")
    func cancellation() async throws {
        let server = try await ScriptedDiscordServer.start { _ in ScriptedResponse(status: 204, delay: .seconds(5)) }
        var factory = MockFactory.random()
        let store = InProcessRESTRateLimitStore()
        let client = try TestClients.client(TestClients.configuration(baseURL: server.baseURL, requestTimeout: .seconds(8)), store: store)
        let (channel, message) = (factory.snowflake(), factory.snowflake())
        let call = Task { try await client.deleteMessage(channelID: channel, messageID: message) }
        let deadline = ContinuousClock.now + .seconds(3)
        while server.requests.isEmpty, ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(20)) }
        call.cancel()
        let result = await call.result
        #expect(throws: CancellationError.self) { try result.get() }
        // The probe was released: the next request on the bucket probes at once.
        let route = try DiscordRoute.message(.DELETE, channelID: channel, messageID: message)
        let next = try await store.acquire(RESTRateLimitRequest(
            identity: client.configuration.botIdentity, route: route.limiterRouteID, major: route.major.limiterSegment,
            countsTowardGlobalLimit: true, requestID: "after", policy: client.configuration.rateLimits
        ))
        guard case .granted(let ticket) = next else {
            Issue.record("expected the bucket to be free, got \(next)")
            return
        }
        #expect(ticket.isProbe)
        await server.stop()
    }
}

/// A store whose `complete` always fails (Redis lost between acquire and complete).
struct FailingCompletionStore: RESTRateLimitStore {
    let inner = InProcessRESTRateLimitStore()

    func acquire(_ request: RESTRateLimitRequest) async throws -> RESTRateLimitDecision {
        try await inner.acquire(request)
    }

    func complete(_ ticket: RESTRateLimitTicket, outcome: RESTRateLimitOutcome) async throws -> RESTRateLimitCompletion {
        throw GuildhallError(.unavailable, "store lost")
    }
}
