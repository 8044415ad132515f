
/// The `Decoder` for one value of a `GatewayJSONDecoder` call. It is also the value's
/// single-value container, so reading a scalar allocates nothing more.
final class GatewayJSONValueDecoder: Decoder, SingleValueDecodingContainer {
    typealias Entry = GatewayJSONTape.Entry

    let storage: GatewayJSONStorage
    let index: Int
    let parent: GatewayJSONValueDecoder?
    let key: (any CodingKey)?

    init(storage: GatewayJSONStorage, index: Int, parent: GatewayJSONValueDecoder?, key: (any CodingKey)?) {
        self.storage = storage
        self.index = index
        self.parent = parent
        self.key = key
    }

    /// Built only when asked for (errors), so decoding never pays for paths.
    var codingPath: [any CodingKey] {
        var path: [any CodingKey] = []
        var node: GatewayJSONValueDecoder? = self
        while let current = node {
            if let key = current.key { path.append(key) }
            node = current.parent
        }
        return path.reversed()
    }

    var userInfo: [CodingUserInfoKey: Any] { [:] }

    var entry: Entry { storage.entries[index] }


    // MARK: Decoder

    func container<Key: CodingKey>(keyedBy type: Key.Type) throws -> KeyedDecodingContainer<Key> {
        guard entry.kind == .object else { throw mismatch([String: Int].self, at: index, path: codingPath) }
        return KeyedDecodingContainer(GatewayJSONKeyedContainer<Key>(decoder: self))
    }

    func unkeyedContainer() throws -> any UnkeyedDecodingContainer {
        guard entry.kind == .array else { throw mismatch([Int].self, at: index, path: codingPath) }
        return GatewayJSONUnkeyedContainer(decoder: self)
    }

    func singleValueContainer() throws -> any SingleValueDecodingContainer { self }

    /// The bytes of this value as they appear in the text (for payloads kept raw).
    var rawBytes: [UInt8] {
        let entry = self.entry
        let bytes = storage.bytes
        switch entry.kind {
        case .string, .escapedString:
            return Array(bytes[Int(entry.start) - 1...Int(entry.end)])
        case .object, .array:
            // Walk to the matching bracket; brackets inside strings do not count.
            var depth = 0
            var position = Int(entry.start)
            var inString = false
            while position < bytes.count {
                let byte = bytes[position]
                if inString {
                    if byte == UInt8(ascii: "\\") {
                        position += 1
                    } else if byte == UInt8(ascii: "\"") {
                        inString = false
                    }
                } else if byte == UInt8(ascii: "\"") {
                    inString = true
                } else if byte == UInt8(ascii: "{") || byte == UInt8(ascii: "[") {
                    depth += 1
                } else if byte == UInt8(ascii: "}") || byte == UInt8(ascii: "]") {
                    depth -= 1
                    if depth == 0 { break }
                }
                position += 1
            }
            return Array(bytes[Int(entry.start)...position])
        default:
            return Array(bytes[Int(entry.start)..<Int(entry.end)])
        }
    }

    // MARK: Values

    /// Decodes the value at `index`, with fast paths for strings, numbers and snowflakes.
    func decodeValue<T: Decodable>(_ type: T.Type, at index: Int, key: @autoclosure () -> (any CodingKey)?) throws -> T {
        let entry = storage.entries[index]
        if T.self == String.self {
            return unsafeBitCast(try string(entry, at: index, key: key()), to: T.self)
        }
        if T.self == Snowflake.self {
            guard let value = storage.snowflake(entry) else { throw corrupt("not a snowflake", at: index, key: key()) }
            return unsafeBitCast(value, to: T.self)
        }
        if T.self == Int.self { return unsafeBitCast(try integer(Int.self, entry, at: index, key: key()), to: T.self) }
        if T.self == Bool.self { return unsafeBitCast(try bool(entry, at: index, key: key()), to: T.self) }
        // The hot types, when their fast path is sure; otherwise their own init(from:).
        if T.self == GatewayServerPayload.self, let payload = fastServerPayload(at: index) { return unsafeBitCast(payload, to: T.self) }
        if T.self == Message.self, let message = fastMessage(at: index) { return unsafeBitCast(message, to: T.self) }
        if T.self == User.self, let user = fastUser(at: index) { return unsafeBitCast(user, to: T.self) }
        if T.self == GuildMember.self, let member = fastGuildMember(at: index) { return unsafeBitCast(member, to: T.self) }
        return try T(from: GatewayJSONValueDecoder(storage: storage, index: index, parent: self, key: key()))
    }

    func path(_ key: (any CodingKey)?) -> [any CodingKey] {
        key.map { codingPath + [$0] } ?? codingPath
    }

    func mismatch(_ type: Any.Type, at index: Int, path: [any CodingKey]) -> DecodingError {
        if storage.entries[index].kind == .null {
            return DecodingError.valueNotFound(type, .init(codingPath: path, debugDescription: "expected \(type) but found null"))
        }
        return DecodingError.typeMismatch(type, .init(codingPath: path, debugDescription: "expected \(type) but found \(storage.entries[index].kind)"))
    }

    func corrupt(_ reason: String, at index: Int, key: @autoclosure () -> (any CodingKey)?) -> DecodingError {
        if storage.entries[index].kind == .null {
            return DecodingError.valueNotFound(Snowflake.self, .init(codingPath: path(key()), debugDescription: "expected a value but found null"))
        }
        let text = String(decoding: storage.text(storage.entries[index]), as: UTF8.self)
        return DecodingError.dataCorrupted(.init(codingPath: path(key()), debugDescription: "'\(text)' is \(reason)"))
    }

    func string(_ entry: Entry, at index: Int, key: @autoclosure () -> (any CodingKey)?) throws -> String {
        guard entry.kind == .string || entry.kind == .escapedString else { throw mismatch(String.self, at: index, path: path(key())) }
        return try storage.string(entry)
    }

    func bool(_ entry: Entry, at index: Int, key: @autoclosure () -> (any CodingKey)?) throws -> Bool {
        switch entry.kind {
        case .trueValue: return true
        case .falseValue: return false
        default: throw mismatch(Bool.self, at: index, path: path(key()))
        }
    }

    func integer<T: FixedWidthInteger>(_ type: T.Type, _ entry: Entry, at index: Int, key: @autoclosure () -> (any CodingKey)?) throws -> T {
        guard entry.kind == .number else { throw mismatch(type, at: index, path: path(key())) }
        guard let value = storage.integer(entry, as: type) else {
            throw corrupt("not representable as \(type)", at: index, key: key())
        }
        return value
    }

    func floatingPoint<T: BinaryFloatingPoint>(_ type: T.Type, _ entry: Entry, at index: Int, key: @autoclosure () -> (any CodingKey)?) throws -> T {
        guard let value = storage.double(entry) else { throw mismatch(type, at: index, path: path(key())) }
        let converted = T(value)
        guard converted.isFinite || !value.isFinite else { throw corrupt("out of range for \(type)", at: index, key: key()) }
        return converted
    }

    // MARK: SingleValueDecodingContainer

    func decodeNil() -> Bool { entry.kind == .null }
    func decode(_ type: Bool.Type) throws -> Bool { try bool(entry, at: index, key: nil) }
    func decode(_ type: String.Type) throws -> String { try string(entry, at: index, key: nil) }
    func decode(_ type: Double.Type) throws -> Double { try floatingPoint(type, entry, at: index, key: nil) }
    func decode(_ type: Float.Type) throws -> Float { try floatingPoint(type, entry, at: index, key: nil) }
    func decode(_ type: Int.Type) throws -> Int { try integer(type, entry, at: index, key: nil) }
    func decode(_ type: Int8.Type) throws -> Int8 { try integer(type, entry, at: index, key: nil) }
    func decode(_ type: Int16.Type) throws -> Int16 { try integer(type, entry, at: index, key: nil) }
    func decode(_ type: Int32.Type) throws -> Int32 { try integer(type, entry, at: index, key: nil) }
    func decode(_ type: Int64.Type) throws -> Int64 { try integer(type, entry, at: index, key: nil) }
    func decode(_ type: UInt.Type) throws -> UInt { try integer(type, entry, at: index, key: nil) }
    func decode(_ type: UInt8.Type) throws -> UInt8 { try integer(type, entry, at: index, key: nil) }
    func decode(_ type: UInt16.Type) throws -> UInt16 { try integer(type, entry, at: index, key: nil) }
    func decode(_ type: UInt32.Type) throws -> UInt32 { try integer(type, entry, at: index, key: nil) }
    func decode(_ type: UInt64.Type) throws -> UInt64 { try integer(type, entry, at: index, key: nil) }

    func decode<T: Decodable>(_ type: T.Type) throws -> T {
        if T.self == String.self || T.self == Snowflake.self || T.self == Int.self || T.self == Bool.self {
            return try decodeValue(type, at: index, key: nil)
        }
        // The same value, read as another type (a wrapper decoding what it wraps).
        return try T(from: self)
    }
}

/// A position inside an array, as a coding key.
struct GatewayJSONIndexKey: CodingKey {
    let intValue: Int?
    var stringValue: String { "Index \(intValue ?? 0)" }

    init(_ index: Int) { intValue = index }
    init?(intValue: Int) { self.intValue = intValue }
    init?(stringValue: String) { return nil }
}
