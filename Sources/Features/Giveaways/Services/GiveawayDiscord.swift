import GuildhallCore
import GuildhallDiscordModels
import GuildhallDiscordREST

/// What giveaways ask of Discord: post and edit messages, and look a member up for the draw.
public protocol GiveawayDiscord: Sendable {
    /// Posts and returns the new message's id (with `enforce_nonce`, a repeat returns the first).
    func post(channel: Snowflake, _ message: CreateMessageRequest) async throws -> Snowflake
    func edit(channel: Snowflake, message: Snowflake, _ edit: EditMessageRequest) async throws
    /// The member as the draw sees them; nil when they left the server.
    func member(guild: Snowflake, user: Snowflake) async throws -> GiveawayEntrant?
}

/// Giveaways' Discord calls over the bot's REST client (shared rate limits included).
public struct RESTGiveawayDiscord: GiveawayDiscord {
    let rest: DiscordRESTClient

    public init(rest: DiscordRESTClient) {
        self.rest = rest
    }

    public func post(channel: Snowflake, _ message: CreateMessageRequest) async throws -> Snowflake {
        try await rest.createMessage(channelID: channel, message).id
    }

    public func edit(channel: Snowflake, message: Snowflake, _ edit: EditMessageRequest) async throws {
        _ = try await rest.editMessage(channelID: channel, messageID: message, edit)
    }

    public func member(guild: Snowflake, user: Snowflake) async throws -> GiveawayEntrant? {
        do {
            return GiveawayEntrant(member: try await rest.getGuildMember(guildID: guild, userID: user), user: user)
        } catch let error as DiscordRESTError where error.status == 404 {
            return nil
        }
    }
}

extension GiveawayEntrant {
    /// From a member object (an interaction's or a REST lookup's).
    public init(member: GuildMember, user: Snowflake) {
        self.init(user: user, isBot: member.user?.bot ?? false, roles: Set(member.roles), joinedAt: member.joinedAt?.millisecondsSinceEpoch)
    }
}

/// Where giveaways reach Discord: set by the processes that hold the bot's REST client.
public typealias GiveawayDiscordSource = LateBound<any GiveawayDiscord>

extension LateBound where Value == any GiveawayDiscord {
    public convenience init() {
        self.init(missing: "this process has no Discord client for giveaways (set DISCORD_TOKEN on workers)")
    }
}
