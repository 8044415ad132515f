/// The body of a 429: how long to wait and whether the global limit was hit.
public struct DiscordRateLimitBody: Codable, Hashable, Sendable {
    public var message: String
    /// Seconds, fractional.
    public var retryAfter: Double
    public var global: Bool
    public var code: DiscordJSONErrorCode?

    public init(message: String = "You are being rate limited.", retryAfter: Double, global: Bool, code: DiscordJSONErrorCode? = nil) {
        self.message = message
        self.retryAfter = retryAfter
        self.global = global
        self.code = code
    }

    enum CodingKeys: String, CodingKey {
        case message, global, code
        case retryAfter = "retry_after"
    }
}
