import GuildhallCore
import GuildhallFixtures
import Testing

@Suite("SeededGenerator")
struct SeededGeneratorTests {
    /// SplitMix64's published reference outputs for seed 0.
    @Test func matchesSplitMix64ReferenceValues() {
        var generator = SeededGenerator(seed: 0)
        #expect(generator.next() == 0xE220_A839_7B1D_CDAF)
        #expect(generator.next() == 0x6E78_9E6A_A1B9_65F4)
        #expect(generator.next() == 0x06C4_5D18_8009_454F)
    }

    @Test("same seed, same sequence", arguments: [UInt64(0), 1, 42, 0x6775_696C_6468_616C, UInt64.max])
    func deterministic(seed: UInt64) {
        var a = SeededGenerator(seed: seed), b = SeededGenerator(seed: seed)
        let first = (0..<1000).map { _ in a.next() }
        let second = (0..<1000).map { _ in b.next() }
        #expect(first == second)
        #expect(Set(first).count == 1000, "no repeats in a short run")
    }

    @Test func differentSeedsDiffer() {
        var a = SeededGenerator(seed: 1), b = SeededGenerator(seed: 2)
        let first = (0..<100).map { _ in a.next() }
        let second = (0..<100).map { _ in b.next() }
        #expect(first != second)
        #expect(Set(first).isDisjoint(with: second))
    }

    @Test func drivesStandardLibraryRandomness() {
        var a = SeededGenerator(seed: 9), b = SeededGenerator(seed: 9)
        let rollsA = (0..<50).map { _ in Int.random(in: 1...6, using: &a) }
        let rollsB = (0..<50).map { _ in Int.random(in: 1...6, using: &b) }
        #expect(rollsA == rollsB)
        #expect(rollsA.allSatisfy { (1...6).contains($0) })
        #expect(Set(rollsA).count > 1)
        var c = SeededGenerator(seed: 9), d = SeededGenerator(seed: 9)
        #expect(Array(0..<20).shuffled(using: &c) == Array(0..<20).shuffled(using: &d))
    }
}

@Suite("MockFactory")
struct MockFactoryTests {
    @Test func tenThousandDrawsAreUniqueMockAndIncreasing() {
        var factory = MockFactory()
        let ids = (0..<10_000).map { _ in factory.snowflake() }
        #expect(Set(ids).count == 10_000)
        #expect(ids.allSatisfy(MockFactory.isMock))
        #expect(ids == ids.sorted())
        #expect(zip(ids, ids.dropFirst()).allSatisfy { $0.timestampMilliseconds < $1.timestampMilliseconds })
        #expect(ids.first!.timestampMilliseconds > MockFactory.windowStartMilliseconds)
    }

    @Test func windowIsIn2090() {
        #expect(MockFactory.windowStartMilliseconds == 3_786_912_000_000)
        #expect(MockFactory.referenceNowMilliseconds >= MockFactory.windowStartMilliseconds)
        // Roughly 75 years after Discord's epoch.
        let years = Double(MockFactory.windowStartMilliseconds - Snowflake.discordEpochMilliseconds) / 31_557_600_000
        #expect(years > 74 && years < 76)
    }

    @Test func isMockRejectsIdsBeforeTheWindow() {
        #expect(!MockFactory.isMock(Snowflake(0)))
        #expect(!MockFactory.isMock(Snowflake(timestampMilliseconds: MockFactory.windowStartMilliseconds - 1)))
        #expect(MockFactory.isMock(Snowflake(timestampMilliseconds: MockFactory.windowStartMilliseconds)))
        #expect(!MockFactory.isMock(Snowflake(timestampMilliseconds: 1_700_000_000_000, worker: 1, process: 1, increment: 1)))
    }

    @Test func sameSeedSameWorld() {
        var a = MockFactory(seed: 77), b = MockFactory(seed: 77)
        #expect((0..<500).map { _ in a.snowflake() } == (0..<500).map { _ in b.snowflake() })
        #expect(a.guild(shard: 1, shardCount: 4, premium: .active(untilMilliseconds: 1)) == b.guild(shard: 1, shardCount: 4, premium: .active(untilMilliseconds: 1)))
        #expect(a.guilds(perShard: 2, shardCount: 3) == b.guilds(perShard: 2, shardCount: 3))
    }

    @Test func defaultSeedIsDeterministic() {
        var a = MockFactory(), b = MockFactory()
        #expect((0..<100).map { _ in a.snowflake() } == (0..<100).map { _ in b.snowflake() })
        var explicit = MockFactory(seed: 0x6775_696C_6468_616C), implicit = MockFactory()
        #expect(explicit.snowflake() == implicit.snowflake())
    }

    @Test func remembersItsSeed() {
        #expect(MockFactory(seed: 1234).seed == 1234)
        #expect(MockFactory().seed == 0x6775_696C_6468_616C)
        var factory = MockFactory(seed: 55)
        _ = factory.snowflake()
        #expect(factory.seed == 55, "drawing does not change the recorded seed")
    }

    @Test func randomFactoryCanBeReplayedFromItsSeed() {
        var random = MockFactory.random()
        var replay = MockFactory(seed: random.seed)
        let drawn = (0..<200).map { _ in random.snowflake() }
        #expect(drawn == (0..<200).map { _ in replay.snowflake() })
        #expect(drawn.allSatisfy(MockFactory.isMock))
        #expect(random.seed != 0)
        #expect(MockFactory.random().seed != MockFactory.random().seed)
    }

    @Test func differentSeedsDifferentWorlds() {
        var a = MockFactory(seed: 1), b = MockFactory(seed: 2)
        let first = (0..<100).map { _ in a.snowflake() }
        let second = (0..<100).map { _ in b.snowflake() }
        #expect(first != second)
        #expect(a.guild().id != b.guild().id)
    }

    @Test("guild ids land on the requested shard", arguments: [(0, 1), (0, 2), (1, 2), (5, 16), (15, 16), (99, 100), (0, 1024)])
    func guildIDOnShard(shard: Int, count: Int) {
        var factory = MockFactory(seed: UInt64(shard * 1000 + count))
        for _ in 0..<5 {
            let id = factory.guildID(onShard: shard, of: count)
            #expect(Int((id.rawValue >> 22) % UInt64(count)) == shard)
            #expect(id.shard(count: count) == shard)
            #expect(MockFactory.isMock(id))
        }
    }

    @Test("guild structure", arguments: [(1, 2, 5), (0, 0, 0), (3, 4, 10)])
    func guildStructure(admins: Int, moderators: Int, members: Int) throws {
        var factory = MockFactory(seed: 5)
        let guild = factory.guild(admins: admins, moderators: moderators, members: members)

        #expect(guild.members.count == 1 + admins + moderators + members + 1)
        #expect(guild.members(.owner).count == 1)
        #expect(guild.members(.admin).count == admins)
        #expect(guild.members(.moderator).count == moderators)
        #expect(guild.members(.member).count == members)
        #expect(guild.members(.bot).count == 1)
        #expect(guild.members.filter(\.isBot).map(\.rank) == [.bot])

        // Roles: @everyone first with the guild's id, then a hierarchy by position.
        #expect(guild.roles.count == 4)
        #expect(guild.everyoneRole == guild.roles[0])
        #expect(guild.everyoneRole.id == guild.id)
        #expect(guild.everyoneRole.name == "@everyone")
        #expect(guild.roles.map(\.name) == ["@everyone", "Member", "Moderator", "Admin"])
        #expect(guild.roles.map(\.position) == [0, 1, 2, 3])
        #expect(zip(guild.roles, guild.roles.dropFirst()).allSatisfy { $0.position < $1.position })
        #expect(guild.roles.map(\.permissions) == [MockPermission.member, MockPermission.member, MockPermission.moderator, MockPermission.admin])

        let rolesByID = Dictionary(uniqueKeysWithValues: guild.roles.map { ($0.id, $0) })
        #expect(rolesByID.count == 4)
        for member in guild.members {
            // Every member's permissions are the union of @everyone's and their roles'.
            let union = member.roleIDs.reduce(guild.everyoneRole.permissions) { $0 | (rolesByID[$1]?.permissions ?? 0) }
            #expect(member.permissions == union, "\(member.username)")
            #expect(member.roleIDs.allSatisfy { rolesByID[$0] != nil })
            #expect(!member.roleIDs.contains(guild.id), "@everyone is implicit")
        }
        let owner = guild.owner
        #expect(owner.rank == .owner)
        #expect(owner.userID == guild.ownerID)
        #expect(owner.username == "owner-0")
        #expect(owner.roleIDs.isEmpty)
        #expect(owner.permissions == MockPermission.member)
        for (index, admin) in guild.members(.admin).enumerated() {
            #expect(admin.username == "admin-\(index)")
            #expect(admin.roleIDs == [guild.roles[1].id, guild.roles[3].id])
            #expect(admin.permissions == MockPermission.admin)
        }
        for (index, moderator) in guild.members(.moderator).enumerated() {
            #expect(moderator.username == "moderator-\(index)")
            #expect(moderator.roleIDs == [guild.roles[1].id, guild.roles[2].id])
            #expect(moderator.permissions == MockPermission.moderator)
        }
        for (index, member) in guild.members(.member).enumerated() {
            #expect(member.username == "member-\(index)")
            #expect(member.roleIDs == [guild.roles[1].id])
            #expect(member.permissions == MockPermission.member)
        }
        let bot = try #require(guild.members(.bot).first)
        #expect(bot.username == "bot-0")
        #expect(bot.isBot)
        #expect(bot.roleIDs.isEmpty)
        #expect(!owner.isBot)

        // Every id in the guild is a distinct mock id.
        let ids = [guild.id] + guild.roles.dropFirst().map(\.id) + guild.members.map(\.userID) + guild.channelIDs
        #expect(Set(ids).count == ids.count)
        #expect(ids.allSatisfy(MockFactory.isMock))
        #expect(guild.channelIDs.count == 3)
        #expect(guild.name == "Mock Guild \(guild.id.rawValue % 100_000)")
        #expect(guild.shardCount == 1)
        #expect(guild.shardID == 0)
        #expect(guild.premium == .free)
    }

    @Test("premium state passes through", arguments: [
        MockPremium.free,
        .active(untilMilliseconds: MockFactory.referenceNowMilliseconds + 86_400_000),
        .expiredInGrace(expiredAtMilliseconds: MockFactory.referenceNowMilliseconds - 1),
        .lapsed(expiredAtMilliseconds: MockFactory.referenceNowMilliseconds - 30 * 86_400_000),
    ])
    func premium(state: MockPremium) {
        var factory = MockFactory(seed: 8)
        #expect(factory.guild(premium: state).premium == state)
    }

    @Test func guildOnAShard() {
        var factory = MockFactory(seed: 12)
        let guild = factory.guild(shard: 3, shardCount: 8)
        #expect(guild.shardID == 3)
        #expect(guild.shardCount == 8)
        #expect((guild.id.rawValue >> 22) % 8 == 3)
        #expect(guild.everyoneRole.id == guild.id)
    }

    @Test("guilds spread exactly evenly", arguments: [(1, 1), (3, 4), (2, 16), (5, 7)])
    func guildsSpreadEvenly(perShard: Int, shardCount: Int) {
        var factory = MockFactory(seed: UInt64(perShard * 100 + shardCount))
        let guilds = factory.guilds(perShard: perShard, shardCount: shardCount, membersEach: 2)
        #expect(guilds.count == perShard * shardCount)
        var perShardCounts = [Int](repeating: 0, count: shardCount)
        for guild in guilds {
            #expect(guild.shardCount == shardCount)
            #expect(guild.id.shard(count: shardCount) == guild.shardID)
            perShardCounts[guild.shardID] += 1
            #expect(guild.members(.member).count == 2)
        }
        #expect(perShardCounts == [Int](repeating: perShard, count: shardCount))
        #expect(Set(guilds.map(\.id)).count == guilds.count)
        let everyID = guilds.flatMap { [$0.id] + $0.members.map(\.userID) + $0.channelIDs }
        #expect(Set(everyID).count == everyID.count)
    }

    @Test func guildsDefaultMemberCount() {
        var factory = MockFactory(seed: 13)
        let guilds = factory.guilds(perShard: 1, shardCount: 2)
        #expect(guilds.map { $0.members(.member).count } == [5, 5])
        #expect(guilds.map(\.shardID) == [0, 1])
    }

    @Test func noGuildsForZeroPerShard() {
        var factory = MockFactory(seed: 14)
        #expect(factory.guilds(perShard: 0, shardCount: 4).isEmpty)
    }
}

@Suite("MockPermission")
struct MockPermissionTests {
    @Test("bits match Discord's", arguments: [
        (MockPermission.kickMembers, 1), (MockPermission.banMembers, 2), (MockPermission.administrator, 3),
        (MockPermission.manageChannels, 4), (MockPermission.manageGuild, 5), (MockPermission.viewChannel, 10),
        (MockPermission.sendMessages, 11), (MockPermission.manageMessages, 13), (MockPermission.readMessageHistory, 16),
        (MockPermission.manageRoles, 28), (MockPermission.moderateMembers, 40),
    ])
    func bits(value: UInt64, bit: Int) {
        #expect(value == UInt64(1) << bit)
        #expect(value.nonzeroBitCount == 1)
    }

    @Test func setsAreNestedUnions() {
        #expect(MockPermission.member == MockPermission.viewChannel | MockPermission.sendMessages | MockPermission.readMessageHistory)
        #expect(MockPermission.moderator == MockPermission.member | MockPermission.kickMembers | MockPermission.banMembers
            | MockPermission.manageMessages | MockPermission.moderateMembers)
        #expect(MockPermission.admin == MockPermission.moderator | MockPermission.manageGuild | MockPermission.manageRoles
            | MockPermission.manageChannels)
        #expect(MockPermission.member & MockPermission.moderator == MockPermission.member)
        #expect(MockPermission.moderator & MockPermission.admin == MockPermission.moderator)
        #expect(MockPermission.admin.nonzeroBitCount == 11 - 1, "every listed bit but ADMINISTRATOR")
        #expect(MockPermission.admin & MockPermission.administrator == 0)
    }

    @Test func ranksAreListed() {
        #expect(MockRank.allCases.map(\.rawValue) == ["owner", "admin", "moderator", "member", "bot"])
    }
}

@Suite("Preconditions")
struct PreconditionTests {
    @Test func shardCountMustBePositive() async {
        await #expect(processExitsWith: .failure) {
            _ = Snowflake(1).shard(count: 0)
        }
    }

    @Test func keyKindFeatureMustBeALowercaseSegment() async {
        await #expect(processExitsWith: .failure) {
            _ = RedisKeyKind(feature: "Settings", name: "modules", lifetime: .channel, cleanup: "x")
        }
        await #expect(processExitsWith: .failure) {
            _ = RedisKeyKind(feature: "a:b", name: "modules", lifetime: .channel, cleanup: "x")
        }
    }

    @Test func keyKindNameMustBeALowercaseSegment() async {
        await #expect(processExitsWith: .failure) {
            _ = RedisKeyKind(feature: "settings", name: "Modules", lifetime: .channel, cleanup: "x")
        }
        await #expect(processExitsWith: .failure) {
            _ = RedisKeyKind(feature: "settings", name: "", lifetime: .channel, cleanup: "x")
        }
    }

    @Test func guildShardMustBeInRange() async {
        await #expect(processExitsWith: .failure) {
            var factory = MockFactory(seed: 1)
            _ = factory.guildID(onShard: 2, of: 2)
        }
        await #expect(processExitsWith: .failure) {
            var factory = MockFactory(seed: 1)
            _ = factory.guildID(onShard: 0, of: 0)
        }
    }
}
