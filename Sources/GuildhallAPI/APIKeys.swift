import GuildhallCore

/// The API's Redis keys. Per-address limits are platform keys (guild 0); per-user and
/// per-guild limits arrive with sessions and guild routes.
public enum APIKeys {
    /// `bot:{0}:api:ratelimit-ip:<address>`: requests from one address in the current window.
    public static let addressLimit = RedisKeyKind(
        feature: "api", name: "ratelimit-ip", lifetime: .expiring(.seconds(60)),
        cleanup: "expires with its window", parts: ["address"]
    )

    public static var all: [RedisKeyKind] { [addressLimit] }
}
