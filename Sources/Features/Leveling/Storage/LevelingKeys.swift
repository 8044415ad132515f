import GuildhallCore

/// Leveling's Redis keys, all under the guild's hash tag so one guild's scripts touch one slot.
public enum LevelingKeys {
    /// `bot:{<guildId>}:leveling:xp:<userId>`: the member's live XP total. The database
    /// holds the durable copy (written behind by the worker); Redis is rebuilt from it.
    public static let xp = RedisKeyKind(
        feature: "leveling", name: "xp", lifetime: .persistent(reason: "the live XP total; the database keeps the durable copy"),
        cleanup: "set to 0 by a reset, deleted by reset-all; rebuilt from the database when Redis lost it", parts: ["user"]
    )

    /// `bot:{<guildId>}:leveling:cooldown:<userId>`: set when a message earned XP; no XP
    /// while it exists.
    public static let cooldown = RedisKeyKind(
        feature: "leveling", name: "cooldown", lifetime: .expiring(.seconds(Int64(LevelingRules.maximumCooldownSeconds))),
        cleanup: "expires after the guild's cooldown", parts: ["user"]
    )

    /// `bot:{<guildId>}:leveling:voice:<userId>`: set when a minute in voice earned XP, so
    /// two voice ticks close together (a restart, a shard moving) cannot pay one minute twice.
    public static let voiceCooldown = RedisKeyKind(
        feature: "leveling", name: "voice", lifetime: .expiring(.seconds(60)),
        cleanup: "expires just before the next voice tick", parts: ["user"]
    )

    /// `bot:{<guildId>}:leveling:ready`: present once the guild's totals are in Redis. When
    /// Redis loses its data this goes too, and the next award rebuilds from the database
    /// before counting anything.
    public static let ready = RedisKeyKind(
        feature: "leveling", name: "ready", lifetime: .persistent(reason: "marks that the guild's totals were loaded; its absence triggers the rebuild"),
        cleanup: "lost only with Redis's data, which is what it detects"
    )

    /// `bot:{<guildId>}:leveling:dirty`: set of members whose total changed since the last
    /// write-behind.
    public static let dirty = RedisKeyKind(
        feature: "leveling", name: "dirty", lifetime: .persistent(reason: "the write-behind's to-do list; emptied every flush (about every 2 s)"),
        cleanup: "renamed to `flushing` by each flush"
    )

    /// `bot:{<guildId>}:leveling:flushing`: the batch one flush is writing; a flush that
    /// died leaves it for the next, which writes it again (totals are absolute, so twice is
    /// harmless).
    public static let flushing = RedisKeyKind(
        feature: "leveling", name: "flushing", lifetime: .persistent(reason: "the batch being written; deleted when the database has it"),
        cleanup: "deleted after the database write commits"
    )

    /// `bot:{<guildId>}:leveling:config`: the guild's configuration, shared by processes.
    public static let config = RedisKeyKind(
        feature: "leveling", name: "config", lifetime: .expiring(.seconds(600)),
        cleanup: "expires after 10 minutes; replaced by every settings write"
    )

    /// `bot:{<guildId>}:leveling:name:<userId>`: a member's display name for leaderboards,
    /// so a page view does not ask Discord for every row.
    public static let memberName = RedisKeyKind(
        feature: "leveling", name: "name", lifetime: .expiring(.seconds(3_600)),
        cleanup: "expires after an hour; a renamed member shows the new name by then", parts: ["user"]
    )

    public static var all: [RedisKeyKind] { [xp, cooldown, voiceCooldown, ready, dirty, flushing, config, memberName] }
}
