import GuildhallCore

/// The top-level resource of a route. Discord keeps separate rate-limit buckets per major
/// parameter (FACTS §3.2): the same bucket hash on two channels is two budgets.
public enum MajorParameter: Sendable, Hashable, CustomStringConvertible {
    case none
    case channel(Snowflake)
    case guild(Snowflake)
    /// A webhook addressed by id and token (interaction follow-ups are webhooks whose id is
    /// the application and whose token is the interaction's).
    case webhook(Snowflake, token: String)
    /// An interaction callback: each interaction is its own resource.
    case interaction(Snowflake, token: String)

    /// The part of a limiter key that names this resource. Tokens are secrets and can be
    /// hundreds of characters long, so only a digest of them goes into keys.
    public var limiterSegment: String {
        switch self {
        case .none: return "none"
        case .channel(let id): return "c\(id.rawValue)"
        case .guild(let id): return "g\(id.rawValue)"
        case .webhook(let id, let token): return "w\(id.rawValue)-\(TokenDigest.hex(token))"
        case .interaction(let id, let token): return "i\(id.rawValue)-\(TokenDigest.hex(token))"
        }
    }

    /// Safe for logs: never contains a token.
    public var description: String {
        switch self {
        case .none: return "none"
        case .channel(let id): return "channel \(id)"
        case .guild(let id): return "guild \(id)"
        case .webhook(let id, _): return "webhook \(id)"
        case .interaction(let id, _): return "interaction \(id)"
        }
    }
}

/// A short, stable digest of a secret (a bot, webhook or interaction token) for use in
/// limiter keys and metrics: 64-bit FNV-1a, hex. Not a cryptographic hash; it only has to
/// tell tokens apart and keep the secret itself out of Redis and logs.
public enum TokenDigest {
    public static func hex(_ secret: String) -> String {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in secret.utf8 {
            hash ^= UInt64(byte)
            hash = hash &* 0x0000_0100_0000_01b3
        }
        let digits = String(hash, radix: 16)
        return String(repeating: "0", count: 16 - digits.count) + digits
    }
}
