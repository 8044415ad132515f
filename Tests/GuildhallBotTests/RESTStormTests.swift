import Foundation
import GuildhallCore
import GuildhallDatabaseTestSupport
import GuildhallDiscordModels
import GuildhallDiscordREST
import GuildhallRedis
import GuildhallSandbox
import GuildhallTestSupport
import Logging
import Testing

/// The REST client against the sandbox with Discord-like limits, over real sockets: the
/// sandbox's own limiter is the referee, so a client that overran a bucket or the global
/// limit would see it answer 429 on its own account (counted apart from injected faults).
@Suite("REST client under a sandbox 429 storm")
struct RESTStormTests {
    static func sandbox() async throws -> (SandboxServer, SandboxEndpoints) {
        let sandbox = try SandboxServer(configuration: SandboxConfiguration(
            seed: UInt64.random(in: 1...UInt64(UInt32.max)), guildCount: 2, membersPerGuild: 5,
            rateLimits: .discordLike, logger: TestDatabase.quietLogger
        ))
        return (sandbox, try await sandbox.start())
    }

    static func client(_ sandbox: SandboxServer, _ endpoints: SandboxEndpoints, store: any RESTRateLimitStore, retries: Int = 3) throws -> DiscordRESTClient {
        let token = sandbox.world.read { $0.application.token }
        var configuration = DiscordRESTConfiguration(token: token, baseURL: endpoints.apiBaseURL.absoluteString)
        configuration.retry = RetryPolicy(maximumRetries: retries, initialBackoff: .milliseconds(20), maximumBackoff: .milliseconds(200))
        return try DiscordRESTClient(configuration: configuration, store: store, logger: TestDatabase.quietLogger)
    }

    @Test("two clients sharing one Redis budget ride out a storm: every message posted once, no 429 of the sandbox's own")
    func stormWithSharedBudget() async throws {
        let (sandbox, endpoints) = try await Self.sandbox()
        let redis = RedisClient(configuration: try RedisConfiguration(url: try TestEnvironment.redisURL()), logger: TestDatabase.quietLogger)
        // A budget larger than the storm: one request may meet every injected 429 in turn.
        let first = try Self.client(sandbox, endpoints, store: RedisRESTRateLimitStore(client: redis), retries: 8)
        let second = try Self.client(sandbox, endpoints, store: RedisRESTRateLimitStore(client: redis), retries: 8)
        let channel = sandbox.world.read { state in
            state.orderedGuilds[0].channelIDs.compactMap { state.channels[$0] }.first { $0.name == "general" }!.id
        }
        // Eight injected 429s on the message route, with a user-scoped retry_after as Discord sends.
        _ = try sandbox.control.addFault(SandboxRESTFault(
            kind: .rateLimit, route: "POST /channels/{channel_id}/messages", remaining: 8, retryAfter: 0.3, scope: "user"
        ))
        let before = sandbox.control.restStatistics

        try await withThrowingTaskGroup(of: Void.self) { group in
            for index in 0..<10 {
                let client = index.isMultiple(of: 2) ? first : second
                group.addTask { _ = try await client.createMessage(channelID: channel, CreateMessageRequest(content: "storm \(index)")) }
            }
            // Beside them, more reads than the global limit allows in one second.
            for index in 0..<70 {
                let client = index.isMultiple(of: 2) ? first : second
                group.addTask { _ = try await client.getCurrentUser() }
            }
            try await group.waitForAll()
        }

        let after = sandbox.control.restStatistics
        #expect(after.faulted - before.faulted == 8, "the storm's eight 429s were all met")
        #expect(after.rateLimited - before.rateLimited == 0, "the client never overran a bucket or the global limit")
        let posted = sandbox.world.read { state in
            (state.channelMessages[channel] ?? []).compactMap { state.messages[$0]?.content }.filter { $0.hasPrefix("storm ") }
        }
        #expect(posted.count == 10 && Set(posted).count == 10, "each message posted exactly once: \(posted.sorted())")
        await redis.close()
        await sandbox.stop()
    }

    @Test("a storm longer than the retry budget ends in a typed rate_limited error after exactly the budget's attempts")
    func stormOutlastsTheBudget() async throws {
        let (sandbox, endpoints) = try await Self.sandbox()
        let client = try Self.client(sandbox, endpoints, store: InProcessRESTRateLimitStore(), retries: 2)
        let channel = sandbox.world.read { state in
            state.orderedGuilds[0].channelIDs.compactMap { state.channels[$0] }.first { $0.name == "general" }!.id
        }
        _ = try sandbox.control.addFault(SandboxRESTFault(
            kind: .rateLimit, route: "POST /channels/{channel_id}/messages", retryAfter: 0.1, scope: "user"
        ))
        let before = sandbox.control.restStatistics
        do {
            _ = try await client.createMessage(channelID: channel, CreateMessageRequest(content: "never"))
            Issue.record("a message went through an endless storm")
        } catch let error as DiscordRESTError {
            #expect(error.code == .rateLimited)
            #expect(error.attempts == 3, "one attempt and two retries")
            #expect(error.retryAfter != nil)
        }
        let after = sandbox.control.restStatistics
        #expect(after.faulted - before.faulted == 3)
        #expect(after.rateLimited - before.rateLimited == 0)
        let stored = sandbox.world.read { state in (state.channelMessages[channel] ?? []).compactMap { state.messages[$0]?.content } }
        #expect(!stored.contains("never"))
        await sandbox.stop()
    }
}
