import GuildhallCore

/// The Redis keys of the shared REST limiter. They are platform keys (guild 0): a bot's
/// budget belongs to its token, not to one guild, and all of them share the `{0}` hash slot,
/// so every limiter script runs on one cluster node.
public enum RESTRateLimitKeys {
    public static let feature = "discordrest"

    /// Route → bucket hash as Discord last named it (`X-RateLimit-Bucket`).
    public static let routeBucket = RedisKeyKind(
        feature: feature, name: "route", lifetime: .expiring(.seconds(86_400)),
        cleanup: "TTL, refreshed whenever a response names the bucket again", parts: ["route"]
    )

    /// One bucket's state (a hash: known, limit, remaining, reset_at, inflight, inflight_until,
    /// probe_until) per identity and major parameter.
    public static let bucket = RedisKeyKind(
        feature: feature, name: "bucket", lifetime: .expiring(.seconds(86_400)),
        cleanup: "TTL: until the later of the window's reset and the last reservation's lapse, plus a second; at most a day",
        parts: ["identity", "bucket", "major"]
    )

    /// The global sliding window (a sorted set: request id → time its slot is held until).
    public static let global = RedisKeyKind(
        feature: feature, name: "global", lifetime: .expiring(.seconds(600)),
        cleanup: "TTL: the latest slot's end plus a second; expired slots are removed on every acquire",
        parts: ["identity"]
    )

    /// Set while a global 429 pauses every request (value: the pause's end).
    public static let pause = RedisKeyKind(
        feature: feature, name: "pause", lifetime: .expiring(.seconds(600)),
        cleanup: "TTL: the 429's retry_after, at most ten minutes", parts: ["identity"]
    )

    /// Invalid requests (401, 403, non-shared 429) counted in the current window.
    public static let invalid = RedisKeyKind(
        feature: feature, name: "invalid", lifetime: .expiring(maximumInvalidWindow),
        cleanup: "TTL: the window, set by the first invalid request in it", parts: ["identity"]
    )

    public static var all: [RedisKeyKind] { [routeBucket, bucket, global, pause, invalid] }

    /// The longest invalid-request window a policy may configure (the key kind's TTL).
    public static let maximumInvalidWindow: Duration = .seconds(3_600)

    /// A bucket id for a route whose hash is not known yet.
    static func routeBucketID(_ route: String) -> String { "r.\(route)" }
    /// A bucket id for a hash Discord named.
    static func hashBucketID(_ hash: String) -> String { "h.\(hash)" }

    /// Letters, digits, `_`, `-` and `.`, 1–128 bytes: what `RedisKeyKind` accepts as a part.
    static func isKeySegment(_ text: String) -> Bool {
        !text.isEmpty && text.utf8.count <= 128
            && text.utf8.allSatisfy { $0.isASCIIAlphanumeric || $0 == UInt8(ascii: "_") || $0 == UInt8(ascii: "-") || $0 == UInt8(ascii: ".") }
    }
}
