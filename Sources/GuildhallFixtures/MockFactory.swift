import GuildhallCore

/// Builds structured mock data — guilds, users, roles, permission sets, shard ids and
/// premium states — from generated snowflakes. Never real ids: every snowflake's
/// timestamp lies in a window Discord has not reached (2090), and ids come from a seeded
/// generator, so the same seed gives the same world.
public struct MockFactory: Sendable {
    /// 2090-01-01T00:00:00Z, far beyond any real snowflake handed out today.
    public static let windowStartMilliseconds: UInt64 = 3_786_912_000_000
    public static let referenceNowMilliseconds: UInt64 = 3_786_912_000_000

    /// The seed this factory started from (print it to replay a failure).
    public let seed: UInt64
    private var generator: SeededGenerator
    private var increment: UInt16 = 0
    private var clockOffset: UInt64 = 0

    public init(seed: UInt64 = 0x6775_696C_6468_616C) {
        self.seed = seed
        generator = SeededGenerator(seed: seed)
    }

    /// A factory with a random seed: for tests that share a Redis or database across runs
    /// and need ids nobody else uses.
    public static func random() -> MockFactory {
        MockFactory(seed: UInt64.random(in: 1...UInt64.max))
    }

    /// A fresh, unique snowflake.
    public mutating func snowflake() -> Snowflake {
        clockOffset += 1 + generator.next() % 1_000
        increment = increment &+ 1
        return Snowflake(
            timestampMilliseconds: Self.windowStartMilliseconds + clockOffset,
            worker: UInt8(generator.next() % 32), process: UInt8(generator.next() % 32), increment: increment & 0xFFF
        )
    }

    /// True for snowflakes this factory could have made (tests use it to prove no real id slipped in).
    public static func isMock(_ id: Snowflake) -> Bool {
        id.timestampMilliseconds >= windowStartMilliseconds
    }

    /// A guild id that lands on `shard` of `shardCount` by Discord's formula.
    public mutating func guildID(onShard shard: Int, of shardCount: Int) -> Snowflake {
        precondition(shardCount > 0 && (0..<shardCount).contains(shard), "shard \(shard) is outside 0..<\(shardCount)")
        while true {
            let id = snowflake()
            if id.shard(count: shardCount) == shard { return id }
        }
    }

    /// One guild with an owner, admins, moderators, members and a bot, roles in a hierarchy
    /// (everyone < member < moderator < admin), a few channels and a premium state.
    public mutating func guild(
        shard: Int? = nil, shardCount: Int = 1, admins: Int = 1, moderators: Int = 2, members: Int = 5,
        premium: MockPremium = .free
    ) -> MockGuild {
        let id = shard.map { guildID(onShard: $0, of: shardCount) } ?? snowflake()
        let everyone = MockRole(id: id, name: "@everyone", position: 0, permissions: MockPermission.member)
        let memberRole = MockRole(id: snowflake(), name: "Member", position: 1, permissions: MockPermission.member)
        let moderatorRole = MockRole(id: snowflake(), name: "Moderator", position: 2, permissions: MockPermission.moderator)
        let adminRole = MockRole(id: snowflake(), name: "Admin", position: 3, permissions: MockPermission.admin)
        var people: [MockMember] = []
        func add(_ rank: MockRank, roles: [MockRole], index: Int) {
            let permissions = roles.reduce(everyone.permissions) { $0 | $1.permissions }
            people.append(MockMember(userID: snowflake(), username: "\(rank.rawValue)-\(index)", rank: rank, roleIDs: roles.map(\.id), permissions: permissions))
        }
        add(.owner, roles: [], index: 0)
        for index in 0..<admins { add(.admin, roles: [memberRole, adminRole], index: index) }
        for index in 0..<moderators { add(.moderator, roles: [memberRole, moderatorRole], index: index) }
        for index in 0..<members { add(.member, roles: [memberRole], index: index) }
        add(.bot, roles: [], index: 0)
        let channels = (0..<3).map { _ in snowflake() }
        return MockGuild(
            id: id, name: "Mock Guild \(id.rawValue % 100_000)", shardID: id.shard(count: shardCount), shardCount: shardCount,
            ownerID: people[0].userID, roles: [everyone, memberRole, moderatorRole, adminRole],
            members: people, channelIDs: channels, premium: premium
        )
    }

    /// Many guilds spread over many shards: `perShard` guilds on every shard of `shardCount`.
    public mutating func guilds(perShard: Int, shardCount: Int, membersEach: Int = 5) -> [MockGuild] {
        var result: [MockGuild] = []
        for shard in 0..<shardCount {
            for _ in 0..<perShard {
                result.append(guild(shard: shard, shardCount: shardCount, members: membersEach))
            }
        }
        return result
    }
}
