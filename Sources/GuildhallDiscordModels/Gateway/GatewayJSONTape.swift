/// One pass over JSON text that records where every value starts and ends (a "tape"), so
/// a decoder can then find members and skip whole containers without re-reading bytes.
/// Strict: malformed JSON fails here, before any decoding.
///
/// The entries live in memory the tape allocates itself (no array bounds checks or
/// reference counting on the hot path) and free when the tape goes away.
final class GatewayJSONTape {
    enum Kind: UInt8 {
        case object, array, string, escapedString, number, trueValue, falseValue, null
    }

    /// A value's place in the text. Strings: `start..<end` is the content between the quotes.
    /// Containers: `start` is the opening bracket's offset and `end` the index of the entry
    /// after the container's last descendant. Arrays: `count` is the number of elements.
    /// Objects: `count` is free for the decoder (it keeps its member-lookup hint there).
    /// Object members are a key entry followed by its value's entries.
    struct Entry {
        var kind: Kind
        var count: UInt32
        var start: UInt32
        var end: UInt32
    }

    struct SyntaxError: Error, CustomStringConvertible {
        let offset: Int
        let reason: String
        var description: String { "invalid JSON at byte \(offset): \(reason)" }
    }

    static let maximumDepth = 512

    let bytes: UnsafeRawBufferPointer
    private(set) var entries: UnsafeMutablePointer<Entry>
    private(set) var count = 0
    private var capacity: Int

    /// Parses `bytes`, which must outlive the tape.
    init(_ bytes: UnsafeRawBufferPointer) throws(SyntaxError) {
        guard bytes.count < Int(UInt32.max) else { throw SyntaxError(offset: 0, reason: "text too large") }
        self.bytes = bytes
        capacity = max(16, bytes.count / 6)
        entries = .allocate(capacity: capacity)
        do {
            try parse()
        } catch {
            entries.deallocate()
            entries = .allocate(capacity: 1)
            throw error
        }
    }

    deinit {
        entries.deallocate()
    }

    @inline(__always)
    private func append(_ entry: Entry) {
        if count == capacity {
            let grown = UnsafeMutablePointer<Entry>.allocate(capacity: capacity * 2)
            grown.moveInitialize(from: entries, count: count)
            entries.deallocate()
            entries = grown
            capacity *= 2
        }
        (entries + count).initialize(to: entry)
        count += 1
    }

    private enum State {
        case value, valueOrClose, key, keyOrClose, afterValue
    }

    private func parse() throws(SyntaxError) {
        let base = bytes.baseAddress?.assumingMemoryBound(to: UInt8.self)
        let length = bytes.count
        var index = 0
        var state = State.value
        // Entry indices of the containers still open.
        let open = UnsafeMutablePointer<Int32>.allocate(capacity: Self.maximumDepth)
        defer { open.deallocate() }
        var depth = 0

        func fail(_ reason: String) -> SyntaxError { SyntaxError(offset: index, reason: reason) }

        while true {
            while index < length, Self.isWhitespace(base![index]) { index += 1 }
            switch state {
            case .value, .valueOrClose:
                guard index < length, let base else { throw fail("unexpected end of text") }
                let byte = base[index]
                if byte == UInt8(ascii: "]"), state == .valueOrClose {
                    depth -= 1
                    entries[Int(open[depth])].end = UInt32(count)
                    index += 1
                    state = .afterValue
                    continue
                }
                if depth > 0, entries[Int(open[depth - 1])].kind == .array { entries[Int(open[depth - 1])].count += 1 }
                switch byte {
                case UInt8(ascii: "\""):
                    append(try scanString(base, length, at: &index))
                case UInt8(ascii: "{"), UInt8(ascii: "["):
                    guard depth < Self.maximumDepth else { throw fail("nested deeper than \(Self.maximumDepth)") }
                    open[depth] = Int32(count)
                    depth += 1
                    let isObject = byte == UInt8(ascii: "{")
                    append(Entry(kind: isObject ? .object : .array, count: 0, start: UInt32(index), end: 0))
                    index += 1
                    state = isObject ? .keyOrClose : .valueOrClose
                    continue
                case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
                    append(try scanNumber(base, length, at: &index))
                case UInt8(ascii: "t"):
                    try expect("true", base, length, at: &index)
                    append(Entry(kind: .trueValue, count: 0, start: UInt32(index - 4), end: UInt32(index)))
                case UInt8(ascii: "f"):
                    try expect("false", base, length, at: &index)
                    append(Entry(kind: .falseValue, count: 0, start: UInt32(index - 5), end: UInt32(index)))
                case UInt8(ascii: "n"):
                    try expect("null", base, length, at: &index)
                    append(Entry(kind: .null, count: 0, start: UInt32(index - 4), end: UInt32(index)))
                default:
                    throw fail("unexpected character where a value belongs")
                }
                state = .afterValue
            case .key, .keyOrClose:
                guard index < length, let base else { throw fail("unexpected end of text in an object") }
                if base[index] == UInt8(ascii: "}"), state == .keyOrClose {
                    depth -= 1
                    entries[Int(open[depth])].end = UInt32(count)
                    index += 1
                    state = .afterValue
                    continue
                }
                guard base[index] == UInt8(ascii: "\"") else { throw fail("expected a member name") }
                append(try scanString(base, length, at: &index))
                while index < length, Self.isWhitespace(base[index]) { index += 1 }
                guard index < length, base[index] == UInt8(ascii: ":") else { throw fail("expected ':' after a member name") }
                index += 1
                state = .value
            case .afterValue:
                guard depth > 0 else {
                    guard index == length else { throw fail("unexpected text after the value") }
                    return
                }
                guard index < length, let base else { throw fail("unexpected end of text in a container") }
                let top = Int(open[depth - 1])
                let isObject = entries[top].kind == .object
                switch base[index] {
                case UInt8(ascii: ","):
                    index += 1
                    state = isObject ? .key : .value
                case UInt8(ascii: "}") where isObject, UInt8(ascii: "]") where !isObject:
                    depth -= 1
                    entries[top].end = UInt32(count)
                    index += 1
                default:
                    throw fail(isObject ? "expected ',' or '}'" : "expected ',' or ']'")
                }
            }
        }
    }

    @inline(__always)
    static func isWhitespace(_ byte: UInt8) -> Bool {
        byte == 0x20 || byte == 0x0A || byte == 0x0D || byte == 0x09
    }

    private func expect(_ literal: StaticString, _ base: UnsafePointer<UInt8>, _ length: Int, at index: inout Int) throws(SyntaxError) {
        let size = literal.utf8CodeUnitCount
        guard index + size <= length else { throw SyntaxError(offset: index, reason: "unexpected end of text") }
        let expected = literal.utf8Start
        for offset in 0..<size where base[index + offset] != expected[offset] {
            throw SyntaxError(offset: index, reason: "invalid literal")
        }
        index += size
    }

    @inline(__always)
    private func scanString(_ base: UnsafePointer<UInt8>, _ length: Int, at index: inout Int) throws(SyntaxError) -> Entry {
        index += 1
        let start = index
        var escaped = false
        while index < length {
            let byte = base[index]
            if byte == UInt8(ascii: "\"") {
                let entry = Entry(kind: escaped ? .escapedString : .string, count: 0, start: UInt32(start), end: UInt32(index))
                index += 1
                return entry
            }
            if byte == UInt8(ascii: "\\") {
                escaped = true
                index += 2
                continue
            }
            guard byte >= 0x20 else { throw SyntaxError(offset: index, reason: "control character in a string") }
            index += 1
        }
        throw SyntaxError(offset: start, reason: "unterminated string")
    }

    private func scanNumber(_ base: UnsafePointer<UInt8>, _ length: Int, at index: inout Int) throws(SyntaxError) -> Entry {
        let start = index
        @inline(__always) func isDigit(_ at: Int) -> Bool { at < length && base[at] &- UInt8(ascii: "0") < 10 }
        if base[index] == UInt8(ascii: "-") { index += 1 }
        guard isDigit(index) else { throw SyntaxError(offset: index, reason: "expected a digit") }
        if base[index] == UInt8(ascii: "0") {
            index += 1
        } else {
            while isDigit(index) { index += 1 }
        }
        if index < length, base[index] == UInt8(ascii: ".") {
            index += 1
            guard isDigit(index) else { throw SyntaxError(offset: index, reason: "expected a digit after '.'") }
            while isDigit(index) { index += 1 }
        }
        if index < length, base[index] == UInt8(ascii: "e") || base[index] == UInt8(ascii: "E") {
            index += 1
            if index < length, base[index] == UInt8(ascii: "+") || base[index] == UInt8(ascii: "-") { index += 1 }
            guard isDigit(index) else { throw SyntaxError(offset: index, reason: "expected an exponent") }
            while isDigit(index) { index += 1 }
        }
        return Entry(kind: .number, count: 0, start: UInt32(start), end: UInt32(index))
    }
}
