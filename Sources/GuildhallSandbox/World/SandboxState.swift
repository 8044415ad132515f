import GuildhallCore
import GuildhallDiscordModels
import GuildhallFixtures

/// The sandbox's whole world as one value: users, guilds, channels, messages, commands,
/// entitlements, interactions and OAuth2 grants. Every change is a mutating method that
/// checks its input first and either changes the world or throws and changes nothing.
/// `SandboxWorld` keeps one behind a lock and turns changes into gateway dispatches.
public struct SandboxState: Sendable {
    public struct Application: Sendable, Hashable {
        public var id: Snowflake
        public var name: String
        public var botUserID: Snowflake
        public var token: String
        public var clientSecret: String
        /// 32-byte Ed25519 private key seed (the public key is derived from it).
        public var signingKeySeed: [UInt8]
        public var publicKeyHex: String
        public var ownerID: Snowflake
    }

    public var application: Application
    public var users: [Snowflake: SandboxUser]
    /// Sandbox people one can log in as with OAuth2, in a stable order.
    public var oauthUserIDs: [Snowflake]
    public var guilds: [Snowflake: SandboxGuild]
    public var guildOrder: [Snowflake]
    public var channels: [Snowflake: SandboxChannel]
    /// Messages by id; `channelMessages` keeps each channel's ids oldest first.
    public var messages: [Snowflake: SandboxMessage]
    public var channelMessages: [Snowflake: [Snowflake]]
    public var dmChannelByUser: [Snowflake: Snowflake]
    /// Commands as the bot registered them, with the `id`, `application_id` and `version` Discord adds.
    public var globalCommands: [ApplicationCommand]
    public var guildCommands: [Snowflake: [ApplicationCommand]]
    public var skus: [SandboxSKU]
    public var entitlements: [Snowflake: Entitlement]
    public var entitlementOrder: [Snowflake]
    public var interactions: [Snowflake: SandboxInteraction]
    public var interactionOrder: [Snowflake]
    /// Interaction token → interaction id, for the webhook routes.
    var interactionTokens: [String: Snowflake] = [:]
    /// Messages created with `enforce_nonce`, by author and nonce, with when they were made.
    var enforcedNonces: [String: (message: Snowflake, at: Double)] = [:]
    public var oauth: SandboxOAuthLedger
    /// Continues the seed's id sequence, so every id the sandbox makes is a mock id.
    var factory: MockFactory

    public var orderedGuilds: [SandboxGuild] { guildOrder.compactMap { guilds[$0] } }
    public var botUser: SandboxUser { users[application.botUserID]! }

    mutating func nextID() -> Snowflake { factory.snowflake() }

    // MARK: Lookups that fail the way Discord does

    func guild(_ id: Snowflake) throws(SandboxAPIError) -> SandboxGuild {
        guard let guild = guilds[id] else { throw .unknownGuild }
        return guild
    }

    func channel(_ id: Snowflake) throws(SandboxAPIError) -> SandboxChannel {
        guard let channel = channels[id] else { throw .unknownChannel }
        return channel
    }

    func user(_ id: Snowflake) throws(SandboxAPIError) -> SandboxUser {
        guard let user = users[id] else { throw .unknownUser }
        return user
    }

    func member(_ userID: Snowflake, in guildID: Snowflake) throws(SandboxAPIError) -> SandboxMember {
        guard let member = try guild(guildID).members[userID] else { throw .unknownMember }
        return member
    }

    func message(_ id: Snowflake, in channelID: Snowflake) throws(SandboxAPIError) -> SandboxMessage {
        _ = try channel(channelID)
        guard let message = messages[id], message.channelID == channelID else { throw .unknownMessage }
        return message
    }

    /// Guilds the user is a member of, in seed order.
    func guildIDs(of userID: Snowflake) -> [Snowflake] {
        guildOrder.filter { guilds[$0]?.members[userID] != nil }
    }

    /// The timestamp the world uses for "now" on records it makes.
    static func timestamp(_ now: Double) -> DiscordTimestamp {
        DiscordTimestamp(microsecondsSinceEpoch: Int64((now * 1_000_000).rounded()))
    }
}
