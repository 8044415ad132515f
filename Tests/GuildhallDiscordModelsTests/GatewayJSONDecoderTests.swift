import Foundation
import GuildhallCore
@testable import GuildhallDiscordModels
import Testing

/// The gateway's own decoder must read JSON exactly as Foundation's does: the same values
/// through every container method, and an error wherever Foundation throws one.
@Suite("the gateway's JSON decoder agrees with Foundation's")
struct GatewayJSONDecoderTests {
    struct Key: CodingKey {
        var stringValue: String
        var intValue: Int? { nil }
        init(_ string: String) { stringValue = string }
        init?(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }
    }

    /// Calls every concrete method of every container kind and writes down what it read.
    struct Everything: Decodable, Equatable {
        var seen: [String] = []

        init(from decoder: any Decoder) throws {
            let keyed = try decoder.container(keyedBy: Key.self)
            func note(_ value: Any?) { seen.append(String(describing: value)) }
            note(try keyed.decode(Bool.self, forKey: Key("b")))
            note(try keyed.decode(String.self, forKey: Key("s")))
            note(try keyed.decode(Double.self, forKey: Key("d")))
            note(try keyed.decode(Float.self, forKey: Key("d")))
            note(try keyed.decode(Int.self, forKey: Key("i")))
            note(try keyed.decode(Int8.self, forKey: Key("i")))
            note(try keyed.decode(Int16.self, forKey: Key("i")))
            note(try keyed.decode(Int32.self, forKey: Key("i")))
            note(try keyed.decode(Int64.self, forKey: Key("i")))
            note(try keyed.decode(UInt.self, forKey: Key("i")))
            note(try keyed.decode(UInt8.self, forKey: Key("i")))
            note(try keyed.decode(UInt16.self, forKey: Key("i")))
            note(try keyed.decode(UInt32.self, forKey: Key("i")))
            note(try keyed.decode(UInt64.self, forKey: Key("big")))
            note(try keyed.decode(Snowflake.self, forKey: Key("id")))
            for key in ["b", "missing", "null"] {
                note(try keyed.decodeIfPresent(Bool.self, forKey: Key(key)))
            }
            for key in ["s", "missing", "null"] {
                note(try keyed.decodeIfPresent(String.self, forKey: Key(key)))
            }
            for key in ["d", "missing", "null"] {
                note(try keyed.decodeIfPresent(Double.self, forKey: Key(key)))
                note(try keyed.decodeIfPresent(Float.self, forKey: Key(key)))
            }
            for key in ["i", "missing", "null"] {
                note(try keyed.decodeIfPresent(Int.self, forKey: Key(key)))
                note(try keyed.decodeIfPresent(Int8.self, forKey: Key(key)))
                note(try keyed.decodeIfPresent(Int16.self, forKey: Key(key)))
                note(try keyed.decodeIfPresent(Int32.self, forKey: Key(key)))
                note(try keyed.decodeIfPresent(Int64.self, forKey: Key(key)))
                note(try keyed.decodeIfPresent(UInt.self, forKey: Key(key)))
                note(try keyed.decodeIfPresent(UInt8.self, forKey: Key(key)))
                note(try keyed.decodeIfPresent(UInt16.self, forKey: Key(key)))
                note(try keyed.decodeIfPresent(UInt32.self, forKey: Key(key)))
                note(try keyed.decodeIfPresent(UInt64.self, forKey: Key(key)))
            }
            for key in ["id", "missing", "null"] {
                note(try keyed.decodeIfPresent(Snowflake.self, forKey: Key(key)))
            }
            note(try keyed.decodeNil(forKey: Key("null")))
            note(try keyed.decodeNil(forKey: Key("b")))
            note(keyed.contains(Key("b")))
            note(keyed.contains(Key("missing")))
            note(keyed.allKeys.map(\.stringValue).sorted())

            let nested = try keyed.nestedContainer(keyedBy: Key.self, forKey: Key("object"))
            note(try nested.decode(String.self, forKey: Key("name")))
            let viaSuper = try keyed.superDecoder(forKey: Key("object")).container(keyedBy: Key.self)
            note(try viaSuper.decode(String.self, forKey: Key("name")))

            var list = try keyed.nestedUnkeyedContainer(forKey: Key("list"))
            note(list.count)
            note(list.isAtEnd)
            note(try list.decode(Bool.self))
            note(try list.decode(String.self))
            note(try list.decode(Double.self))
            note(try list.decode(Float.self))
            note(try list.decode(Int.self))
            note(try list.decode(Int8.self))
            note(try list.decode(Int16.self))
            note(try list.decode(Int32.self))
            note(try list.decode(Int64.self))
            note(try list.decode(UInt.self))
            note(try list.decode(UInt8.self))
            note(try list.decode(UInt16.self))
            note(try list.decode(UInt32.self))
            note(try list.decode(UInt64.self))
            note(try list.decodeNil())
            note(try list.decodeNil())
            note(try list.decode(Int.self))
            note(try list.decode(Snowflake.self))
            let inner = try list.nestedContainer(keyedBy: Key.self)
            note(try inner.decode(String.self, forKey: Key("name")))
            var innerList = try list.nestedUnkeyedContainer()
            note(try innerList.decode(Int.self))
            note(try list.superDecoder().singleValueContainer().decode(String.self))
            note(list.currentIndex)
            note(list.isAtEnd)
        }
    }

    static let document = """
        {"b": true, "s": "text \\u00e9\\n", "d": 1.5, "i": 7, "big": 18446744073709551615, "id": "80351110224678912",
         "null": null, "object": {"name": "inner", "extra": [1, {"deep": null}]},
         "list": [false, "x", 2.25, 2.25, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, null, 11, "175928847299117063",
                  {"name": "in list"}, [42], "last"]}
        """

    @Test("every container method reads what Foundation's reads")
    func everything() throws {
        let bytes = Data(Self.document.utf8)
        let ours = try GatewayJSONDecoder().decode(Everything.self, from: bytes)
        let theirs = try JSONDecoder().decode(Everything.self, from: bytes)
        #expect(ours == theirs)
        #expect(ours.seen.count == 92, "every call above left a note")
    }

    @Test("single values of every scalar type decode at the top level")
    func singleValues() throws {
        let decoder = GatewayJSONDecoder()
        #expect(try decoder.decode(Bool.self, from: Data("true".utf8)) == true)
        #expect(try decoder.decode(String.self, from: Data(#""a\tb""#.utf8)) == "a\tb")
        #expect(try decoder.decode(Double.self, from: Data("-2.5e3".utf8)) == -2_500)
        #expect(try decoder.decode(Float.self, from: Data("0.5".utf8)) == 0.5)
        #expect(try decoder.decode(Int.self, from: Data("-9".utf8)) == -9)
        #expect(try decoder.decode(Int8.self, from: Data("-128".utf8)) == -128)
        #expect(try decoder.decode(Int16.self, from: Data("300".utf8)) == 300)
        #expect(try decoder.decode(Int32.self, from: Data("70000".utf8)) == 70_000)
        #expect(try decoder.decode(Int64.self, from: Data("-9223372036854775808".utf8)) == .min)
        #expect(try decoder.decode(UInt.self, from: Data("9".utf8)) == 9)
        #expect(try decoder.decode(UInt8.self, from: Data("255".utf8)) == 255)
        #expect(try decoder.decode(UInt16.self, from: Data("65535".utf8)) == 65_535)
        #expect(try decoder.decode(UInt32.self, from: Data("4294967295".utf8)) == 4_294_967_295)
        #expect(try decoder.decode(UInt64.self, from: Data("18446744073709551615".utf8)) == .max)
        #expect(try decoder.decode(Int?.self, from: Data("null".utf8)) == nil)
        #expect(try decoder.decode([String: Int].self, from: Data(#"{"a":1,"b":2}"#.utf8)) == ["a": 1, "b": 2])
        #expect(try decoder.decode(JSONValue.self, from: Data(#"[1,"x",null,true,{"k":[]}]"#.utf8))
            == .array([.integer(1), .string("x"), .null, .bool(true), .object(["k": .array([])])]))
    }

    @Test("what Foundation refuses, the gateway decoder refuses too", arguments: [
        ("[", "not JSON"), (#"{"a":1"#, "unterminated object"), (#"{"a":1}x"#, "trailing bytes"),
        (#""no end"#, "unterminated string"), ("tru", "bad literal"), ("01", "leading zero"),
    ])
    func malformed(json: String, why: String) {
        let bytes = Data(json.utf8)
        #expect(throws: DecodingError.self, "Foundation, \(why)") { _ = try JSONDecoder().decode(JSONValue.self, from: bytes) }
        #expect(throws: DecodingError.self, "gateway, \(why)") { _ = try GatewayJSONDecoder().decode(JSONValue.self, from: bytes) }
    }

    struct Strict: Decodable {
        let number: UInt8
        let name: String
        let flags: [Bool]
    }

    @Test("type mismatches, missing keys, nulls and out-of-range numbers throw with a path", arguments: [
        #"{"number": "1", "name": "n", "flags": []}"#,
        #"{"number": 1, "flags": []}"#,
        #"{"number": 1, "name": null, "flags": []}"#,
        #"{"number": 300, "name": "n", "flags": []}"#,
        #"{"number": -1, "name": "n", "flags": []}"#,
        #"{"number": 1.5, "name": "n", "flags": []}"#,
        #"{"number": 1, "name": "n", "flags": [true, 1]}"#,
        #"{"number": 1, "name": "n", "flags": {}}"#,
        #"[1, "n", []]"#,
    ])
    func refusals(json: String) {
        let bytes = Data(json.utf8)
        #expect(throws: DecodingError.self, "Foundation") { _ = try JSONDecoder().decode(Strict.self, from: bytes) }
        #expect(throws: DecodingError.self, "gateway") { _ = try GatewayJSONDecoder().decode(Strict.self, from: bytes) }
    }

    @Test("reading past the end of an array is an error in both")
    func pastTheEnd() {
        struct TwoInts: Decodable {
            init(from decoder: any Decoder) throws {
                var list = try decoder.unkeyedContainer()
                _ = try list.decode(Int.self)
                _ = try list.decode(Int.self)
            }
        }
        let bytes = Data("[1]".utf8)
        #expect(throws: DecodingError.self) { _ = try JSONDecoder().decode(TwoInts.self, from: bytes) }
        #expect(throws: DecodingError.self) { _ = try GatewayJSONDecoder().decode(TwoInts.self, from: bytes) }
    }
}
