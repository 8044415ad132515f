/// A request field with three states, for PATCH bodies where Discord tells "leave it alone"
/// (key absent) from "clear it" (explicit `null`): a member's nickname or timeout.
public enum NullableField<Wrapped: Codable & Hashable & Sendable>: Hashable, Sendable {
    /// The key is left out: Discord keeps the current value.
    case absent
    /// The key is sent as `null`: Discord clears the value.
    case null
    case value(Wrapped)

    /// `.value(v)` for a value, `.null` for `nil`.
    public init(_ optional: Wrapped?) {
        self = optional.map { .value($0) } ?? .null
    }

    public var isAbsent: Bool { self == .absent }

    /// The value, or `nil` when absent or null.
    public var wrapped: Wrapped? {
        if case .value(let value) = self { return value }
        return nil
    }
}

extension KeyedEncodingContainer {
    /// Writes nothing for `.absent`, `null` for `.null`.
    public mutating func encode<Wrapped>(_ field: NullableField<Wrapped>, forKey key: Key) throws {
        switch field {
        case .absent: break
        case .null: try encodeNil(forKey: key)
        case .value(let value): try encode(value, forKey: key)
        }
    }
}

extension KeyedDecodingContainer {
    /// `.absent` when the key is missing, `.null` for `null`, else the decoded value.
    public func decodeNullableField<Wrapped>(_ type: Wrapped.Type, forKey key: Key) throws -> NullableField<Wrapped> {
        guard contains(key) else { return .absent }
        if try decodeNil(forKey: key) { return .null }
        return .value(try decode(Wrapped.self, forKey: key))
    }
}
