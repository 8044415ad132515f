import GuildhallCore

/// Leveling's Redis keys, under the guild's hash tag.
public enum LevelingKeys {
    /// `bot:{<guildId>}:leveling:xp:<userId>`: the member's live XP total. The database
    /// holds the durable copy (written behind by the worker); Redis is rebuilt from it.
    public static let xp = RedisKeyKind(
        feature: "leveling", name: "xp", lifetime: .persistent(reason: "the live XP total; the database keeps the durable copy"),
        cleanup: "deleted with the member's XP (reset) or rebuilt from the database", parts: ["user"]
    )

    /// `bot:{<guildId>}:leveling:cooldown:<userId>`: set when a message earned XP; no XP
    /// while it exists.
    public static let cooldown = RedisKeyKind(
        feature: "leveling", name: "cooldown", lifetime: .expiring(.seconds(Int64(LevelingRules.maximumCooldownSeconds))),
        cleanup: "expires after the guild's cooldown", parts: ["user"]
    )

    public static var all: [RedisKeyKind] { [xp, cooldown] }
}
