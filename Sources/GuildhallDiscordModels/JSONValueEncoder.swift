import Foundation

/// Encodes an `Encodable` value straight into a `JSONValue` tree: the tree
/// `JSONValue(parsing: JSONEncoder().encode(value))` would give, without writing and
/// re-reading the text. The sandbox Discord builds every payload it sends this way.
///
/// Follows `JSONEncoder`'s default strategies: `Data` as Base64, `URL` as its absolute
/// string, `Date` as it encodes itself (seconds since 2001), dictionary keys as strings.
/// Numbers that are not finite throw, as `JSONEncoder` throws.
public struct JSONValueEncoder: Sendable {
    public init() {}

    public func encode(_ value: some Encodable) throws -> JSONValue {
        try JSONValueEncodingNode.box(value, codingPath: []).finish()
    }
}

/// One value under construction. Containers are nodes so that nested containers handed out
/// earlier keep writing into the same place.
final class JSONValueEncodingNode {
    var scalar: JSONValue?
    var members: [String: JSONValueEncodingNode]?
    var elements: [JSONValueEncodingNode]?

    init(_ scalar: JSONValue? = nil) {
        self.scalar = scalar
    }

    func finish() -> JSONValue {
        if let members { return .object(members.mapValues { $0.finish() }) }
        if let elements { return .array(elements.map { $0.finish() }) }
        return scalar ?? .object([:])
    }

    static func box(_ value: some Encodable, codingPath: [any CodingKey]) throws -> JSONValueEncodingNode {
        switch value {
        case let text as String: return JSONValueEncodingNode(.string(text))
        case let flag as Bool: return JSONValueEncodingNode(.bool(flag))
        case let number as Int: return JSONValueEncodingNode(.integer(Int64(number)))
        case let number as Int64: return JSONValueEncodingNode(.integer(number))
        case let data as Data: return JSONValueEncodingNode(.string(data.base64EncodedString()))
        case let url as URL: return JSONValueEncodingNode(.string(url.absoluteString))
        case let json as JSONValue: return JSONValueEncodingNode(json)
        default:
            let node = JSONValueEncodingNode()
            try value.encode(to: JSONValueEncoderState(node: node, codingPath: codingPath))
            return node
        }
    }

    static func number(_ value: Double, codingPath: [any CodingKey]) throws -> JSONValue {
        guard value.isFinite else {
            throw EncodingError.invalidValue(value, .init(codingPath: codingPath, debugDescription: "\(value) is not a valid JSON number"))
        }
        if value == value.rounded(), let whole = Int64(exactly: value) { return .integer(whole) }
        return .double(value)
    }

    static func unsigned(_ value: some FixedWidthInteger) -> JSONValue {
        if let fits = Int64(exactly: value) { return .integer(fits) }
        return .double(Double(value))
    }
}

/// The `Encoder` handed to each value's `encode(to:)`.
struct JSONValueEncoderState: Encoder {
    let node: JSONValueEncodingNode
    let codingPath: [any CodingKey]
    var userInfo: [CodingUserInfoKey: Any] { [:] }

    func container<Key: CodingKey>(keyedBy type: Key.Type) -> KeyedEncodingContainer<Key> {
        if node.members == nil {
            node.members = [:]
            node.elements = nil
            node.scalar = nil
        }
        return KeyedEncodingContainer(JSONValueKeyedContainer<Key>(node: node, codingPath: codingPath))
    }

    func unkeyedContainer() -> any UnkeyedEncodingContainer {
        if node.elements == nil {
            node.elements = []
            node.members = nil
            node.scalar = nil
        }
        return JSONValueUnkeyedContainer(node: node, codingPath: codingPath)
    }

    func singleValueContainer() -> any SingleValueEncodingContainer {
        JSONValueSingleContainer(node: node, codingPath: codingPath)
    }
}

struct JSONValueKeyedContainer<Key: CodingKey>: KeyedEncodingContainerProtocol {
    let node: JSONValueEncodingNode
    let codingPath: [any CodingKey]

    private func set(_ value: JSONValue, _ key: Key) { node.members![key.stringValue] = JSONValueEncodingNode(value) }

    mutating func encodeNil(forKey key: Key) throws { set(.null, key) }
    mutating func encode(_ value: Bool, forKey key: Key) throws { set(.bool(value), key) }
    mutating func encode(_ value: String, forKey key: Key) throws { set(.string(value), key) }
    mutating func encode(_ value: Double, forKey key: Key) throws { set(try JSONValueEncodingNode.number(value, codingPath: codingPath + [key]), key) }
    mutating func encode(_ value: Float, forKey key: Key) throws { set(try JSONValueEncodingNode.number(Double(value), codingPath: codingPath + [key]), key) }
    mutating func encode(_ value: Int, forKey key: Key) throws { set(.integer(Int64(value)), key) }
    mutating func encode(_ value: Int8, forKey key: Key) throws { set(.integer(Int64(value)), key) }
    mutating func encode(_ value: Int16, forKey key: Key) throws { set(.integer(Int64(value)), key) }
    mutating func encode(_ value: Int32, forKey key: Key) throws { set(.integer(Int64(value)), key) }
    mutating func encode(_ value: Int64, forKey key: Key) throws { set(.integer(value), key) }
    mutating func encode(_ value: UInt, forKey key: Key) throws { set(JSONValueEncodingNode.unsigned(value), key) }
    mutating func encode(_ value: UInt8, forKey key: Key) throws { set(.integer(Int64(value)), key) }
    mutating func encode(_ value: UInt16, forKey key: Key) throws { set(.integer(Int64(value)), key) }
    mutating func encode(_ value: UInt32, forKey key: Key) throws { set(.integer(Int64(value)), key) }
    mutating func encode(_ value: UInt64, forKey key: Key) throws { set(JSONValueEncodingNode.unsigned(value), key) }

    mutating func encode<T: Encodable>(_ value: T, forKey key: Key) throws {
        node.members![key.stringValue] = try JSONValueEncodingNode.box(value, codingPath: codingPath + [key])
    }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type, forKey key: Key) -> KeyedEncodingContainer<NestedKey> {
        let child = JSONValueEncodingNode()
        node.members![key.stringValue] = child
        return JSONValueEncoderState(node: child, codingPath: codingPath + [key]).container(keyedBy: keyType)
    }

    mutating func nestedUnkeyedContainer(forKey key: Key) -> any UnkeyedEncodingContainer {
        let child = JSONValueEncodingNode()
        node.members![key.stringValue] = child
        return JSONValueEncoderState(node: child, codingPath: codingPath + [key]).unkeyedContainer()
    }

    mutating func superEncoder() -> any Encoder { superEncoder(named: "super") }

    mutating func superEncoder(forKey key: Key) -> any Encoder { superEncoder(named: key.stringValue) }

    private func superEncoder(named name: String) -> any Encoder {
        let child = JSONValueEncodingNode()
        node.members![name] = child
        return JSONValueEncoderState(node: child, codingPath: codingPath)
    }
}

struct JSONValueUnkeyedContainer: UnkeyedEncodingContainer {
    let node: JSONValueEncodingNode
    let codingPath: [any CodingKey]
    var count: Int { node.elements?.count ?? 0 }

    private func append(_ value: JSONValue) { node.elements!.append(JSONValueEncodingNode(value)) }

    mutating func encodeNil() throws { append(.null) }
    mutating func encode(_ value: Bool) throws { append(.bool(value)) }
    mutating func encode(_ value: String) throws { append(.string(value)) }
    mutating func encode(_ value: Double) throws { append(try JSONValueEncodingNode.number(value, codingPath: codingPath)) }
    mutating func encode(_ value: Float) throws { append(try JSONValueEncodingNode.number(Double(value), codingPath: codingPath)) }
    mutating func encode(_ value: Int) throws { append(.integer(Int64(value))) }
    mutating func encode(_ value: Int8) throws { append(.integer(Int64(value))) }
    mutating func encode(_ value: Int16) throws { append(.integer(Int64(value))) }
    mutating func encode(_ value: Int32) throws { append(.integer(Int64(value))) }
    mutating func encode(_ value: Int64) throws { append(.integer(value)) }
    mutating func encode(_ value: UInt) throws { append(JSONValueEncodingNode.unsigned(value)) }
    mutating func encode(_ value: UInt8) throws { append(.integer(Int64(value))) }
    mutating func encode(_ value: UInt16) throws { append(.integer(Int64(value))) }
    mutating func encode(_ value: UInt32) throws { append(.integer(Int64(value))) }
    mutating func encode(_ value: UInt64) throws { append(JSONValueEncodingNode.unsigned(value)) }

    mutating func encode<T: Encodable>(_ value: T) throws {
        node.elements!.append(try JSONValueEncodingNode.box(value, codingPath: codingPath))
    }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type) -> KeyedEncodingContainer<NestedKey> {
        let child = JSONValueEncodingNode()
        node.elements!.append(child)
        return JSONValueEncoderState(node: child, codingPath: codingPath).container(keyedBy: keyType)
    }

    mutating func nestedUnkeyedContainer() -> any UnkeyedEncodingContainer {
        let child = JSONValueEncodingNode()
        node.elements!.append(child)
        return JSONValueEncoderState(node: child, codingPath: codingPath).unkeyedContainer()
    }

    mutating func superEncoder() -> any Encoder {
        let child = JSONValueEncodingNode()
        node.elements!.append(child)
        return JSONValueEncoderState(node: child, codingPath: codingPath)
    }
}

struct JSONValueSingleContainer: SingleValueEncodingContainer {
    let node: JSONValueEncodingNode
    let codingPath: [any CodingKey]

    private func set(_ value: JSONValue) {
        node.scalar = value
        node.members = nil
        node.elements = nil
    }

    mutating func encodeNil() throws { set(.null) }
    mutating func encode(_ value: Bool) throws { set(.bool(value)) }
    mutating func encode(_ value: String) throws { set(.string(value)) }
    mutating func encode(_ value: Double) throws { set(try JSONValueEncodingNode.number(value, codingPath: codingPath)) }
    mutating func encode(_ value: Float) throws { set(try JSONValueEncodingNode.number(Double(value), codingPath: codingPath)) }
    mutating func encode(_ value: Int) throws { set(.integer(Int64(value))) }
    mutating func encode(_ value: Int8) throws { set(.integer(Int64(value))) }
    mutating func encode(_ value: Int16) throws { set(.integer(Int64(value))) }
    mutating func encode(_ value: Int32) throws { set(.integer(Int64(value))) }
    mutating func encode(_ value: Int64) throws { set(.integer(value)) }
    mutating func encode(_ value: UInt) throws { set(JSONValueEncodingNode.unsigned(value)) }
    mutating func encode(_ value: UInt8) throws { set(.integer(Int64(value))) }
    mutating func encode(_ value: UInt16) throws { set(.integer(Int64(value))) }
    mutating func encode(_ value: UInt32) throws { set(.integer(Int64(value))) }
    mutating func encode(_ value: UInt64) throws { set(JSONValueEncodingNode.unsigned(value)) }

    mutating func encode<T: Encodable>(_ value: T) throws {
        let boxed = try JSONValueEncodingNode.box(value, codingPath: codingPath)
        node.scalar = boxed.scalar
        node.members = boxed.members
        node.elements = boxed.elements
    }
}
