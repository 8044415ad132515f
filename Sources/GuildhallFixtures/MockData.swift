import GuildhallCore

/// Discord permission bits the fixtures hand out (FACTS.md §5). The Discord layer has
/// the full set; fixtures only need these.
public enum MockPermission {
    public static let kickMembers: UInt64 = 1 << 1
    public static let banMembers: UInt64 = 1 << 2
    public static let administrator: UInt64 = 1 << 3
    public static let manageChannels: UInt64 = 1 << 4
    public static let manageGuild: UInt64 = 1 << 5
    public static let viewChannel: UInt64 = 1 << 10
    public static let sendMessages: UInt64 = 1 << 11
    public static let manageMessages: UInt64 = 1 << 13
    public static let readMessageHistory: UInt64 = 1 << 16
    public static let manageRoles: UInt64 = 1 << 28
    public static let moderateMembers: UInt64 = 1 << 40

    public static let member: UInt64 = viewChannel | sendMessages | readMessageHistory
    public static let moderator: UInt64 = member | kickMembers | banMembers | manageMessages | moderateMembers
    public static let admin: UInt64 = moderator | manageGuild | manageRoles | manageChannels
}

/// A mock role: id, name, position in the hierarchy, permission set.
public struct MockRole: Sendable, Hashable {
    public let id: Snowflake
    public let name: String
    public let position: Int
    public let permissions: UInt64
}

/// What a mock member is in their guild.
public enum MockRank: String, Sendable, CaseIterable {
    case owner, admin, moderator, member, bot
}

public struct MockMember: Sendable, Hashable {
    public let userID: Snowflake
    public let username: String
    public let rank: MockRank
    public let roleIDs: [Snowflake]
    /// The union of the member's roles' permissions (and @everyone's).
    public let permissions: UInt64
    public var isBot: Bool { rank == .bot }
}

/// A guild's premium state as tests need it: free, active, in grace after expiry, or lapsed.
public enum MockPremium: Sendable, Hashable {
    case free
    case active(untilMilliseconds: UInt64)
    case expiredInGrace(expiredAtMilliseconds: UInt64)
    case lapsed(expiredAtMilliseconds: UInt64)
}

public struct MockGuild: Sendable, Hashable {
    public let id: Snowflake
    public let name: String
    public let shardID: Int
    public let shardCount: Int
    public let ownerID: Snowflake
    /// `@everyone` first (its id is the guild's id, as on Discord), then by position.
    public let roles: [MockRole]
    public let members: [MockMember]
    public let channelIDs: [Snowflake]
    public let premium: MockPremium

    public var everyoneRole: MockRole { roles[0] }
    public func members(_ rank: MockRank) -> [MockMember] { members.filter { $0.rank == rank } }
    public var owner: MockMember { members.first { $0.rank == .owner }! }
}
