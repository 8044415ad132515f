import GuildhallCore
import GuildhallDiscordModels

// The sandbox's own records of its world. They hold what Discord would hold; the wire shapes
// are built from them by `SandboxWire` with the Discord model types.

public struct SandboxUser: Sendable, Hashable {
    public var id: Snowflake
    public var username: String
    public var globalName: String?
    public var isBot: Bool
    public var email: String?

    public init(id: Snowflake, username: String, globalName: String? = nil, isBot: Bool = false, email: String? = nil) {
        self.id = id
        self.username = username
        self.globalName = globalName
        self.isBot = isBot
        self.email = email
    }
}

public struct SandboxRole: Sendable, Hashable {
    public var id: Snowflake
    public var name: String
    public var position: Int
    public var permissions: UInt64
    public var color: Int
    public var hoist: Bool
    public var managed: Bool
    public var mentionable: Bool
    /// Set on the bot's own managed role (`tags.bot_id`).
    public var botID: Snowflake?
}

public enum SandboxChannelKind: Int, Sendable, Hashable {
    case text = 0
    case dm = 1
    case voice = 2
    case category = 4
}

public struct SandboxOverwrite: Sendable, Hashable {
    public enum Target: Int, Sendable, Hashable { case role = 0, member = 1 }
    public var id: Snowflake
    public var target: Target
    public var allow: UInt64
    public var deny: UInt64
}

public struct SandboxChannel: Sendable, Hashable {
    public var id: Snowflake
    public var kind: SandboxChannelKind
    public var guildID: Snowflake?
    public var name: String
    public var position: Int
    public var parentID: Snowflake?
    public var topic: String?
    public var overwrites: [SandboxOverwrite]
    public var lastMessageID: Snowflake?
    /// DM channels only: the other person.
    public var recipientID: Snowflake?
}

public struct SandboxMember: Sendable, Hashable {
    public var userID: Snowflake
    public var nick: String?
    public var roleIDs: [Snowflake]
    public var joinedAt: DiscordTimestamp
    public var communicationDisabledUntil: DiscordTimestamp?
    public var deaf: Bool
    public var mute: Bool
}

/// A member connected to a voice channel, and how: muted or deafened by themselves
/// (`self…`) or by a moderator.
public struct SandboxVoiceState: Sendable, Hashable {
    public var userID: Snowflake
    public var channelID: Snowflake
    public var sessionID: String
    public var selfMute = false
    public var selfDeaf = false
    public var mute = false
    public var deaf = false
}

public struct SandboxBan: Sendable, Hashable {
    public var userID: Snowflake
    public var reason: String?
}

/// One `X-Audit-Log-Reason` the bot gave, with what it was for.
public struct SandboxAuditEntry: Sendable, Hashable {
    public var action: String
    public var targetID: Snowflake?
    public var reason: String?
    public var at: DiscordTimestamp
}

public struct SandboxGuild: Sendable, Hashable {
    public var id: Snowflake
    public var name: String
    public var ownerID: Snowflake
    /// By id; `roleOrder` keeps the order they were made in.
    public var roles: [Snowflake: SandboxRole]
    public var roleOrder: [Snowflake]
    public var channelIDs: [Snowflake]
    public var members: [Snowflake: SandboxMember]
    public var memberOrder: [Snowflake]
    public var bans: [Snowflake: SandboxBan]
    public var botRoleID: Snowflake
    public var auditLog: [SandboxAuditEntry]
    /// Members in a voice channel, by user id.
    public var voiceStates: [Snowflake: SandboxVoiceState] = [:]

    public var orderedRoles: [SandboxRole] { roleOrder.compactMap { roles[$0] } }
    public var orderedMembers: [SandboxMember] { memberOrder.compactMap { members[$0] } }
}

public struct SandboxMessage: Sendable, Hashable {
    public var id: Snowflake
    public var channelID: Snowflake
    public var guildID: Snowflake?
    public var authorID: Snowflake
    /// Set for interaction responses and follow-ups (the application id, as Discord does).
    public var webhookID: Snowflake?
    public var applicationID: Snowflake?
    public var type: Int
    public var content: String
    public var embeds: [Embed]
    public var components: [MessageComponent]
    public var flags: Int
    public var tts: Bool
    public var timestamp: DiscordTimestamp
    public var editedTimestamp: DiscordTimestamp?
    public var mentionIDs: [Snowflake]
    public var mentionRoleIDs: [Snowflake]
    public var mentionEveryone: Bool
    public var nonce: MessageNonce?
    public var messageReference: MessageReference?
    public var interactionID: Snowflake?
    /// Reactions by emoji (the URL form, decoded: `🎉` or `name:id`), in order of first use.
    public var reactions: [SandboxReaction]
}

public struct SandboxReaction: Sendable, Hashable {
    /// `🎉` for unicode emoji, `name:id` for custom ones.
    public var emoji: String
    public var userIDs: [Snowflake]
}

public struct SandboxSKU: Sendable, Hashable {
    public var id: Snowflake
    public var name: String
    /// 5 SUBSCRIPTION and friends (FACTS.md §7).
    public var type: Int
    /// 1 << 7 guild subscription, 1 << 8 user subscription.
    public var flags: Int
}
