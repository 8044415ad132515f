import GuildhallCore
import GuildhallDiscordModels

/// Every failure of a REST call: a code saying what kind, the route (template only, never a
/// token), and whatever Discord said: status, JSON error code, message, field errors and,
/// for rate limits, how long to wait.
public struct DiscordRESTError: Error, CustomStringConvertible, Sendable {
    public struct Code: Hashable, Sendable, CustomStringConvertible, ExpressibleByStringLiteral {
        public let rawValue: String
        public init(_ rawValue: String) { self.rawValue = rawValue }
        public init(stringLiteral value: String) { self.rawValue = value }
        public var description: String { rawValue }

        /// Discord refused the request (a 4xx other than 429): see `apiError`.
        public static let httpError: Code = "http_error"
        /// 429s used up the retry budget, or the limiter would have had to wait longer than
        /// `RetryPolicy.maximumRateLimitWait`: see `retryAfter`.
        public static let rateLimited: Code = "rate_limited"
        /// 5xx responses used up the retry budget.
        public static let serverError: Code = "server_error"
        /// An attempt took longer than the request timeout (and was not retried, or the
        /// retries timed out too).
        public static let timeout: Code = "timeout"
        /// The connection failed (refused, reset, closed early) on every attempt allowed.
        public static let transport: Code = "transport"
        /// The invalid-request guard is closed: too many 401/403/429 in its window.
        public static let invalidRequestGuard: Code = "invalid_request_guard"
        /// The rate-limit store could not be reached (e.g. Redis is down): nothing was sent.
        public static let limiterUnavailable: Code = "limiter_unavailable"
        /// The request was malformed before sending (bad reason, route or body): nothing was sent.
        public static let invalidRequest: Code = "invalid_request"
        /// Discord answered with a success the client could not decode.
        public static let decoding: Code = "decoding"
    }

    public var code: Code
    public var message: String
    /// `POST /channels/{channel_id}/messages`.
    public var route: String
    /// The last HTTP status, when a response came back.
    public var status: Int?
    /// Discord's error body, when the response had one.
    public var apiError: DiscordAPIErrorBody?
    /// For rate limits and the invalid-request guard: how long until trying again makes sense.
    public var retryAfter: Duration?
    /// Attempts sent to Discord (0 when refused before sending).
    public var attempts: Int
    public var underlying: (any Error & Sendable)?

    public init(
        _ code: Code, _ message: String, route: String, status: Int? = nil, apiError: DiscordAPIErrorBody? = nil,
        retryAfter: Duration? = nil, attempts: Int = 0, underlying: (any Error & Sendable)? = nil
    ) {
        self.code = code
        self.message = message
        self.route = route
        self.status = status
        self.apiError = apiError
        self.retryAfter = retryAfter
        self.attempts = attempts
        self.underlying = underlying
    }

    /// Discord's JSON error code (`50013` Missing Permissions, `50035` Invalid Form Body, …).
    public var jsonCode: DiscordJSONErrorCode? { apiError?.code }

    public var description: String {
        var text = "\(code) on \(route): \(message)"
        if let status { text += " [HTTP \(status)]" }
        if let apiError { text += " [Discord \(apiError.code.rawValue): \(apiError.message)]" }
        if let retryAfter { text += " [retry after \(retryAfter.compactDescription)]" }
        if let underlying { text += " (\(underlying))" }
        return text
    }
}
