import GuildhallCore

/// Giveaways' Redis keys. Entries live in the database (they must survive anything); Redis
/// only coordinates the batched edits of the entry count across processes.
public enum GiveawayKeys {
    /// `bot:{<guildId>}:giveaways:count-edit:<giveawayId>`: set by the first entry after an
    /// edit; whoever sets it edits the message once it expires, with the count of that
    /// moment. So a giveaway's message is edited at most once per window, whichever
    /// process took the entries, and Discord's per-channel limit is never near.
    public static let countEdit = RedisKeyKind(
        feature: "giveaways", name: "count-edit", lifetime: .expiring(.seconds(3)),
        cleanup: "expires after the edit window (3 s)", parts: ["giveaway"]
    )

    public static let all = [countEdit]
}
