import Foundation
import GuildhallCore
import GuildhallDiscordModels
import GuildhallFixtures
import Logging
import GuildhallTestSupport
import Testing
@testable import GuildhallDiscordREST

/// Clients wired for tests: small limits, short timeouts, quiet logs, a unique limiter
/// identity (tests share one Redis) and a metrics recorder.
enum TestClients {
    /// Shaped like a bot token (three dot-separated parts) but made up.
    static let token = "MTAwMDAwMDAwMDAwMDAwMDAw.GhTest.mock-token-not-real"

    /// Every client test logs at `trace` into one capture, so every log statement runs.
    static let logs = LogRecorder()

    static var quietLogger: Logger { logs.logger() }

    static func configuration(
        baseURL: String, retries: Int = 3, globalLimit: Int = 50, invalidBudget: Int = 100,
        requestTimeout: Duration = .seconds(3), maximumRateLimitWait: Duration = .seconds(20), identity: String = StoreKind.uniqueIdentity()
    ) -> DiscordRESTConfiguration {
        DiscordRESTConfiguration(
            token: token, baseURL: baseURL, userAgentURL: "https://example.invalid/guildhall", userAgentVersion: "9.9.9",
            requestTimeout: requestTimeout,
            retry: RetryPolicy(maximumRetries: retries, initialBackoff: .milliseconds(50), maximumBackoff: .milliseconds(400), maximumRateLimitWait: maximumRateLimitWait),
            rateLimits: RESTRateLimitPolicy(
                globalLimit: globalLimit, globalWindow: .seconds(1), invalidRequestBudget: invalidBudget,
                invalidRequestWindow: .seconds(60), reservationTimeout: .seconds(10), probePollInterval: .milliseconds(20)
            ),
            limiterIdentity: identity
        )
    }

    static func client(
        _ configuration: DiscordRESTConfiguration, store: any RESTRateLimitStore = InProcessRESTRateLimitStore(),
        metrics: RecordingMetrics = RecordingMetrics(), jitter: Double = 1, logs: LogRecorder = TestClients.logs
    ) throws -> DiscordRESTClient {
        try DiscordRESTClient(configuration: configuration, store: store, logger: logs.logger(), metricsFactory: metrics, jitter: { jitter })
    }

    /// Runs `body` and returns the `DiscordRESTError` it threw (recording an issue otherwise).
    static func error(
        sourceLocation: SourceLocation = #_sourceLocation, _ body: () async throws -> Void
    ) async -> DiscordRESTError? {
        do {
            try await body()
            Issue.record("expected a DiscordRESTError, but the call succeeded", sourceLocation: sourceLocation)
        } catch let error as DiscordRESTError {
            return error
        } catch {
            Issue.record("expected a DiscordRESTError, got \(error)", sourceLocation: sourceLocation)
        }
        return nil
    }
}

/// Model values built from mock snowflakes, and their JSON, for scripted responses.
struct DiscordFixtures {
    var factory = MockFactory.random()

    static let timestamp = DiscordTimestamp(millisecondsSinceEpoch: Int64(MockFactory.referenceNowMilliseconds))

    mutating func user(bot: Bool = false) -> User {
        let id = factory.snowflake()
        return User(id: id, username: "user\(id.rawValue % 10_000)", discriminator: "0", bot: bot)
    }

    mutating func message(channelID: Snowflake, content: String = "hello") -> Message {
        Message(id: factory.snowflake(), channelID: channelID, author: user(bot: true), content: content, timestamp: Self.timestamp)
    }

    mutating func member(roles: [Snowflake] = []) -> GuildMember {
        GuildMember(user: user(), roles: roles, joinedAt: Self.timestamp)
    }

    mutating func role(position: Int = 1) -> Role {
        Role(id: factory.snowflake(), name: "role", position: position, permissions: Permissions(rawValue: 1024))
    }

    static func json(_ value: some Encodable) -> String {
        String(decoding: try! JSONEncoder().encode(value), as: UTF8.self)
    }
}
