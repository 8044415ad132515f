import GuildhallCore

/// The gateway's Redis keys. All are platform keys (guild 0): they belong to the bot, not
/// to any one guild.
public enum GatewayKeys {
    /// `bot:{0}:gateway:identify:<scope>:<bucket>`: held for one identify window by the
    /// process whose shard of that bucket identifies next. `scope` separates bots (or test
    /// runs) sharing one Redis.
    public static let identifyBucket = RedisKeyKind(
        feature: "gateway", name: "identify", lifetime: .expiring(IdentifyWindow.spacing),
        cleanup: "expires when the identify window ends; never deleted early, the window must pass",
        parts: ["scope", "bucket"]
    )

    public static var all: [RedisKeyKind] { [identifyBucket] }
}
