import Foundation

/// JSON text to `JSONValue` and back without `Codable`. Decoding a `JSONValue` through
/// Foundation's decoder guesses its type by trying each in turn and catching the errors,
/// which costs far more than the JSON itself; the sandbox Discord turns every request body
/// and every payload it sends through here.
extension JSONValue {
    /// Parses `bytes` as one JSON value (RFC 8259, strict). Numbers that are whole and fit in
    /// 64 bits become `.integer`, as Foundation's decoder makes them; others `.double`.
    public init(parsing bytes: some ContiguousBytes) throws {
        self = try bytes.withUnsafeBytes { buffer in
            let tape: GatewayJSONTape
            do {
                tape = try GatewayJSONTape(buffer)
            } catch {
                throw DecodingError.dataCorrupted(.init(codingPath: [], debugDescription: "\(error)"))
            }
            return try tape.jsonValue(at: 0)
        }
    }

    /// The value as compact JSON text (UTF-8), keys in the dictionary's order, slashes left
    /// unescaped: the same text `JSONEncoder` with `.withoutEscapingSlashes` writes.
    /// Numbers that are not finite, which JSON cannot hold, are written as `null`.
    public var jsonBytes: [UInt8] {
        var output: [UInt8] = []
        output.reserveCapacity(256)
        write(into: &output)
        return output
    }

    func write(into output: inout [UInt8]) {
        switch self {
        case .null:
            output.append(contentsOf: "null".utf8)
        case .bool(let value):
            output.append(contentsOf: (value ? "true" : "false").utf8)
        case .integer(let value):
            output.append(contentsOf: String(value).utf8)
        case .double(let value):
            guard value.isFinite else {
                output.append(contentsOf: "null".utf8)
                return
            }
            var text = value.description
            if text.hasSuffix(".0") { text.removeLast(2) }
            output.append(contentsOf: text.utf8)
        case .string(let value):
            Self.writeString(value, into: &output)
        case .array(let items):
            output.append(UInt8(ascii: "["))
            for (offset, item) in items.enumerated() {
                if offset > 0 { output.append(UInt8(ascii: ",")) }
                item.write(into: &output)
            }
            output.append(UInt8(ascii: "]"))
        case .object(let members):
            output.append(UInt8(ascii: "{"))
            var first = true
            for (key, member) in members {
                if !first { output.append(UInt8(ascii: ",")) }
                first = false
                Self.writeString(key, into: &output)
                output.append(UInt8(ascii: ":"))
                member.write(into: &output)
            }
            output.append(UInt8(ascii: "}"))
        }
    }

    static let hexDigits = Array("0123456789abcdef".utf8)

    static func writeString(_ text: String, into output: inout [UInt8]) {
        output.append(UInt8(ascii: "\""))
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "\""): output.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "\"")])
            case UInt8(ascii: "\\"): output.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "\\")])
            case 0x0A: output.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "n")])
            case 0x0D: output.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "r")])
            case 0x09: output.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "t")])
            case 0x08: output.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "b")])
            case 0x0C: output.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "f")])
            case 0..<0x20:
                output.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "u"), UInt8(ascii: "0"), UInt8(ascii: "0")])
                output.append(hexDigits[Int(byte >> 4)])
                output.append(hexDigits[Int(byte & 0x0F)])
            default:
                output.append(byte)
            }
        }
        output.append(UInt8(ascii: "\""))
    }
}

extension GatewayJSONTape {
    /// The value whose entry is at `index`, as a tree.
    func jsonValue(at index: Int) throws -> JSONValue {
        let entry = entries[index]
        switch entry.kind {
        case .null: return .null
        case .trueValue: return .bool(true)
        case .falseValue: return .bool(false)
        case .string, .escapedString: return .string(try string(entry))
        case .number:
            if let whole = integer(entry, as: Int64.self) { return .integer(whole) }
            return .double(double(entry) ?? .nan)
        case .array:
            var items: [JSONValue] = []
            items.reserveCapacity(Int(entry.count))
            var position = index + 1
            while position < Int(entry.end) {
                items.append(try jsonValue(at: position))
                position = skip(position)
            }
            return .array(items)
        case .object:
            var members: [String: JSONValue] = [:]
            var position = index + 1
            while position < Int(entry.end) {
                let key = try string(entries[position])
                members[key] = try jsonValue(at: position + 1)
                position = skip(position + 1)
            }
            return .object(members)
        }
    }
}
