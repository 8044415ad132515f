import Foundation
import GuildhallCore
@testable import GuildhallDiscordModels
import Testing

/// `JSONValue(parsing:)`, `jsonBytes` and `JSONValueEncoder` stand in for Foundation's coders
/// on the sandbox's and the REST client's hot paths, so each must give exactly what
/// Foundation gives: the same trees from the same text, text Foundation reads back to the
/// same tree, and the tree `JSONEncoder` would have written.
@Suite("JSON values without Codable agree with Foundation")
struct JSONValueTextTests {
    static func foundationTree(_ data: Data) throws -> JSONValue {
        try JSONDecoder().decode(JSONValue.self, from: data)
    }

    @Test("every Discord example parses to Foundation's tree and round-trips", arguments: FixtureLoader.allNames)
    func fixtures(name: String) throws {
        let data = try FixtureLoader.data(name)
        let parsed = try JSONValue(parsing: data)
        #expect(parsed == (try Self.foundationTree(data)))
        #expect(try JSONValue(parsing: parsed.jsonBytes) == parsed)
        #expect(try Self.foundationTree(Data(parsed.jsonBytes)) == parsed, "Foundation reads our text back to the same tree")
        // Through the gateway's decoder, JSONValue reads straight off its tape.
        #expect(try GatewayJSONDecoder().decode(JSONValue.self, from: data) == parsed)
    }

    @Test(
        "every model from Discord's examples encodes to the tree JSONEncoder writes",
        arguments: ExampleDecodingTests.mapping.filter { $0.value is any Encodable.Type }.keys.sorted()
    )
    func models(name: String) throws {
        let type = try #require(ExampleDecodingTests.mapping[name])
        func decode<T: Decodable>(_ type: T.Type) throws -> any Decodable { try JSONDecoder().decode(type, from: FixtureLoader.data(name)) }
        let value = try #require(try decode(type) as? any Encodable, "\(name)'s model is not Encodable")
        let direct = try JSONValueEncoder().encode(value)
        let viaText = try JSONValue(parsing: JSONEncoder().encode(value))
        #expect(direct == viaText)
    }

    @Test("numbers become integers when whole and in range, as Foundation makes them")
    func numbers() throws {
        let cases: [(String, JSONValue)] = [
            ("0", .integer(0)), ("-0", .integer(0)), ("42", .integer(42)), ("-9223372036854775808", .integer(.min)),
            ("1.0", .integer(1)), ("1e2", .integer(100)), ("1.5", .double(1.5)), ("-2.25e-3", .double(-0.00225)),
            ("9223372036854775808", .double(9_223_372_036_854_775_808)), ("18446744073709551616", .double(18_446_744_073_709_551_616)),
        ]
        for (text, expected) in cases {
            #expect(try JSONValue(parsing: Data(text.utf8)) == expected, "\(text)")
            #expect(try Self.foundationTree(Data(text.utf8)) == expected, "Foundation agrees on \(text)")
        }
    }

    @Test("strings: escapes are read and written as JSON wants, slashes stay as they are")
    func strings() throws {
        let text = "quote \" backslash \\ slash / newline \n tab \t return \r bell \u{07} nul \u{00} del \u{7F} é 🎉 \u{2028}"
        let value = JSONValue.object(["s": .string(text), "k\"ey": .array([.string(""), .null, .bool(true), .bool(false)])])
        let bytes = value.jsonBytes
        let written = String(decoding: bytes, as: UTF8.self)
        #expect(written.contains("slash / newline \\n tab \\t return \\r bell \\u0007 nul \\u0000"))
        #expect(written.contains("\\\"ey"))
        #expect(try JSONValue(parsing: bytes) == value)
        #expect(try Self.foundationTree(Data(bytes)) == value)
        #expect(try JSONValue(parsing: Data(#""\u00e9\ud83c\udf89\/\b\f""#.utf8)) == .string("é🎉/\u{08}\u{0C}"))
        #expect(String(decoding: JSONValue.string("\u{08}\u{0C}").jsonBytes, as: UTF8.self) == #""\b\f""#)
    }

    @Test("doubles are written as JSONEncoder writes them; what JSON cannot hold becomes null")
    func doubles() {
        #expect(String(decoding: JSONValue.double(2).jsonBytes, as: UTF8.self) == "2")
        #expect(String(decoding: JSONValue.double(0.5).jsonBytes, as: UTF8.self) == "0.5")
        #expect(String(decoding: JSONValue.double(.infinity).jsonBytes, as: UTF8.self) == "null")
        #expect(String(decoding: JSONValue.double(.nan).jsonBytes, as: UTF8.self) == "null")
        #expect(String(decoding: JSONValue.integer(-7).jsonBytes, as: UTF8.self) == "-7")
    }

    @Test("text that is not one JSON value is refused", arguments: ["", "{", "01", "\"open", "nul", "1 2", "{\"a\" 1}", "[\"\u{01}\"]"])
    func refused(text: String) {
        #expect(throws: DecodingError.self) { try JSONValue(parsing: Data(text.utf8)) }
        #expect(throws: (any Error).self) { try Self.foundationTree(Data(text.utf8)) }
    }

    /// Foundation's decoder lets a trailing comma pass; JSON does not, and neither does
    /// Discord, so the sandbox must not either.
    @Test("a trailing comma is refused, where Foundation lets it pass", arguments: ["[1,]", "{\"a\":1,}"])
    func trailingComma(text: String) throws {
        #expect(throws: DecodingError.self) { try JSONValue(parsing: Data(text.utf8)) }
        _ = try Self.foundationTree(Data(text.utf8))
    }

    // MARK: The encoder

    typealias Key = GatewayJSONDecoderTests.Key

    /// Uses every method of every container kind.
    struct Everything: Encodable {
        var double = 2.5

        func encode(to encoder: any Encoder) throws {
            var keyed = encoder.container(keyedBy: Key.self)
            try keyed.encodeNil(forKey: Key("nil"))
            try keyed.encode(true, forKey: Key("bool"))
            try keyed.encode("text", forKey: Key("string"))
            try keyed.encode(double, forKey: Key("double"))
            try keyed.encode(Double(3), forKey: Key("whole"))
            try keyed.encode(Float(0.5), forKey: Key("float"))
            try keyed.encode(Int(-1), forKey: Key("int"))
            try keyed.encode(Int8(-8), forKey: Key("int8"))
            try keyed.encode(Int16(-16), forKey: Key("int16"))
            try keyed.encode(Int32(-32), forKey: Key("int32"))
            try keyed.encode(Int64(-64), forKey: Key("int64"))
            try keyed.encode(UInt(1), forKey: Key("uint"))
            try keyed.encode(UInt8(8), forKey: Key("uint8"))
            try keyed.encode(UInt16(16), forKey: Key("uint16"))
            try keyed.encode(UInt32(32), forKey: Key("uint32"))
            try keyed.encode(UInt64.max, forKey: Key("uint64"))
            try keyed.encode(Snowflake(80_351_110_224_678_912), forKey: Key("snowflake"))
            try keyed.encode(Data([1, 2, 3, 250]), forKey: Key("data"))
            try keyed.encode(URL(string: "https://discord.com/api/v10")!, forKey: Key("url"))
            try keyed.encode(Date(timeIntervalSinceReferenceDate: 12.5), forKey: Key("date"))
            try keyed.encode([3: "three", 4: "four"], forKey: Key("intKeys"))
            try keyed.encode(JSONValue.array([.integer(1), .null]), forKey: Key("json"))
            try keyed.encodeIfPresent(Optional<String>.none, forKey: Key("absent"))
            try keyed.encode(Optional<Int>.none, forKey: Key("explicitNil"))
            var nested = keyed.nestedContainer(keyedBy: Key.self, forKey: Key("nested"))
            try nested.encode(1, forKey: Key("one"))
            var list = keyed.nestedUnkeyedContainer(forKey: Key("list"))
            try list.encodeNil()
            try list.encode(false)
            try list.encode("s")
            try list.encode(1.25)
            try list.encode(Float(2))
            try list.encode(Int(1))
            try list.encode(Int8(2))
            try list.encode(Int16(3))
            try list.encode(Int32(4))
            try list.encode(Int64(5))
            try list.encode(UInt(6))
            try list.encode(UInt8(7))
            try list.encode(UInt16(8))
            try list.encode(UInt32(9))
            try list.encode(UInt64(10))
            try list.encode(Snowflake(11))
            var inner = list.nestedContainer(keyedBy: Key.self)
            try inner.encode("x", forKey: Key("y"))
            var innerList = list.nestedUnkeyedContainer()
            try innerList.encode(12)
            try Single(value: 13).encode(to: list.superEncoder())
            try Single(value: 14).encode(to: keyed.superEncoder())
            try Single(value: 15).encode(to: keyed.superEncoder(forKey: Key("parent")))
        }
    }

    struct Single: Encodable {
        var value: Int
        func encode(to encoder: any Encoder) throws {
            var container = encoder.singleValueContainer()
            try container.encode(value)
        }
    }

    /// Every concrete single-value method, in turn.
    struct Scalars: Encodable {
        func encode(to encoder: any Encoder) throws {
            var list = encoder.unkeyedContainer()
            func single(_ write: @escaping (inout any SingleValueEncodingContainer) throws -> Void) throws {
                try Writer(write: write).encode(to: list.superEncoder())
            }
            try single { try $0.encodeNil() }
            try single { try $0.encode(true) }
            try single { try $0.encode("s") }
            try single { try $0.encode(0.75) }
            try single { try $0.encode(Float(4)) }
            try single { try $0.encode(Int(-1)) }
            try single { try $0.encode(Int8(-2)) }
            try single { try $0.encode(Int16(-3)) }
            try single { try $0.encode(Int32(-4)) }
            try single { try $0.encode(Int64(-5)) }
            try single { try $0.encode(UInt(1)) }
            try single { try $0.encode(UInt8(2)) }
            try single { try $0.encode(UInt16(3)) }
            try single { try $0.encode(UInt32(4)) }
            try single { try $0.encode(UInt64(5)) }
            try single { try $0.encode([Snowflake(6)]) }
        }
    }

    struct Writer: Encodable {
        let write: (inout any SingleValueEncodingContainer) throws -> Void
        func encode(to encoder: any Encoder) throws {
            var container = encoder.singleValueContainer()
            try write(&container)
        }
    }

    @Test("every container method gives what JSONEncoder gives")
    func everything() throws {
        for value in [Everything(), Everything(double: -0.125)] {
            let direct = try JSONValueEncoder().encode(value)
            #expect(direct == (try JSONValue(parsing: JSONEncoder().encode(value))))
            #expect(direct["data"] == .string("AQID+g=="))
            #expect(direct["url"] == .string("https://discord.com/api/v10"))
            #expect(direct["absent"] == nil)
            #expect(direct["explicitNil"] == .null)
            #expect(direct["super"] == .integer(14))
        }
        #expect(try JSONValueEncoder().encode(Scalars()) == (try JSONValue(parsing: JSONEncoder().encode(Scalars()))))
        #expect(try JSONValueEncoder().encode(["top", "level"]) == .array([.string("top"), .string("level")]))
        #expect(try JSONValueEncoder().encode(Nothing()) == .object([:]), "a value that writes nothing is an empty object")
    }

    struct Nothing: Encodable {
        func encode(to encoder: any Encoder) throws {}
    }

    @Test("a number JSON cannot hold is refused, as JSONEncoder refuses it")
    func nonFinite() {
        for bad in [Double.nan, .infinity, -.infinity] {
            #expect(throws: EncodingError.self) { try JSONValueEncoder().encode(bad) }
            #expect(throws: EncodingError.self) { try JSONValueEncoder().encode(["x": bad]) }
            #expect(throws: EncodingError.self) { try JSONValueEncoder().encode([Float(bad)]) }
            #expect(throws: EncodingError.self) { try JSONEncoder().encode(["x": bad]) }
        }
    }
}
