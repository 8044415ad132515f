import GuildhallCore

/// Key kinds owned by the platform itself rather than one feature.
public enum PlatformKeys {
    /// Every process listens here for "this guild's configuration changed" (payload: `<guildId>:<feature>`).
    public static let invalidation = RedisKeyKind(
        feature: "platform", name: "invalidate", lifetime: .channel,
        cleanup: "pub/sub channel: nothing is stored"
    )

    public static var all: [RedisKeyKind] { [invalidation] }
}
