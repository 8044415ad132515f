import Foundation

/// A JSON decoder for the gateway's hot path, several times faster than Foundation's on
/// Discord payloads: one strict pass records where every value lies (`GatewayJSONTape`),
/// then `Decodable` types read members straight from the bytes. Strings and numbers are
/// converted only when a type asks for them, snowflakes are parsed without making a string,
/// and whole containers a type does not read are skipped without being looked at.
///
/// Errors are `DecodingError`s with coding paths, as Foundation's. The bytes are only
/// borrowed for the call: nothing decoded keeps a pointer to them.
public struct GatewayJSONDecoder: Sendable {
    public init() {}

    public func decode<T: Decodable>(_ type: T.Type, from bytes: UnsafeRawBufferPointer) throws -> T {
        let tape: GatewayJSONTape
        do {
            tape = try GatewayJSONTape(bytes)
        } catch {
            throw DecodingError.dataCorrupted(.init(codingPath: [], debugDescription: error.description))
        }
        return try GatewayJSONValueDecoder(storage: tape, index: 0, parent: nil, key: nil).decodeValue(type, at: 0, key: nil)
    }

    public func decode<T: Decodable>(_ type: T.Type, from bytes: some ContiguousBytes) throws -> T {
        try bytes.withUnsafeBytes { try decode(type, from: $0) }
    }
}

/// Reading values off the tape; one tape is shared by every decoder of a `decode` call.
typealias GatewayJSONStorage = GatewayJSONTape

extension GatewayJSONTape {

    /// The entry after `index` and everything inside it.
    @inline(__always)
    func skip(_ index: Int) -> Int {
        let entry = entries[index]
        return entry.kind == .object || entry.kind == .array ? Int(entry.end) : index + 1
    }

    /// The value entry of the member called `name`. The search starts where the last lookup
    /// in this object ended (types usually read members in the order they were written; the
    /// object entry's `count` keeps that place) and wraps around once.
    func member(named name: String, in object: Int) -> Int? {
        var name = name
        return name.withUTF8 { key -> Int? in
            let first = object + 1
            let end = Int(entries[object].end)
            let hint = Int(entries[object].count)
            let start = hint > first && hint < end ? hint : first
            var position = start
            while position < end {
                let value = position + 1
                if keyMatches(entries[position], key) {
                    entries[object].count = UInt32(skip(value))
                    return value
                }
                position = skip(value)
            }
            position = first
            while position < start {
                let value = position + 1
                if keyMatches(entries[position], key) {
                    entries[object].count = UInt32(skip(value))
                    return value
                }
                position = skip(value)
            }
            return nil
        }
    }

    @inline(__always)
    private func keyMatches(_ entry: Entry, _ key: UnsafeBufferPointer<UInt8>) -> Bool {
        let length = Int(entry.end - entry.start)
        if entry.kind == .string {
            guard length == key.count else { return false }
            guard length > 0 else { return true }
            return memcmp(bytes.baseAddress! + Int(entry.start), key.baseAddress!, length) == 0
        }
        guard let text = try? unescaped(entry) else { return false }
        return text.elementsEqual(key)
    }

    func text(_ entry: Entry) -> UnsafeRawBufferPointer {
        UnsafeRawBufferPointer(rebasing: bytes[Int(entry.start)..<Int(entry.end)])
    }

    /// A string entry as a `String`.
    func string(_ entry: Entry) throws -> String {
        if entry.kind == .string { return String(decoding: text(entry), as: UTF8.self) }
        return String(decoding: try unescaped(entry), as: UTF8.self)
    }

    /// The bytes of an escaped string with its escapes resolved.
    func unescaped(_ entry: Entry) throws -> [UInt8] {
        var output: [UInt8] = []
        output.reserveCapacity(Int(entry.end - entry.start))
        var index = Int(entry.start)
        let end = Int(entry.end)
        func corrupt(_ reason: String) -> DecodingError {
            DecodingError.dataCorrupted(.init(codingPath: [], debugDescription: "invalid escape at byte \(index): \(reason)"))
        }
        func hex(at position: Int) throws -> UInt32 {
            guard position + 4 <= end else { throw corrupt("short \\u escape") }
            var value: UInt32 = 0
            for offset in 0..<4 {
                let byte = bytes[position + offset]
                let digit: UInt8
                switch byte {
                case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = byte - UInt8(ascii: "0")
                case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = byte - UInt8(ascii: "a") + 10
                case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = byte - UInt8(ascii: "A") + 10
                default: throw corrupt("bad hex digit")
                }
                value = value << 4 | UInt32(digit)
            }
            return value
        }
        while index < end {
            let byte = bytes[index]
            guard byte == UInt8(ascii: "\\") else {
                output.append(byte)
                index += 1
                continue
            }
            guard index + 1 < end else { throw corrupt("dangling backslash") }
            let escape = bytes[index + 1]
            index += 2
            switch escape {
            case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): output.append(escape)
            case UInt8(ascii: "b"): output.append(0x08)
            case UInt8(ascii: "f"): output.append(0x0C)
            case UInt8(ascii: "n"): output.append(0x0A)
            case UInt8(ascii: "r"): output.append(0x0D)
            case UInt8(ascii: "t"): output.append(0x09)
            case UInt8(ascii: "u"):
                var scalar = try hex(at: index)
                index += 4
                if (0xD800...0xDBFF).contains(scalar) {
                    guard index + 6 <= end, bytes[index] == UInt8(ascii: "\\"), bytes[index + 1] == UInt8(ascii: "u") else {
                        throw corrupt("unpaired surrogate")
                    }
                    let low = try hex(at: index + 2)
                    guard (0xDC00...0xDFFF).contains(low) else { throw corrupt("unpaired surrogate") }
                    index += 6
                    scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
                }
                guard let unicode = Unicode.Scalar(scalar) else { throw corrupt("not a Unicode scalar") }
                output.append(contentsOf: UTF8.encode(unicode)!)
            default:
                throw corrupt("unknown escape")
            }
        }
        return output
    }

    /// An integer entry; numbers written with a fraction or exponent must still be whole.
    func integer<T: FixedWidthInteger>(_ entry: Entry, as type: T.Type) -> T? {
        var index = Int(entry.start)
        let end = Int(entry.end)
        let negative = bytes[index] == UInt8(ascii: "-")
        if negative {
            guard T.isSigned else { return nil }
            index += 1
        }
        var value: T = 0
        while index < end {
            let byte = bytes[index]
            guard byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") else {
                // A fraction or exponent: accept only an exact whole number.
                guard let double = Double(String(decoding: text(entry), as: UTF8.self)), let exact = T(exactly: double) else { return nil }
                return exact
            }
            let digit = T(byte - UInt8(ascii: "0"))
            let (shifted, overflowA) = value.multipliedReportingOverflow(by: 10)
            let (next, overflowB) = negative ? shifted.subtractingReportingOverflow(digit) : shifted.addingReportingOverflow(digit)
            guard !overflowA, !overflowB else { return nil }
            value = next
            index += 1
        }
        return value
    }

    /// A snowflake from its string (the wire form) or, tolerantly, a number: no String made.
    func snowflake(_ entry: Entry) -> Snowflake? {
        switch entry.kind {
        case .number:
            return integer(entry, as: UInt64.self).map(Snowflake.init)
        case .string:
            guard entry.end > entry.start else { return nil }
            var value: UInt64 = 0
            for index in Int(entry.start)..<Int(entry.end) {
                let byte = bytes[index]
                guard byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") else { return nil }
                let (shifted, overflowA) = value.multipliedReportingOverflow(by: 10)
                let (next, overflowB) = shifted.addingReportingOverflow(UInt64(byte - UInt8(ascii: "0")))
                guard !overflowA, !overflowB else { return nil }
                value = next
            }
            return Snowflake(value)
        default:
            return nil
        }
    }

    func double(_ entry: Entry) -> Double? {
        guard entry.kind == .number else { return nil }
        return Double(String(decoding: text(entry), as: UTF8.self))
    }
}
