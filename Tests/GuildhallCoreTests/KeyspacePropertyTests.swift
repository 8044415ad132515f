import GuildhallCore
import GuildhallFixtures
import Testing

/// Property: over many mock guilds and several key kinds, no two (guild, kind, parts)
/// combinations share a raw key, and every raw key has the documented shape and parses
/// back to its guild.
@Suite("Keyspace properties")
struct KeyspacePropertyTests {
    @Test func keysAreUniqueWellFormedAndParseBack() throws {
        var factory = MockFactory(seed: 0xC0FFEE)
        let guilds = (0..<200).map { _ in factory.snowflake() } + [Keyspace.platform]
        let users = (0..<3).map { _ in factory.snowflake().description }
        let commands = ["rank", "rank.v2", "ban-all", "Top_10"]
        let shape = try Regex(#"^bot:\{[0-9]+\}:[a-z0-9_.-]+:.+$"#)
        #expect(Keyspace.duplicates(in: SampleKinds.all).isEmpty)

        var seen: [String: String] = [:]
        var built = 0
        for guild in guilds {
            for kind in SampleKinds.all {
                let partLists: [[String]]
                switch kind.parts.count {
                case 0: partLists = [[]]
                case 1: partLists = users.map { [$0] } + commands.map { [$0] }
                default: partLists = commands.flatMap { command in users.map { [command, $0] } }
                }
                for parts in partLists {
                    let key = try kind.key(guild: guild, parts: parts)
                    built += 1
                    let identity = "\(guild)|\(kind.feature)|\(kind.name)|\(parts.joined(separator: "|"))"
                    if let previous = seen.updateValue(identity, forKey: key.rawValue) {
                        Issue.record("\(identity) and \(previous) both produce \(key.rawValue)")
                    }
                    #expect(key.rawValue.wholeMatch(of: shape) != nil, "\(key.rawValue) does not have the documented shape")
                    let parsed = try #require(Keyspace.parse(key.rawValue), "\(key.rawValue) does not parse")
                    #expect(parsed.guild == guild)
                    #expect(parsed.feature == kind.feature)
                    #expect(parsed.rest == [kind.name] + parts)
                }
            }
        }
        #expect(built == 201 * (1 + 7 + 12 + 1))
        #expect(seen.count == built)
    }

    @Test func factoryGuildsAreMockAndDistinct() {
        var factory = MockFactory(seed: 0xC0FFEE)
        let guilds = (0..<200).map { _ in factory.snowflake() }
        #expect(Set(guilds).count == 200)
        #expect(guilds.allSatisfy(MockFactory.isMock))
    }
}
