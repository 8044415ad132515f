import GuildhallCore

/// The API's Redis keys: per-address limits and sessions are platform keys (guild 0); a
/// user's access to a guild lives under that guild.
public enum APIKeys {
    /// `bot:{0}:api:ratelimit-ip:<address>`: requests from one address in the current window.
    public static let addressLimit = RedisKeyKind(
        feature: "api", name: "ratelimit-ip", lifetime: .expiring(.seconds(60)),
        cleanup: "expires with its window", parts: ["address"]
    )

    /// `bot:{0}:api:session:<sessionId>`: a logged-in session; deleted at logout, else it
    /// expires with the session.
    public static let session = RedisKeyKind(
        feature: "api", name: "session", lifetime: .expiring(SessionSettings.maximumLifetime),
        cleanup: "deleted at logout; otherwise expires with the session", parts: ["session"]
    )

    /// `bot:{<guildId>}:api:access:<userId>`: what a user may do in a guild, as Discord and
    /// the grants said a moment ago. Seconds, not minutes: whoever loses access loses it
    /// almost at once, and a grant change deletes it at once.
    public static let guildAccess = RedisKeyKind(
        feature: "api", name: "access", lifetime: .expiring(.seconds(10)),
        cleanup: "expires after 10 s; deleted when the guild's grants change", parts: ["user"]
    )

    /// `bot:{0}:api:ratelimit-user:<userId>`: one user's requests in the current window.
    public static let userLimit = RedisKeyKind(
        feature: "api", name: "ratelimit-user", lifetime: .expiring(.seconds(60)), cleanup: "expires with its window", parts: ["user"]
    )

    /// `bot:{<guildId>}:api:ratelimit-guild`: requests about one guild in the current window.
    public static let guildLimit = RedisKeyKind(
        feature: "api", name: "ratelimit-guild", lifetime: .expiring(.seconds(60)), cleanup: "expires with its window"
    )

    public static var all: [RedisKeyKind] { [addressLimit, session, guildAccess, userLimit, guildLimit] }
}
