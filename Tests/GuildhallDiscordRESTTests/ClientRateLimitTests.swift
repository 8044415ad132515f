import Foundation
import GuildhallCore
import GuildhallDiscordModels
import GuildhallFixtures
import Synchronization
import Testing
@testable import GuildhallDiscordREST

/// The client against servers that limit like Discord. Assertions are counts on the server
/// side ("never more than N in any window"), never durations.
@Suite("REST client rate limits")
struct ClientRateLimitTests {
    /// A server where every route is one bucket per channel: `limit` per `window`, 429 beyond.
    static func bucketServer(_ buckets: ServerBuckets, limit: Int, window: Duration, hash: String = "msgs") async throws -> ScriptedDiscordServer {
        try await ScriptedDiscordServer.start { request in
            let major = request.path.split(separator: "/").dropFirst(3).first.map(String.init) ?? "none"
            let (allowed, headers, retryAfter) = buckets.take(hash: hash, major: major, limit: limit, window: window)
            guard allowed else { return .json(429, ServerBuckets.tooManyRequestsBody(retryAfter: retryAfter), headers: headers) }
            return .noContent(headers: headers)
        }
    }

    @Test("buckets are learnt from the headers: a burst is paced without a single 429")
    func bucketLearning() async throws {
        let buckets = ServerBuckets()
        let server = try await Self.bucketServer(buckets, limit: 3, window: .milliseconds(1_200))
        var factory = MockFactory.random()
        let metrics = RecordingMetrics()
        let client = try TestClients.client(TestClients.configuration(baseURL: server.baseURL), metrics: metrics)
        let channel = factory.snowflake()
        let messages = (0..<7).map { _ in factory.snowflake() }
        try await withThrowingTaskGroup(of: Void.self) { group in
            for message in messages {
                group.addTask { try await client.deleteMessage(channelID: channel, messageID: message) }
            }
            try await group.waitForAll()
        }
        #expect(buckets.refusedCount == 0, "the client never overran the bucket")
        #expect(server.requests.count == 7)
        #expect(metrics.total("discord_rest_limiter_waits_total") > 0)
        #expect(metrics.counter("discord_rest_requests_total", [("route", "DELETE /channels/{channel_id}/messages/{message_id}"), ("status", "204")]) == 7)
        await server.stop()
    }

    @Test("major parameters are separate buckets: one channel's exhausted budget does not hold another's")
    func majorParameters() async throws {
        let buckets = ServerBuckets()
        let server = try await Self.bucketServer(buckets, limit: 2, window: .seconds(3))
        var factory = MockFactory.random()
        let metrics = RecordingMetrics()
        let client = try TestClients.client(TestClients.configuration(baseURL: server.baseURL), metrics: metrics)
        let (first, second) = (factory.snowflake(), factory.snowflake())
        for channel in [first, first, second, second] {
            try await client.deleteMessage(channelID: channel, messageID: factory.snowflake())
        }
        #expect(metrics.total("discord_rest_limiter_waits_total") == 0, "two per channel fit without waiting")
        try await client.deleteMessage(channelID: first, messageID: factory.snowflake())
        #expect(metrics.counter("discord_rest_limiter_waits_total", [("route", "DELETE /channels/{channel_id}/messages/{message_id}"), ("reason", "bucket")]) >= 1)
        #expect(buckets.refusedCount == 0)
        await server.stop()
    }

    @Test("the global limit is never exceeded, by one client or by two sharing a Redis store", arguments: StoreKind.allCases)
    func globalLimit(kind: StoreKind) async throws {
        let server = try await ScriptedDiscordServer.start { _ in
            .noContent(headers: [("X-RateLimit-Limit", "1000"), ("X-RateLimit-Remaining", "999"), ("X-RateLimit-Reset-After", "60")])
        }
        let (firstStore, secondStore, close) = try kind.make()
        let configuration = TestClients.configuration(baseURL: server.baseURL, globalLimit: 8)
        let clients = [try TestClients.client(configuration, store: firstStore), try TestClients.client(configuration, store: secondStore)]
        var factory = MockFactory.random()
        let channels = (0..<24).map { _ in factory.snowflake() }
        try await withThrowingTaskGroup(of: Void.self) { group in
            for (index, channel) in channels.enumerated() {
                let client = clients[index % 2]
                group.addTask { try await client.deleteMessage(channelID: channel, messageID: channel) }
            }
            try await group.waitForAll()
        }
        #expect(server.requests.count == 24)
        #expect(server.maximumInAnyWindow(.seconds(1)) <= 8, "more than the global limit arrived within one second")
        await close()
        await server.stop()
    }

    @Test("interaction callbacks are exempt from the global limit and do not wait for it")
    func interactionsExempt() async throws {
        let server = try await ScriptedDiscordServer.start { _ in .noContent() }
        var factory = MockFactory.random()
        let metrics = RecordingMetrics()
        let client = try TestClients.client(TestClients.configuration(baseURL: server.baseURL, globalLimit: 2), metrics: metrics)
        try await withThrowingTaskGroup(of: Void.self) { group in
            for index in 0..<6 {
                let id = factory.snowflake()
                group.addTask { try await client.createInteractionResponse(interactionID: id, token: "token-\(index)", .reply("ok")) }
            }
            try await group.waitForAll()
        }
        #expect(server.requests.count == 6)
        #expect(metrics.counter("discord_rest_limiter_waits_total", [("route", "POST /interactions/{interaction_id}/{interaction_token}/callback"), ("reason", "global")]) == 0)
        await server.stop()
    }

    @Test("an interaction's callback skips the shared limiter, but a refused one still closes the invalid-request guard")
    func callbacksSkipTheLimiter() async throws {
        let refuse = HitCounter()
        let server = try await ScriptedDiscordServer.start { request in
            guard request.path.hasSuffix("/callback"), refuse.next() > 1 else { return .noContent() }
            return .json(401, #"{"message": "401: Unauthorized", "code": 0}"#)
        }
        var factory = MockFactory.random()
        let store = CountingStore()
        let client = try TestClients.client(TestClients.configuration(baseURL: server.baseURL, retries: 0, invalidBudget: 1), store: store)
        try await client.createInteractionResponse(interactionID: factory.snowflake(), token: "first", .reply("ok"))
        #expect(store.counts == (acquired: 0, completed: 0), "an answered callback asks the store nothing")
        let refused = await TestClients.error { try await client.createInteractionResponse(interactionID: factory.snowflake(), token: "second", .reply("no")) }
        #expect(refused?.status == 401)
        #expect(store.counts == (acquired: 0, completed: 1), "the 401 was recorded")
        // The budget of one invalid request is spent: the next bot request is not sent.
        let guarded = await TestClients.error { try await client.deleteMessage(channelID: factory.snowflake(), messageID: factory.snowflake()) }
        #expect(guarded?.code == .invalidRequestGuard)
        #expect(server.requests.count == 2)
        await server.stop()
    }

    @Test("Retry-After is honoured: the retry comes no sooner, and the call succeeds")
    func retryAfterHonoured() async throws {
        let attempts = HitCounter()
        let server = try await ScriptedDiscordServer.start { _ in
            guard attempts.next() > 1 else {
                return .json(429, ServerBuckets.tooManyRequestsBody(retryAfter: 1.0), headers: [("Retry-After", "1"), ("X-RateLimit-Scope", "user")])
            }
            return .noContent()
        }
        var factory = MockFactory.random()
        let metrics = RecordingMetrics()
        let client = try TestClients.client(TestClients.configuration(baseURL: server.baseURL), metrics: metrics)
        try await client.addGuildMemberRole(guildID: factory.snowflake(), userID: factory.snowflake(), roleID: factory.snowflake())
        #expect(server.requests.count == 2)
        #expect(server.maximumInAnyWindow(.milliseconds(1_000)) == 1, "the retry came sooner than Retry-After")
        #expect(metrics.total("discord_rest_rate_limited_total") == 1)
        #expect(metrics.counter("discord_rest_retries_total", [("route", "PUT /guilds/{guild_id}/members/{user_id}/roles/{role_id}"), ("reason", "rate_limited")]) == 1)
        #expect(metrics.total("discord_rest_invalid_requests_total") == 1)
        await server.stop()
    }

    @Test("a global 429 pauses the bot's other requests through the shared store", arguments: StoreKind.allCases)
    func globalPause(kind: StoreKind) async throws {
        let attempts = HitCounter()
        let server = try await ScriptedDiscordServer.start { _ in
            guard attempts.next() > 1 else {
                return .json(429, ServerBuckets.tooManyRequestsBody(retryAfter: 1.5, global: true), headers: [("X-RateLimit-Global", "true"), ("X-RateLimit-Scope", "global")])
            }
            return .noContent()
        }
        let (store, otherProcess, close) = try kind.make()
        let configuration = TestClients.configuration(baseURL: server.baseURL)
        let client = try TestClients.client(configuration, store: store)
        var factory = MockFactory.random()
        let (guild, user) = (factory.snowflake(), factory.snowflake())
        let call = Task { try await client.removeGuildBan(guildID: guild, userID: user) }
        // While the first call waits out its global 429, another process of the same bot is paused.
        let deadline = ContinuousClock.now + .seconds(3)
        var paused = false
        while ContinuousClock.now < deadline, !paused {
            let probe = RESTRateLimitRequest(
                identity: configuration.botIdentity, route: "GET.elsewhere", major: "g1", countsTowardGlobalLimit: true,
                requestID: "probe", policy: configuration.rateLimits
            )
            if case .wait(_, .globalPause) = try await otherProcess.acquire(probe) { paused = true }
            try await Task.sleep(for: .milliseconds(20))
        }
        #expect(paused, "no process saw the global pause")
        try await call.value
        #expect(server.requests.count == 2)
        await close()
        await server.stop()
    }

    @Test("under a 429 storm the client never exceeds a limit and gives up with a typed error")
    func storm() async throws {
        let server = try await ScriptedDiscordServer.start { request in
            let major = request.path.split(separator: "/").dropFirst(3).first.map(String.init) ?? "none"
            return .json(429, ServerBuckets.tooManyRequestsBody(retryAfter: 0.5), headers: [
                ("X-RateLimit-Limit", "5"), ("X-RateLimit-Remaining", "0"), ("X-RateLimit-Reset-After", "0.5"),
                ("X-RateLimit-Bucket", "storm"), ("X-RateLimit-Scope", "user"), ("Retry-After", "1"), ("X-Major", major),
            ])
        }
        var factory = MockFactory.random()
        let metrics = RecordingMetrics()
        let configuration = TestClients.configuration(baseURL: server.baseURL, retries: 2, globalLimit: 10, maximumRateLimitWait: .seconds(3))
        let client = try TestClients.client(configuration, metrics: metrics)
        let shared = factory.snowflake()
        let channels = (0..<6).map { _ in shared } + (0..<6).map { _ in factory.snowflake() }
        let errors = await withTaskGroup(of: DiscordRESTError?.self) { group in
            for channel in channels {
                let message = factory.snowflake()
                group.addTask { await TestClients.error { try await client.deleteMessage(channelID: channel, messageID: message) } }
            }
            return await group.reduce(into: [DiscordRESTError?]()) { $0.append($1) }
        }
        #expect(errors.count == 12)
        for error in errors {
            #expect(error?.code == .rateLimited, "\(String(describing: error))")
            #expect((error?.attempts ?? 99) <= 3, "more attempts than the retry budget allows")
            #expect(error?.retryAfter != nil)
        }
        #expect(errors.contains { $0?.status == 429 && $0?.attempts == 3 }, "some call spent its whole retry budget")
        for channel in Set(channels) {
            let count = server.maximumInAnyWindow(.milliseconds(450)) { $0.path.contains("/channels/\(channel)/") }
            #expect(count <= 1, "channel \(channel) got \(count) requests within one 429 window")
        }
        #expect(server.maximumInAnyWindow(.seconds(1)) <= 10)
        #expect(metrics.total("discord_rest_rate_limited_total") == Int64(server.requests.count))
        await server.stop()
    }

    @Test("the invalid-request guard trips at its budget and refuses without sending")
    func invalidGuard() async throws {
        let server = try await ScriptedDiscordServer.start { _ in
            .json(403, #"{"message": "Missing Permissions", "code": 50013}"#)
        }
        var factory = MockFactory.random()
        let metrics = RecordingMetrics()
        let client = try TestClients.client(TestClients.configuration(baseURL: server.baseURL, invalidBudget: 3), metrics: metrics)
        let guild = factory.snowflake()
        for _ in 0..<3 {
            let error = await TestClients.error { try await client.removeGuildMember(guildID: guild, userID: factory.snowflake()) }
            #expect(error?.code == .httpError && error?.status == 403 && error?.jsonCode == .missingPermissions)
        }
        let refused = await TestClients.error { try await client.removeGuildMember(guildID: guild, userID: factory.snowflake()) }
        #expect(refused?.code == .invalidRequestGuard && refused?.attempts == 0)
        #expect((refused?.retryAfter ?? .zero) > .seconds(30))
        #expect(server.requests.count == 3)
        #expect(metrics.total("discord_rest_invalid_requests_total") == 3)
        #expect(metrics.values("discord_rest_invalid_requests_window") == [1, 2, 3])
        #expect(metrics.total("discord_rest_invalid_guard_trips_total") == 1)
        await server.stop()
    }
}

/// A thread-safe counter for scripted handlers ("the first request gets a 429").
final class HitCounter: Sendable {
    private let value = Mutex(0)

    /// Increments and returns the new value (1 for the first call).
    func next() -> Int { value.withLock { $0 += 1; return $0 } }
}

/// The in-process store, counting what the client asks of it.
final class CountingStore: RESTRateLimitStore, Sendable {
    let inner = InProcessRESTRateLimitStore()
    private let tally = Mutex((acquired: 0, completed: 0))

    var counts: (acquired: Int, completed: Int) { tally.withLock { $0 } }

    func acquire(_ request: RESTRateLimitRequest) async throws -> RESTRateLimitDecision {
        tally.withLock { $0.acquired += 1 }
        return try await inner.acquire(request)
    }

    func complete(_ ticket: RESTRateLimitTicket, outcome: RESTRateLimitOutcome) async throws -> RESTRateLimitCompletion {
        tally.withLock { $0.completed += 1 }
        return try await inner.complete(ticket, outcome: outcome)
    }
}
