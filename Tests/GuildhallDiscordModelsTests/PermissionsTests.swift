import GuildhallDiscordModels
import Testing

@Suite("Permissions bit set")
struct PermissionsTests {
    /// FACTS.md §5's table: name, bit, decimal.
    static let factsTable: [(String, Int, UInt64)] = [
        ("CREATE_INSTANT_INVITE", 0, 1), ("KICK_MEMBERS", 1, 2), ("BAN_MEMBERS", 2, 4), ("ADMINISTRATOR", 3, 8),
        ("MANAGE_CHANNELS", 4, 16), ("MANAGE_GUILD", 5, 32), ("ADD_REACTIONS", 6, 64), ("VIEW_AUDIT_LOG", 7, 128),
        ("VIEW_CHANNEL", 10, 1024), ("SEND_MESSAGES", 11, 2048), ("SEND_TTS_MESSAGES", 12, 4096),
        ("MANAGE_MESSAGES", 13, 8192), ("EMBED_LINKS", 14, 16384), ("ATTACH_FILES", 15, 32768),
        ("READ_MESSAGE_HISTORY", 16, 65536), ("MENTION_EVERYONE", 17, 131_072), ("USE_EXTERNAL_EMOJIS", 18, 262_144),
        ("CONNECT", 20, 1_048_576), ("SPEAK", 21, 2_097_152), ("MUTE_MEMBERS", 22, 4_194_304),
        ("DEAFEN_MEMBERS", 23, 8_388_608), ("MOVE_MEMBERS", 24, 16_777_216), ("MANAGE_NICKNAMES", 27, 134_217_728),
        ("MANAGE_ROLES", 28, 268_435_456), ("MANAGE_WEBHOOKS", 29, 536_870_912),
        ("USE_APPLICATION_COMMANDS", 31, 2_147_483_648), ("MANAGE_THREADS", 34, 17_179_869_184),
        ("SEND_MESSAGES_IN_THREADS", 38, 274_877_906_944), ("MODERATE_MEMBERS", 40, 1_099_511_627_776),
        ("PIN_MESSAGES", 51, 2_251_799_813_685_248), ("BYPASS_SLOWMODE", 52, 4_503_599_627_370_496),
    ]

    @Test("every flag of FACTS.md §5 has its bit and decimal value", arguments: factsTable)
    func factsFlags(name: String, bit: Int, decimal: UInt64) throws {
        let flag = try #require(Permissions(name: name))
        #expect(flag.rawValue == decimal)
        #expect(flag.rawValue == 1 << UInt64(bit))
        #expect(flag.names == [name])
        #expect(Permissions.all.contains(flag))
    }

    @Test("the statics match the table")
    func statics() {
        let named: [(Permissions, UInt64)] = [
            (.kickMembers, 2), (.banMembers, 4), (.administrator, 8), (.viewChannel, 1024), (.sendMessages, 2048),
            (.manageMessages, 8192), (.readMessageHistory, 65536), (.manageRoles, 268_435_456),
            (.moderateMembers, 1_099_511_627_776), (.setVoiceChannelStatus, 281_474_976_710_656),
            (.bypassSlowmode, 4_503_599_627_370_496),
        ]
        for (flag, decimal) in named { #expect(flag.rawValue == decimal) }
    }

    @Test("ALL is every documented bit: 8866461766385663")
    func all() {
        #expect(Permissions.all.rawValue == 8_866_461_766_385_663)
        let union = Permissions.namedFlags.reduce(Permissions()) { $0.union($1.flag) }
        #expect(union == .all)
        #expect(Set(Permissions.namedFlags.map(\.flag.rawValue)).count == Permissions.namedFlags.count)
        #expect(!Permissions.all.contains(Permissions(rawValue: 1 << 47)))
        #expect(Permissions.twoFactorGated.isSubset(of: .all))
        #expect(Permissions.twoFactorGated.contains(.banMembers))
        #expect(!Permissions.twoFactorGated.contains(.sendMessages))
    }

    @Test("wire form is a decimal string; bare numbers still decode")
    func codable() throws {
        let permissions: Permissions = [.viewChannel, .sendMessages, .moderateMembers]
        #expect(try JSONHelpers.string([permissions]) == "[\"1099511630848\"]")
        #expect(try JSONHelpers.decode([Permissions].self, "[\"1099511630848\"]") == [permissions])
        #expect(try JSONHelpers.decode([Permissions].self, "[49794241]") == [Permissions(rawValue: 49_794_241)])
        #expect(try JSONHelpers.decode([Permissions].self, "[\"0\"]") == [[]])
        #expect(permissions.decimalString == "1099511630848")
    }

    @Test("bad wire values are decoding errors", arguments: ["[\"\"]", "[\"-1\"]", "[\"12a\"]", "[\"18446744073709551616\"]", "[\"+5\"]", "[true]"])
    func rejects(json: String) {
        #expect(throws: DecodingError.self) { try JSONHelpers.decode([Permissions].self, json) }
    }

    @Test("unknown bits are kept and named by number")
    func unknownBits() throws {
        let permissions = Permissions(rawValue: (1 << 60) | 8)
        #expect(try JSONHelpers.roundTrip([permissions]) == [permissions])
        #expect(permissions.names == ["ADMINISTRATOR", "BIT_60"])
        #expect(permissions.description == "[ADMINISTRATOR, BIT_60]")
        #expect(Permissions().description == "[]")
        #expect(Permissions(name: "NOT_A_PERMISSION") == nil)
        #expect(Permissions(decimal: "abc") == nil)
    }
}
