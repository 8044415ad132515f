import GuildhallRedis
import NIOCore
import Testing

@Suite("RESP parser and encoder")
struct RESPParserTests {
    let parser = RESPParser()

    func parseOne(_ text: String) throws -> RESPValue? {
        var buffer = ByteBuffer(text)
        let value = try parser.next(from: &buffer)
        if value != nil {
            #expect(buffer.readableBytes == 0, "left over: \(String(buffer: buffer))")
        }
        return value
    }

    @Test("every RESP2 and RESP3 type", arguments: [
        ("+OK\r\n", RESPValue.simpleString("OK")),
        ("-ERR bad thing\r\n", .error("ERR bad thing")),
        (":42\r\n", .integer(42)),
        (":-7\r\n", .integer(-7)),
        (":+3\r\n", .integer(3)),
        ("$5\r\nhello\r\n", .bulkString("hello")),
        ("$0\r\n\r\n", .bulkString("")),
        ("$-1\r\n", .null),
        ("*-1\r\n", .null),
        ("_\r\n", .null),
        ("*2\r\n:1\r\n$1\r\na\r\n", .array([.integer(1), .bulkString("a")])),
        ("*0\r\n", .array([])),
        ("%1\r\n+k\r\n:1\r\n", .map([RESPMapEntry(key: .simpleString("k"), value: .integer(1))])),
        ("~2\r\n:1\r\n:2\r\n", .set([.integer(1), .integer(2)])),
        (",3.5\r\n", .double(3.5)),
        (",inf\r\n", .double(.infinity)),
        (",-inf\r\n", .double(-.infinity)),
        ("#t\r\n", .boolean(true)),
        ("#f\r\n", .boolean(false)),
        ("(3492890328409238509324850943850943825024385\r\n", .bigNumber("3492890328409238509324850943850943825024385")),
        ("(-12\r\n", .bigNumber("-12")),
        ("=15\r\ntxt:Some string\r\n", .verbatimString(format: "txt", text: "Some string")),
        ("!21\r\nSYNTAX invalid syntax\r\n", .error("SYNTAX invalid syntax")),
        (">3\r\n$7\r\nmessage\r\n$2\r\nch\r\n$2\r\nhi\r\n", .push([.bulkString("message"), .bulkString("ch"), .bulkString("hi")])),
        ("*2\r\n*1\r\n%0\r\n~0\r\n", .array([.array([.map([])]), .set([])])),
    ])
    func types(input: String, expected: RESPValue) throws {
        #expect(try parseOne(input) == expected)
    }

    @Test func nanDouble() throws {
        let value = try parseOne(",nan\r\n")
        #expect(value?.double?.isNaN == true)
    }

    @Test func attributesArePassedOverToTheValue() throws {
        let input = "|1\r\n+key-popularity\r\n%2\r\n$1\r\na\r\n,0.1923\r\n$1\r\nb\r\n,0.0012\r\n*2\r\n:2039123\r\n:9543892\r\n"
        #expect(try parseOne(input) == .array([.integer(2_039_123), .integer(9_543_892)]))
    }

    @Test func everyPrefixOfAFrameIsIncompleteAndLeavesTheBufferAlone() throws {
        let frame = "*3\r\n%1\r\n$3\r\nkey\r\n~2\r\n,1.5\r\n#t\r\n$-1\r\n=8\r\ntxt:ab\r\n\r\n"
        let bytes = Array(frame.utf8)
        for cut in 0..<bytes.count {
            var buffer = ByteBuffer(bytes: bytes[0..<cut])
            #expect(try parser.next(from: &buffer) == nil, "prefix of \(cut) bytes")
            #expect(buffer.readerIndex == 0)
            #expect(buffer.readableBytes == cut)
        }
        var whole = ByteBuffer(bytes: bytes)
        let value = try parser.next(from: &whole)
        #expect(value == .array([
            .map([RESPMapEntry(key: .bulkString("key"), value: .set([.double(1.5), .boolean(true)]))]),
            .null,
            .verbatimString(format: "txt", text: "ab\r\n"),
        ]))
    }

    @Test func bytesArrivingOneAtATime() throws {
        let bytes = Array("+OK\r\n:1\r\n$3\r\nfoo\r\n".utf8)
        var buffer = ByteBuffer()
        var values: [RESPValue] = []
        for byte in bytes {
            buffer.writeInteger(byte)
            while let value = try parser.next(from: &buffer) {
                values.append(value)
            }
        }
        #expect(values == [.simpleString("OK"), .integer(1), .bulkString("foo")])
    }

    @Test("malformed input is a protocol violation", arguments: [
        "?what\r\n",
        ":abc\r\n",
        ":\r\n",
        ":-\r\n",
        ":99999999999999999999\r\n",
        ":-99999999999999999999\r\n",
        "$3\r\nabcd\r\n",
        "$-5\r\n",
        "+OK\rX",
        "#x\r\n",
        "#tt\r\n",
        ",abc\r\n",
        "(12a\r\n",
        "(\r\n",
        "_x\r\n",
        "=3\r\nabc\r\n",
        "=-1\r\n",
    ])
    func malformed(input: String) {
        var buffer = ByteBuffer(input)
        #expect {
            _ = try parser.next(from: &buffer)
        } throws: { error in
            (error as? RedisError)?.code == .protocolViolation
        }
    }

    @Test func nestingDeeperThanTheLimitIsRefused() throws {
        let shallow = RESPParser(maximumDepth: 3)
        var ok = ByteBuffer("*1\r\n*1\r\n*1\r\n:1\r\n")
        #expect(try shallow.next(from: &ok) == .array([.array([.array([.integer(1)])])]))
        var deep = ByteBuffer("*1\r\n*1\r\n*1\r\n*1\r\n:1\r\n")
        #expect(throws: RedisError.self) { try shallow.next(from: &deep) }
    }

    @Test func accessors() {
        #expect(RESPValue.simpleString("OK").string == "OK")
        #expect(RESPValue.bulkString("12").int == 12)
        #expect(RESPValue.bulkString("1.5").double == 1.5)
        #expect(RESPValue.integer(3).double == 3)
        #expect(RESPValue.integer(3).string == "3")
        #expect(RESPValue.double(2.5).string == "2.5")
        #expect(RESPValue.bigNumber("7").int == 7)
        #expect(RESPValue.verbatimString(format: "txt", text: "hi").string == "hi")
        #expect(RESPValue.boolean(true).int == 1)
        #expect(RESPValue.boolean(false).bool == false)
        #expect(RESPValue.integer(1).bool == true)
        #expect(RESPValue.null.bool == nil)
        #expect(RESPValue.null.isNull)
        #expect(!RESPValue.integer(0).isNull)
        #expect(RESPValue.null.string == nil)
        #expect(RESPValue.null.int == nil)
        #expect(RESPValue.null.double == nil)
        #expect(RESPValue.null.array == nil)
        #expect(RESPValue.error("ERR x").errorMessage == "ERR x")
        #expect(RESPValue.integer(1).errorMessage == nil)
        #expect(RESPValue.bulkString("ab").buffer == ByteBuffer("ab"))
        #expect(RESPValue.simpleString("ab").buffer == ByteBuffer("ab"))
        #expect(RESPValue.push([.integer(1)]).array == [.integer(1)])
        #expect(RESPValue.set([.integer(1)]).array == [.integer(1)])
        let map = RESPValue.map([RESPMapEntry(key: .bulkString("a"), value: .integer(1))])
        #expect(map.array == [.bulkString("a"), .integer(1)])
        #expect(map.mapEntries?.count == 1)
        #expect(RESPValue.array([.bulkString("a"), .integer(1)]).mapEntries == [RESPMapEntry(key: .bulkString("a"), value: .integer(1))])
        #expect(RESPValue.array([.integer(1)]).mapEntries == nil)
    }

    @Test func descriptions() {
        let value = RESPValue.array([
            .simpleString("OK"), .error("ERR"), .integer(1), .bulkString("b"), .null,
            .map([RESPMapEntry(key: .integer(1), value: .integer(2))]), .set([]), .double(1.5),
            .boolean(true), .boolean(false), .bigNumber("9"), .verbatimString(format: "txt", text: "t"), .push([]),
        ])
        #expect(value.description == "[+OK, -ERR, :1, \"b\", (null), {:1: :2}, ~[], ,1.5, #t, #f, (9, =txt:t, >[]]")
    }

    @Test func encodesCommandsAsArraysOfBulkStrings() {
        var buffer = ByteBuffer()
        buffer.writeRESPCommand(["SET", "key", "välue"])
        #expect(String(buffer: buffer) == "*3\r\n$3\r\nSET\r\n$3\r\nkey\r\n$6\r\nvälue\r\n")

        var mixed = ByteBuffer()
        mixed.writeRESPCommand([.string("INCRBY"), .bytes(ByteBuffer(bytes: [0, 13, 10])), .integer(-1234), 0, "x"])
        #expect(String(buffer: mixed) == "*5\r\n$6\r\nINCRBY\r\n$3\r\n\0\r\n\r\n$5\r\n-1234\r\n$1\r\n0\r\n$1\r\nx\r\n")

        var large = ByteBuffer()
        large.writeRESPBulkInteger(Int.max)
        #expect(String(buffer: large) == "$19\r\n\(Int.max)\r\n")
    }

    @Test func encodedCommandsParseBack() throws {
        var buffer = ByteBuffer()
        buffer.writeRESPArrayHeader(count: 2)
        buffer.writeRESPBulkString("GET")
        buffer.writeRESPBulkString(String(repeating: "k", count: 300))
        #expect(try parser.next(from: &buffer) == .array([.bulkString("GET"), .bulkString(String(repeating: "k", count: 300))]))
    }
}
