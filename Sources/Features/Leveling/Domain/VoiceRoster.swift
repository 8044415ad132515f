import GuildhallCore

/// Who is in voice in each guild, and so who earns voice XP. Pure state, fed from GUILD_CREATE
/// (`voice_states`) and VOICE_STATE_UPDATE by the process that owns the guild's shard; no
/// clock, no I/O.
///
/// A member earns when they are a human, neither muted nor deafened (by themselves or a
/// moderator, or suppressed on a stage), in a channel that is not the guild's AFK channel,
/// with at least one other human there (muted or not).
public struct VoiceRoster: Sendable, Equatable {
    public struct Presence: Sendable, Equatable {
        public var channel: Snowflake
        public var isBot: Bool
        /// Muted or suppressed: cannot be heard.
        public var muted: Bool
        public var deafened: Bool
        public var roles: [Snowflake]

        public init(channel: Snowflake, isBot: Bool = false, muted: Bool = false, deafened: Bool = false, roles: [Snowflake] = []) {
            self.channel = channel
            self.isBot = isBot
            self.muted = muted
            self.deafened = deafened
            self.roles = roles
        }
    }

    /// A member who earns this minute, in the channel they earn it in.
    public struct Earner: Sendable, Equatable {
        public var user: Snowflake
        public var channel: Snowflake
        public var roles: [Snowflake]
    }

    private var guilds: [Snowflake: [Snowflake: Presence]] = [:]
    private var afkChannels: [Snowflake: Snowflake] = [:]

    public init() {}

    /// Guilds with anyone in voice.
    public var guildIDs: [Snowflake] { guilds.keys.sorted() }

    /// How many members are in voice across every guild.
    public var count: Int { guilds.values.reduce(0) { $0 + $1.count } }

    public func presence(of user: Snowflake, in guild: Snowflake) -> Presence? {
        guilds[guild]?[user]
    }

    /// A guild arrived (GUILD_CREATE): its voice members replace what was known.
    public mutating func seed(guild: Snowflake, afkChannel: Snowflake?, members: [Snowflake: Presence]) {
        afkChannels[guild] = afkChannel
        guilds[guild] = members.isEmpty ? nil : members
    }

    /// One member's new voice state; a nil channel means they left voice.
    public mutating func update(guild: Snowflake, user: Snowflake, to presence: Presence?) {
        var members = guilds[guild] ?? [:]
        members[user] = presence
        guilds[guild] = members.isEmpty ? nil : members
    }

    /// The guild is gone (the bot left, or it became unavailable).
    public mutating func remove(guild: Snowflake) {
        guilds[guild] = nil
        afkChannels[guild] = nil
    }

    /// A member left the guild.
    public mutating func remove(user: Snowflake, from guild: Snowflake) {
        update(guild: guild, user: user, to: nil)
    }

    /// The members who earn voice XP in `guild` now, sorted by user.
    public func earners(in guild: Snowflake) -> [Earner] {
        guard let members = guilds[guild] else { return [] }
        let afk = afkChannels[guild]
        var humans: [Snowflake: Int] = [:]
        for presence in members.values where !presence.isBot {
            humans[presence.channel, default: 0] += 1
        }
        return members
            .filter { _, presence in
                !presence.isBot && !presence.muted && !presence.deafened && presence.channel != afk && (humans[presence.channel] ?? 0) >= 2
            }
            .map { Earner(user: $0.key, channel: $0.value.channel, roles: $0.value.roles) }
            .sorted { $0.user < $1.user }
    }
}
