
/// A guild the bot is in but cannot see yet: READY's `guilds`, a GUILD_CREATE or GUILD_DELETE
/// during an outage. In GUILD_DELETE an absent `unavailable` means the bot left or was removed.
public struct UnavailableGuild: Codable, Hashable, Sendable {
    public var id: Snowflake
    public var unavailable: Bool?

    public init(id: Snowflake, unavailable: Bool? = true) {
        self.id = id
        self.unavailable = unavailable
    }
}
