/// RATE_LIMITED: a gateway command was refused for now (e.g. a full member request per
/// guild per 30 s). `retryAfter` is in seconds.
public struct GatewayRateLimited: Codable, Hashable, Sendable {
    public var opcode: GatewayOpcode
    public var retryAfter: Double
    /// `{guild_id, nonce?}` for op 8.
    public var meta: JSONValue?

    public init(opcode: GatewayOpcode, retryAfter: Double, meta: JSONValue? = nil) {
        self.opcode = opcode
        self.retryAfter = retryAfter
        self.meta = meta
    }

    enum CodingKeys: String, CodingKey {
        case opcode, meta
        case retryAfter = "retry_after"
    }
}
