import Foundation
import GuildhallCore

/// Everything a `DiscordRESTClient` needs to know: where Discord is, who the bot is, and how
/// patient and how careful to be.
public struct DiscordRESTConfiguration: Sendable {
    /// The real Discord, API v10.
    public static let discordBaseURL = "https://discord.com/api/v10"

    /// `https://discord.com/api/v10`, or the sandbox's `http://127.0.0.1:<port>/api/v10`.
    public var baseURL: String
    /// The bot token, without the `Bot ` prefix.
    public var token: String
    /// The two parts of `User-Agent: DiscordBot (<url>, <version>)`.
    public var userAgentURL: String
    public var userAgentVersion: String
    /// The longest one attempt may take, from sending to the last byte of the response.
    public var requestTimeout: Duration
    public var retry: RetryPolicy
    public var rateLimits: RESTRateLimitPolicy
    /// Whose budget this client spends in a shared store. Defaults to a digest of the token,
    /// so every process with the same bot token shares one budget.
    public var limiterIdentity: String?
    /// Larger responses are refused (a misbehaving server cannot exhaust memory).
    public var maximumResponseBytes: Int

    public init(
        token: String,
        baseURL: String = DiscordRESTConfiguration.discordBaseURL,
        userAgentURL: String = "https://github.com/guildhall/guildhall",
        userAgentVersion: String = GuildhallVersion.current,
        requestTimeout: Duration = .seconds(15),
        retry: RetryPolicy = RetryPolicy(),
        rateLimits: RESTRateLimitPolicy = RESTRateLimitPolicy(),
        limiterIdentity: String? = nil,
        maximumResponseBytes: Int = 16 * 1024 * 1024
    ) {
        self.token = token
        self.baseURL = baseURL
        self.userAgentURL = userAgentURL
        self.userAgentVersion = userAgentVersion
        self.requestTimeout = requestTimeout
        self.retry = retry
        self.rateLimits = rateLimits
        self.limiterIdentity = limiterIdentity
        self.maximumResponseBytes = maximumResponseBytes
    }

    /// `DiscordBot (<url>, <version>)`, as Discord requires.
    public var userAgent: String { "DiscordBot (\(userAgentURL), \(userAgentVersion))" }

    /// The identity requests authorised as the bot are limited under.
    public var botIdentity: String { limiterIdentity ?? "bot-\(TokenDigest.hex(token))" }

    /// The base URL without a trailing slash.
    var normalizedBaseURL: String {
        var url = baseURL
        while url.hasSuffix("/") { url.removeLast() }
        return url
    }

    /// Throws `invalid_configuration` naming the first thing that cannot work.
    public func validate() throws {
        guard let url = URL(string: normalizedBaseURL), let scheme = url.scheme?.lowercased(), ["http", "https"].contains(scheme),
              url.host?.isEmpty == false, url.query == nil, url.fragment == nil else {
            throw GuildhallError(.invalidConfiguration, "base URL '\(baseURL)' must be an absolute http(s) URL without query or fragment")
        }
        guard !token.isEmpty, !token.hasPrefix("Bot "), token.unicodeScalars.allSatisfy({ $0.isASCII && $0.value > 0x20 && $0.value < 0x7F }) else {
            throw GuildhallError(.invalidConfiguration, "the bot token must be non-empty printable ASCII without the 'Bot ' prefix")
        }
        for (name, value) in [("user agent URL", userAgentURL), ("user agent version", userAgentVersion)] {
            guard !value.isEmpty, !value.contains(where: { $0 == "(" || $0 == ")" || $0 == "," || $0.isNewline }) else {
                throw GuildhallError(.invalidConfiguration, "\(name) '\(value)' must be non-empty without parentheses, commas or newlines")
            }
        }
        guard requestTimeout >= .milliseconds(10), requestTimeout <= .seconds(300) else {
            throw GuildhallError(.invalidConfiguration, "request timeout must be 10ms...300s, got \(requestTimeout)")
        }
        guard rateLimits.reservationTimeout >= requestTimeout else {
            throw GuildhallError(.invalidConfiguration, "the limiter's reservation timeout (\(rateLimits.reservationTimeout)) must be at least the request timeout (\(requestTimeout))")
        }
        if let limiterIdentity, !RESTRateLimitKeys.isKeySegment(limiterIdentity) || limiterIdentity.utf8.count > 64 {
            throw GuildhallError(.invalidConfiguration, "limiter identity '\(limiterIdentity)' must be a plain key segment of at most 64 characters")
        }
        guard maximumResponseBytes >= 1024 else {
            throw GuildhallError(.invalidConfiguration, "maximum response size must be at least 1024 bytes")
        }
        try retry.validate()
        try rateLimits.validate()
    }
}
