import GuildhallCore
import GuildhallDiscordModels
import GuildhallDiscordREST

/// What leveling's jobs ask of Discord: post the announcement, read a member's roles and
/// change the reward roles.
public protocol LevelingDiscord: Sendable {
    /// Posts `content`, letting only `mention` be pinged.
    func post(channel: Snowflake, content: String, mention: Snowflake) async throws
    func directMessage(user: Snowflake, content: String) async throws
    /// The member's name and roles; nil when they are no longer in the guild.
    func member(guild: Snowflake, user: Snowflake) async throws -> (name: String, roles: Set<Snowflake>)?
    func guildName(_ guild: Snowflake) async throws -> String
    func addRole(_ role: Snowflake, to user: Snowflake, guild: Snowflake, reason: String) async throws
    func removeRole(_ role: Snowflake, from user: Snowflake, guild: Snowflake, reason: String) async throws
}

/// Leveling's Discord calls over the bot's REST client (shared rate limits included).
public struct RESTLevelingDiscord: LevelingDiscord {
    let rest: DiscordRESTClient

    public init(rest: DiscordRESTClient) {
        self.rest = rest
    }

    public func post(channel: Snowflake, content: String, mention: Snowflake) async throws {
        _ = try await rest.createMessage(channelID: channel, CreateMessageRequest(content: content, allowedMentions: .only(users: [mention])))
    }

    public func directMessage(user: Snowflake, content: String) async throws {
        let channel = try await rest.createDM(recipientID: user)
        _ = try await rest.createMessage(channelID: channel.id, CreateMessageRequest(content: content))
    }

    public func member(guild: Snowflake, user: Snowflake) async throws -> (name: String, roles: Set<Snowflake>)? {
        do {
            let member = try await rest.getGuildMember(guildID: guild, userID: user)
            let name = member.nick ?? member.user?.globalName ?? member.user?.username ?? user.description
            return (name, Set(member.roles))
        } catch let error as DiscordRESTError where error.status == 404 {
            return nil
        }
    }

    public func guildName(_ guild: Snowflake) async throws -> String {
        try await rest.getGuild(guildID: guild).name
    }

    public func addRole(_ role: Snowflake, to user: Snowflake, guild: Snowflake, reason: String) async throws {
        try await rest.addGuildMemberRole(guildID: guild, userID: user, roleID: role, reason: reason)
    }

    public func removeRole(_ role: Snowflake, from user: Snowflake, guild: Snowflake, reason: String) async throws {
        try await rest.removeGuildMemberRole(guildID: guild, userID: user, roleID: role, reason: reason)
    }
}

/// Where leveling's jobs reach Discord: set by the processes that hold the bot's REST client.
public typealias LevelingDiscordSource = LateBound<any LevelingDiscord>

extension LateBound where Value == any LevelingDiscord {
    public convenience init() {
        self.init(missing: "this process has no Discord client for leveling's jobs (set DISCORD_TOKEN on workers)")
    }
}
