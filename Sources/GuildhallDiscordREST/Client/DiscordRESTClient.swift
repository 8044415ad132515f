import AsyncHTTPClient
import CoreMetrics
import Foundation
import GuildhallCore
import Logging

/// Guildhall's Discord REST client, on AsyncHTTPClient.
///
/// Every call goes through the same path (`DiscordRESTClient+Execution`): the limiter
/// (`RESTRateLimitStore`) grants it a place or says how long to wait; the request goes out
/// with `Authorization`, `User-Agent`, a JSON or form body and the percent-encoded
/// `X-Audit-Log-Reason`; the response's rate-limit headers go back to the limiter; 429s are
/// retried after `retry_after`, 5xx and transport failures after an exponential backoff with
/// jitter, until the retry budget is spent; Discord's error bodies become `DiscordRESTError`s.
///
/// ```swift
/// let client = try DiscordRESTClient(
///     configuration: DiscordRESTConfiguration(token: token, baseURL: "http://127.0.0.1:8080/api/v10"),
///     store: RedisRESTRateLimitStore(client: redis)
/// )
/// let message = try await client.createMessage(channelID: channel, MessageCreate(content: "hi"))
/// ```
public final class DiscordRESTClient: Sendable {
    public let configuration: DiscordRESTConfiguration
    public let store: any RESTRateLimitStore
    let httpClient: HTTPClient
    let logger: Logger
    let metrics: DiscordRESTMetrics
    /// A number in 0...1 for backoff jitter; injectable so tests can pin it.
    let jitter: @Sendable () -> Double

    /// - Parameters:
    ///   - configuration: base URL, token and limits; validated here.
    ///   - store: where rate-limit state lives; in this process unless given a shared one.
    ///   - httpClient: the AsyncHTTPClient to send with (the shared singleton by default; a
    ///     client passed in is not shut down by this one).
    ///   - metricsFactory: where metrics go (the bootstrapped `MetricsSystem` by default).
    public init(
        configuration: DiscordRESTConfiguration,
        store: any RESTRateLimitStore = InProcessRESTRateLimitStore(),
        httpClient: HTTPClient = .shared,
        logger: Logger = Logger(label: "guildhall.discord.rest"),
        metricsFactory: (any MetricsFactory)? = nil,
        jitter: @escaping @Sendable () -> Double = { Double.random(in: 0...1) }
    ) throws {
        try configuration.validate()
        self.configuration = configuration
        self.store = store
        self.httpClient = httpClient
        self.logger = logger
        self.metrics = DiscordRESTMetrics(factory: metricsFactory)
        self.jitter = jitter
    }

    /// The identity whose budget a request spends: the bot's, or the OAuth2 user's for
    /// Bearer calls (a user token has limits of its own).
    func limiterIdentity(for authorization: RESTAuthorization) -> String {
        switch authorization {
        case .bearer(let token): return "user-\(TokenDigest.hex(token))"
        case .bot, .basic, .none: return configuration.botIdentity
        }
    }

    /// Sends a request and decodes a JSON response as `Response`.
    public func send<Response: Decodable>(_ request: DiscordRESTRequest, as type: Response.Type = Response.self) async throws -> Response {
        let response = try await send(request)
        do {
            return try JSONDecoder().decode(Response.self, from: response.body)
        } catch {
            throw DiscordRESTError(
                .decoding, "the response could not be decoded as \(Response.self)", route: request.route.description,
                status: response.status, underlying: error
            )
        }
    }
}
