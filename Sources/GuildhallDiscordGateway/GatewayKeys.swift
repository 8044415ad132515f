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

    /// `bot:{0}:gateway:shard:<shard>`: `connected` or `down`, written every 10 s by the
    /// process that runs the shard, so processes without shards (the API) can tell.
    public static let shardStatus = RedisKeyKind(
        feature: "gateway", name: "shard", lifetime: .expiring(.seconds(30)),
        cleanup: "rewritten every 10 s; expires 30 s after its process stopped writing", parts: ["shard"]
    )

    /// `bot:{0}:gateway:shard-count`: the bot's total shard count, beside the statuses.
    public static let shardCount = RedisKeyKind(
        feature: "gateway", name: "shard-count", lifetime: .expiring(.seconds(30)),
        cleanup: "rewritten every 10 s; expires 30 s after the last gateway process stopped"
    )

    public static var all: [RedisKeyKind] { [identifyBucket, shardStatus, shardCount] }
}
