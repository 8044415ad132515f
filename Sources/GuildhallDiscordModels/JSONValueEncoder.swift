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
        try JSONValueEncodingNode.box(value, codingPath: [])
    }
}

/// One value under construction. Most values are finished before their container sees
/// them and are stored as trees; a nested container or super-encoder handed out earlier
/// keeps writing into its own node, which is folded in at the end.
final class JSONValueEncodingNode {
    var scalar: JSONValue?
    var members: [String: JSONValue]?
    var elements: [JSONValue]?
    var deferredMembers: [String: JSONValueEncodingNode] = [:]
    var deferredElements: [Int: JSONValueEncodingNode] = [:]

    init(_ scalar: JSONValue? = nil) {
        self.scalar = scalar
    }

    func finish() -> JSONValue {
        if var members {
            for (key, node) in deferredMembers { members[key] = node.finish() }
            return .object(members)
        }
        if var elements {
            for (index, node) in deferredElements { elements[index] = node.finish() }
            return .array(elements)
        }
        return scalar ?? .object([:])
    }

    func setMember(_ value: JSONValue, _ key: String) {
        members![key] = value
        if !deferredMembers.isEmpty { deferredMembers[key] = nil }
    }

    func deferMember(_ key: String) -> JSONValueEncodingNode {
        let child = JSONValueEncodingNode()
        members![key] = .null
        deferredMembers[key] = child
        return child
    }

    func deferElement() -> JSONValueEncodingNode {
        let child = JSONValueEncodingNode()
        deferredElements[elements!.count] = child
        elements!.append(.null)
        return child
    }

    /// The value as a tree. The types `JSONEncoder` treats specially are recognised by
    /// type identity, which costs a pointer comparison, not a dynamic cast.
    static func box<T: Encodable>(_ value: T, codingPath: @autoclosure () -> [any CodingKey]) throws -> JSONValue {
        if T.self == String.self { return .string(value as! String) }
        if T.self == Int.self { return .integer(Int64(value as! Int)) }
        if T.self == Bool.self { return .bool(value as! Bool) }
        if T.self == Int64.self { return .integer(value as! Int64) }
        if T.self == JSONValue.self { return value as! JSONValue }
        if T.self == Data.self { return .string((value as! Data).base64EncodedString()) }
        if T.self == URL.self { return .string((value as! URL).absoluteString) }
        let node = JSONValueEncodingNode()
        try value.encode(to: JSONValueEncoderState(node: node, codingPath: codingPath()))
        return node.finish()
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

    private func set(_ value: JSONValue, _ key: Key) { node.setMember(value, key.stringValue) }

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
        node.setMember(try JSONValueEncodingNode.box(value, codingPath: codingPath + [key]), key.stringValue)
    }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type, forKey key: Key) -> KeyedEncodingContainer<NestedKey> {
        JSONValueEncoderState(node: node.deferMember(key.stringValue), codingPath: codingPath + [key]).container(keyedBy: keyType)
    }

    mutating func nestedUnkeyedContainer(forKey key: Key) -> any UnkeyedEncodingContainer {
        JSONValueEncoderState(node: node.deferMember(key.stringValue), codingPath: codingPath + [key]).unkeyedContainer()
    }

    mutating func superEncoder() -> any Encoder { superEncoder(named: "super") }

    mutating func superEncoder(forKey key: Key) -> any Encoder { superEncoder(named: key.stringValue) }

    private func superEncoder(named name: String) -> any Encoder {
        JSONValueEncoderState(node: node.deferMember(name), codingPath: codingPath)
    }
}

/// The value methods the unkeyed and the single-value containers share: each turns the
/// value into a tree and hands it to `put`, which appends it or sets it.
protocol JSONValueScalarWriter {
    var node: JSONValueEncodingNode { get }
    var codingPath: [any CodingKey] { get }
    func put(_ value: JSONValue)
}

extension JSONValueScalarWriter {
    mutating func encodeNil() throws { put(.null) }
    mutating func encode(_ value: Bool) throws { put(.bool(value)) }
    mutating func encode(_ value: String) throws { put(.string(value)) }
    mutating func encode(_ value: Double) throws { put(try JSONValueEncodingNode.number(value, codingPath: codingPath)) }
    mutating func encode(_ value: Float) throws { put(try JSONValueEncodingNode.number(Double(value), codingPath: codingPath)) }
    mutating func encode(_ value: Int) throws { put(.integer(Int64(value))) }
    mutating func encode(_ value: Int8) throws { put(.integer(Int64(value))) }
    mutating func encode(_ value: Int16) throws { put(.integer(Int64(value))) }
    mutating func encode(_ value: Int32) throws { put(.integer(Int64(value))) }
    mutating func encode(_ value: Int64) throws { put(.integer(value)) }
    mutating func encode(_ value: UInt) throws { put(JSONValueEncodingNode.unsigned(value)) }
    mutating func encode(_ value: UInt8) throws { put(.integer(Int64(value))) }
    mutating func encode(_ value: UInt16) throws { put(.integer(Int64(value))) }
    mutating func encode(_ value: UInt32) throws { put(.integer(Int64(value))) }
    mutating func encode(_ value: UInt64) throws { put(JSONValueEncodingNode.unsigned(value)) }
    mutating func encode<T: Encodable>(_ value: T) throws { put(try JSONValueEncodingNode.box(value, codingPath: codingPath)) }
}

struct JSONValueUnkeyedContainer: UnkeyedEncodingContainer, JSONValueScalarWriter {
    let node: JSONValueEncodingNode
    let codingPath: [any CodingKey]
    var count: Int { node.elements?.count ?? 0 }

    func put(_ value: JSONValue) { node.elements!.append(value) }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type) -> KeyedEncodingContainer<NestedKey> {
        JSONValueEncoderState(node: node.deferElement(), codingPath: codingPath).container(keyedBy: keyType)
    }

    mutating func nestedUnkeyedContainer() -> any UnkeyedEncodingContainer {
        JSONValueEncoderState(node: node.deferElement(), codingPath: codingPath).unkeyedContainer()
    }

    mutating func superEncoder() -> any Encoder {
        JSONValueEncoderState(node: node.deferElement(), codingPath: codingPath)
    }
}

struct JSONValueSingleContainer: SingleValueEncodingContainer, JSONValueScalarWriter {
    let node: JSONValueEncodingNode
    let codingPath: [any CodingKey]

    func put(_ value: JSONValue) {
        node.scalar = value
        node.members = nil
        node.elements = nil
        node.deferredMembers = [:]
        node.deferredElements = [:]
    }
}
