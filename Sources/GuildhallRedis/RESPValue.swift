import NIOCore

/// One value of the Redis serialization protocol, RESP2 and RESP3 alike.
///
/// Bulk strings stay `ByteBuffer` slices of the bytes read from the socket, so large or binary
/// values are never copied or decoded until asked for.
public enum RESPValue: Sendable, Equatable {
    case simpleString(String)
    case error(String)
    case integer(Int64)
    case bulkString(ByteBuffer)
    case null
    case array([RESPValue])
    case map([RESPMapEntry])
    case set([RESPValue])
    case double(Double)
    case boolean(Bool)
    case bigNumber(String)
    case verbatimString(format: String, text: String)
    case push([RESPValue])
}

/// One key/value pair of a RESP3 map, kept in the server's order.
public struct RESPMapEntry: Sendable, Equatable {
    public var key: RESPValue
    public var value: RESPValue

    public init(key: RESPValue, value: RESPValue) {
        self.key = key
        self.value = value
    }
}

extension RESPValue {
    /// A bulk string made from text; handy for tests and fakes.
    public static func bulkString(_ text: String) -> RESPValue {
        .bulkString(ByteBuffer(string: text))
    }

    /// The text of a simple, bulk or verbatim string (UTF-8), or the decimal text of an integer,
    /// double or big number; `nil` for null and aggregates.
    public var string: String? {
        switch self {
        case .simpleString(let text), .bigNumber(let text):
            return text
        case .bulkString(let buffer):
            return String(buffer: buffer)
        case .verbatimString(_, let text):
            return text
        case .integer(let value):
            return String(value)
        case .double(let value):
            return String(value)
        default:
            return nil
        }
    }

    /// The bytes of a bulk string, or the UTF-8 of any other string kind.
    public var buffer: ByteBuffer? {
        if case .bulkString(let buffer) = self { return buffer }
        return self.string.map { ByteBuffer(string: $0) }
    }

    /// An integer reply, or a string holding a decimal integer (as GET returns for counters).
    public var int: Int? {
        switch self {
        case .integer(let value):
            return Int(value)
        case .boolean(let value):
            return value ? 1 : 0
        case .simpleString, .bulkString, .bigNumber:
            return self.string.flatMap { Int($0) }
        default:
            return nil
        }
    }

    /// A double reply, or any numeric or numeric-text reply (RESP2 sends scores as bulk strings).
    public var double: Double? {
        switch self {
        case .double(let value):
            return value
        case .integer(let value):
            return Double(value)
        case .simpleString, .bulkString, .bigNumber:
            return self.string.flatMap { Double($0) }
        default:
            return nil
        }
    }

    /// A RESP3 boolean, or an integer 0/1 as RESP2 sends them.
    public var bool: Bool? {
        switch self {
        case .boolean(let value):
            return value
        case .integer(let value):
            return value != 0
        default:
            return nil
        }
    }

    /// The elements of an array, set or push; a map flattened to key, value, key, value.
    public var array: [RESPValue]? {
        switch self {
        case .array(let values), .set(let values), .push(let values):
            return values
        case .map(let entries):
            var flat: [RESPValue] = []
            flat.reserveCapacity(entries.count * 2)
            for entry in entries {
                flat.append(entry.key)
                flat.append(entry.value)
            }
            return flat
        default:
            return nil
        }
    }

    /// The pairs of a RESP3 map, or of a RESP2 flat array of alternating keys and values.
    public var mapEntries: [RESPMapEntry]? {
        switch self {
        case .map(let entries):
            return entries
        case .array(let values) where values.count % 2 == 0:
            return stride(from: 0, to: values.count, by: 2).map {
                RESPMapEntry(key: values[$0], value: values[$0 + 1])
            }
        default:
            return nil
        }
    }

    public var isNull: Bool {
        if case .null = self { return true }
        return false
    }

    /// The text of an error reply.
    public var errorMessage: String? {
        if case .error(let message) = self { return message }
        return nil
    }
}

extension RESPValue: CustomStringConvertible {
    public var description: String {
        switch self {
        case .simpleString(let text): return "+\(text)"
        case .error(let text): return "-\(text)"
        case .integer(let value): return ":\(value)"
        case .bulkString(let buffer): return "\"\(String(buffer: buffer))\""
        case .null: return "(null)"
        case .array(let values): return "[" + values.map(\.description).joined(separator: ", ") + "]"
        case .map(let entries):
            return "{" + entries.map { "\($0.key): \($0.value)" }.joined(separator: ", ") + "}"
        case .set(let values): return "~[" + values.map(\.description).joined(separator: ", ") + "]"
        case .double(let value): return ",\(value)"
        case .boolean(let value): return value ? "#t" : "#f"
        case .bigNumber(let text): return "(\(text)"
        case .verbatimString(let format, let text): return "=\(format):\(text)"
        case .push(let values): return ">[" + values.map(\.description).joined(separator: ", ") + "]"
        }
    }
}
