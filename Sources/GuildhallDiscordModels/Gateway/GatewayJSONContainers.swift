/// Members of one JSON object, found by name on the tape.
struct GatewayJSONKeyedContainer<Key: CodingKey>: KeyedDecodingContainerProtocol {
    let decoder: GatewayJSONValueDecoder

    var codingPath: [any CodingKey] { decoder.codingPath }

    var allKeys: [Key] {
        let storage = decoder.storage
        var keys: [Key] = []
        var position = decoder.index + 1
        let end = Int(storage.entries[decoder.index].end)
        while position < end {
            if let name = try? storage.string(storage.entries[position]), let key = Key(stringValue: name) { keys.append(key) }
            position = storage.skip(position + 1)
        }
        return keys
    }

    @inline(__always)
    private func find(_ key: Key) -> Int? {
        decoder.storage.member(named: key.stringValue, in: decoder.index)
    }

    private func require(_ key: Key) throws -> Int {
        guard let index = find(key) else {
            throw DecodingError.keyNotFound(key, .init(codingPath: codingPath, debugDescription: "no member '\(key.stringValue)'"))
        }
        return index
    }

    /// The member's entry unless it is absent or null.
    @inline(__always)
    private func present(_ key: Key) -> Int? {
        guard let index = find(key), decoder.storage.entries[index].kind != .null else { return nil }
        return index
    }

    func contains(_ key: Key) -> Bool { find(key) != nil }

    func decodeNil(forKey key: Key) throws -> Bool {
        decoder.storage.entries[try require(key)].kind == .null
    }

    func decode(_ type: Bool.Type, forKey key: Key) throws -> Bool {
        let index = try require(key)
        return try decoder.bool(decoder.storage.entries[index], at: index, key: key)
    }

    func decode(_ type: String.Type, forKey key: Key) throws -> String {
        let index = try require(key)
        return try decoder.string(decoder.storage.entries[index], at: index, key: key)
    }

    func decode(_ type: Double.Type, forKey key: Key) throws -> Double { try number(type, key) }
    func decode(_ type: Float.Type, forKey key: Key) throws -> Float { try number(type, key) }
    func decode(_ type: Int.Type, forKey key: Key) throws -> Int { try whole(type, key) }
    func decode(_ type: Int8.Type, forKey key: Key) throws -> Int8 { try whole(type, key) }
    func decode(_ type: Int16.Type, forKey key: Key) throws -> Int16 { try whole(type, key) }
    func decode(_ type: Int32.Type, forKey key: Key) throws -> Int32 { try whole(type, key) }
    func decode(_ type: Int64.Type, forKey key: Key) throws -> Int64 { try whole(type, key) }
    func decode(_ type: UInt.Type, forKey key: Key) throws -> UInt { try whole(type, key) }
    func decode(_ type: UInt8.Type, forKey key: Key) throws -> UInt8 { try whole(type, key) }
    func decode(_ type: UInt16.Type, forKey key: Key) throws -> UInt16 { try whole(type, key) }
    func decode(_ type: UInt32.Type, forKey key: Key) throws -> UInt32 { try whole(type, key) }
    func decode(_ type: UInt64.Type, forKey key: Key) throws -> UInt64 { try whole(type, key) }

    func decode<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T {
        try decoder.decodeValue(type, at: try require(key), key: key)
    }

    private func whole<T: FixedWidthInteger>(_ type: T.Type, _ key: Key) throws -> T {
        let index = try require(key)
        return try decoder.integer(type, decoder.storage.entries[index], at: index, key: key)
    }

    private func number<T: BinaryFloatingPoint>(_ type: T.Type, _ key: Key) throws -> T {
        let index = try require(key)
        return try decoder.floatingPoint(type, decoder.storage.entries[index], at: index, key: key)
    }

    // One lookup per optional member (the default implementations would look it up three times).

    func decodeIfPresent(_ type: Bool.Type, forKey key: Key) throws -> Bool? {
        guard let index = present(key) else { return nil }
        return try decoder.bool(decoder.storage.entries[index], at: index, key: key)
    }

    func decodeIfPresent(_ type: String.Type, forKey key: Key) throws -> String? {
        guard let index = present(key) else { return nil }
        return try decoder.string(decoder.storage.entries[index], at: index, key: key)
    }

    func decodeIfPresent(_ type: Double.Type, forKey key: Key) throws -> Double? { try optionalNumber(type, key) }
    func decodeIfPresent(_ type: Float.Type, forKey key: Key) throws -> Float? { try optionalNumber(type, key) }
    func decodeIfPresent(_ type: Int.Type, forKey key: Key) throws -> Int? { try optionalWhole(type, key) }
    func decodeIfPresent(_ type: Int8.Type, forKey key: Key) throws -> Int8? { try optionalWhole(type, key) }
    func decodeIfPresent(_ type: Int16.Type, forKey key: Key) throws -> Int16? { try optionalWhole(type, key) }
    func decodeIfPresent(_ type: Int32.Type, forKey key: Key) throws -> Int32? { try optionalWhole(type, key) }
    func decodeIfPresent(_ type: Int64.Type, forKey key: Key) throws -> Int64? { try optionalWhole(type, key) }
    func decodeIfPresent(_ type: UInt.Type, forKey key: Key) throws -> UInt? { try optionalWhole(type, key) }
    func decodeIfPresent(_ type: UInt8.Type, forKey key: Key) throws -> UInt8? { try optionalWhole(type, key) }
    func decodeIfPresent(_ type: UInt16.Type, forKey key: Key) throws -> UInt16? { try optionalWhole(type, key) }
    func decodeIfPresent(_ type: UInt32.Type, forKey key: Key) throws -> UInt32? { try optionalWhole(type, key) }
    func decodeIfPresent(_ type: UInt64.Type, forKey key: Key) throws -> UInt64? { try optionalWhole(type, key) }

    func decodeIfPresent<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T? {
        guard let index = present(key) else { return nil }
        return try decoder.decodeValue(type, at: index, key: key)
    }

    private func optionalWhole<T: FixedWidthInteger>(_ type: T.Type, _ key: Key) throws -> T? {
        guard let index = present(key) else { return nil }
        return try decoder.integer(type, decoder.storage.entries[index], at: index, key: key)
    }

    private func optionalNumber<T: BinaryFloatingPoint>(_ type: T.Type, _ key: Key) throws -> T? {
        guard let index = present(key) else { return nil }
        return try decoder.floatingPoint(type, decoder.storage.entries[index], at: index, key: key)
    }

    // MARK: Nesting

    private func child(_ key: Key) throws -> GatewayJSONValueDecoder {
        GatewayJSONValueDecoder(storage: decoder.storage, index: try require(key), parent: decoder, key: key)
    }

    func nestedContainer<NestedKey: CodingKey>(keyedBy type: NestedKey.Type, forKey key: Key) throws -> KeyedDecodingContainer<NestedKey> {
        try child(key).container(keyedBy: type)
    }

    func nestedUnkeyedContainer(forKey key: Key) throws -> any UnkeyedDecodingContainer {
        try child(key).unkeyedContainer()
    }

    func superDecoder() throws -> any Decoder {
        guard let index = decoder.storage.member(named: "super", in: decoder.index) else {
            return GatewayJSONValueDecoder(storage: decoder.storage, index: decoder.index, parent: decoder, key: nil)
        }
        return GatewayJSONValueDecoder(storage: decoder.storage, index: index, parent: decoder, key: nil)
    }

    func superDecoder(forKey key: Key) throws -> any Decoder {
        try child(key)
    }
}

/// The elements of one JSON array, in order.
struct GatewayJSONUnkeyedContainer: UnkeyedDecodingContainer {
    let decoder: GatewayJSONValueDecoder
    let count: Int?
    private(set) var currentIndex = 0
    /// The tape entry of the current element.
    private var position: Int

    init(decoder: GatewayJSONValueDecoder) {
        self.decoder = decoder
        count = Int(decoder.storage.entries[decoder.index].count)
        position = decoder.index + 1
    }

    var codingPath: [any CodingKey] { decoder.codingPath }
    var isAtEnd: Bool { currentIndex >= count! }

    private var key: GatewayJSONIndexKey { GatewayJSONIndexKey(currentIndex) }

    private mutating func advance() {
        position = decoder.storage.skip(position)
        currentIndex += 1
    }

    private func checkNotAtEnd(_ type: Any.Type) throws {
        guard !isAtEnd else {
            throw DecodingError.valueNotFound(type, .init(codingPath: codingPath + [key], debugDescription: "the array has no more elements"))
        }
    }

    mutating func decodeNil() throws -> Bool {
        try checkNotAtEnd(Never.self)
        guard decoder.storage.entries[position].kind == .null else { return false }
        advance()
        return true
    }

    mutating func decode(_ type: Bool.Type) throws -> Bool {
        try checkNotAtEnd(type)
        let value = try decoder.bool(decoder.storage.entries[position], at: position, key: key)
        advance()
        return value
    }

    mutating func decode(_ type: String.Type) throws -> String {
        try checkNotAtEnd(type)
        let value = try decoder.string(decoder.storage.entries[position], at: position, key: key)
        advance()
        return value
    }

    mutating func decode(_ type: Double.Type) throws -> Double { try number(type) }
    mutating func decode(_ type: Float.Type) throws -> Float { try number(type) }
    mutating func decode(_ type: Int.Type) throws -> Int { try whole(type) }
    mutating func decode(_ type: Int8.Type) throws -> Int8 { try whole(type) }
    mutating func decode(_ type: Int16.Type) throws -> Int16 { try whole(type) }
    mutating func decode(_ type: Int32.Type) throws -> Int32 { try whole(type) }
    mutating func decode(_ type: Int64.Type) throws -> Int64 { try whole(type) }
    mutating func decode(_ type: UInt.Type) throws -> UInt { try whole(type) }
    mutating func decode(_ type: UInt8.Type) throws -> UInt8 { try whole(type) }
    mutating func decode(_ type: UInt16.Type) throws -> UInt16 { try whole(type) }
    mutating func decode(_ type: UInt32.Type) throws -> UInt32 { try whole(type) }
    mutating func decode(_ type: UInt64.Type) throws -> UInt64 { try whole(type) }

    mutating func decode<T: Decodable>(_ type: T.Type) throws -> T {
        try checkNotAtEnd(type)
        let value = try decoder.decodeValue(type, at: position, key: key)
        advance()
        return value
    }

    private mutating func whole<T: FixedWidthInteger>(_ type: T.Type) throws -> T {
        try checkNotAtEnd(type)
        let value = try decoder.integer(type, decoder.storage.entries[position], at: position, key: key)
        advance()
        return value
    }

    private mutating func number<T: BinaryFloatingPoint>(_ type: T.Type) throws -> T {
        try checkNotAtEnd(type)
        let value = try decoder.floatingPoint(type, decoder.storage.entries[position], at: position, key: key)
        advance()
        return value
    }

    private mutating func child() throws -> GatewayJSONValueDecoder {
        try checkNotAtEnd(Any.self)
        let child = GatewayJSONValueDecoder(storage: decoder.storage, index: position, parent: decoder, key: key)
        advance()
        return child
    }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy type: NestedKey.Type) throws -> KeyedDecodingContainer<NestedKey> {
        try child().container(keyedBy: type)
    }

    mutating func nestedUnkeyedContainer() throws -> any UnkeyedDecodingContainer {
        try child().unkeyedContainer()
    }

    mutating func superDecoder() throws -> any Decoder {
        try child()
    }
}
