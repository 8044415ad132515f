import NIOCore

/// Incremental RESP2/RESP3 parser.
///
/// `next(from:)` reads one complete value from the front of the buffer; when the buffer holds only
/// part of a value, it leaves the reader index where it was and returns `nil`, so the caller can
/// append more bytes and call again. Bulk strings come out as slices of the input (no copy).
public struct RESPParser: Sendable {
    /// Deepest nesting of aggregates accepted, so hostile input cannot exhaust the stack.
    public var maximumDepth: Int

    public init(maximumDepth: Int = 64) {
        self.maximumDepth = maximumDepth
    }

    /// One complete value from the front of `buffer`, or `nil` if more bytes are needed.
    /// Throws `RedisError` with code `.protocolViolation` on bytes that are not RESP.
    public func next(from buffer: inout ByteBuffer) throws(RedisError) -> RESPValue? {
        let start = buffer.readerIndex
        if let value = try parseValue(&buffer, depth: 0) {
            return value
        }
        buffer.moveReaderIndex(to: start)
        return nil
    }

    private func parseValue(_ buffer: inout ByteBuffer, depth: Int) throws(RedisError) -> RESPValue? {
        guard let marker = buffer.readInteger(as: UInt8.self) else { return nil }
        switch marker {
        case UInt8(ascii: "+"):
            return try readLine(&buffer).map { .simpleString(String(buffer: $0)) }
        case UInt8(ascii: "-"):
            return try readLine(&buffer).map { .error(String(buffer: $0)) }
        case UInt8(ascii: ":"):
            guard let line = try readLine(&buffer) else { return nil }
            return .integer(try Self.parseInteger(line))
        case UInt8(ascii: "$"):
            return try readBlob(&buffer).map { $0.map(RESPValue.bulkString) ?? .null }
        case UInt8(ascii: "!"):
            guard let blob = try readBlob(&buffer) else { return nil }
            return .error(blob.map { String(buffer: $0) } ?? "")
        case UInt8(ascii: "="):
            guard let blob = try readBlob(&buffer) else { return nil }
            guard let blob, blob.readableBytes >= 4,
                  blob.getInteger(at: blob.readerIndex + 3, as: UInt8.self) == UInt8(ascii: ":")
            else {
                throw RedisError(.protocolViolation, "verbatim string without a three-letter format")
            }
            var text = blob
            let format = text.readString(length: 3)!
            text.moveReaderIndex(forwardBy: 1)
            return .verbatimString(format: format, text: String(buffer: text))
        case UInt8(ascii: "*"), UInt8(ascii: "~"), UInt8(ascii: ">"):
            guard let count = try readCount(&buffer) else { return nil }
            guard count >= 0 else { return .null }
            guard let elements = try readElements(&buffer, count: count, depth: depth) else { return nil }
            switch marker {
            case UInt8(ascii: "*"): return .array(elements)
            case UInt8(ascii: "~"): return .set(elements)
            default: return .push(elements)
            }
        case UInt8(ascii: "%"), UInt8(ascii: "|"):
            guard let count = try readCount(&buffer) else { return nil }
            guard count >= 0 else { return .null }
            guard let elements = try readElements(&buffer, count: count * 2, depth: depth) else { return nil }
            if marker == UInt8(ascii: "|") {
                // Attributes describe the value that follows; we pass the value on and drop them.
                return try parseValue(&buffer, depth: depth)
            }
            var entries: [RESPMapEntry] = []
            entries.reserveCapacity(count)
            for index in stride(from: 0, to: elements.count, by: 2) {
                entries.append(RESPMapEntry(key: elements[index], value: elements[index + 1]))
            }
            return .map(entries)
        case UInt8(ascii: "_"):
            guard let line = try readLine(&buffer) else { return nil }
            guard line.readableBytes == 0 else {
                throw RedisError(.protocolViolation, "null with a payload")
            }
            return .null
        case UInt8(ascii: "#"):
            guard let line = try readLine(&buffer) else { return nil }
            switch line.readableBytesView.first {
            case UInt8(ascii: "t") where line.readableBytes == 1: return .boolean(true)
            case UInt8(ascii: "f") where line.readableBytes == 1: return .boolean(false)
            default: throw RedisError(.protocolViolation, "boolean is neither t nor f: \(String(buffer: line))")
            }
        case UInt8(ascii: ","):
            guard let line = try readLine(&buffer) else { return nil }
            let text = String(buffer: line)
            switch text {
            case "inf": return .double(.infinity)
            case "-inf": return .double(-.infinity)
            case "nan", "-nan": return .double(.nan)
            default:
                guard let value = Double(text) else {
                    throw RedisError(.protocolViolation, "not a double: \(text)")
                }
                return .double(value)
            }
        case UInt8(ascii: "("):
            guard let line = try readLine(&buffer) else { return nil }
            let text = String(buffer: line)
            let digits = text.hasPrefix("-") ? text.dropFirst() : Substring(text)
            guard !digits.isEmpty, digits.allSatisfy({ $0.isASCII && $0.isNumber }) else {
                throw RedisError(.protocolViolation, "not a big number: \(text)")
            }
            return .bigNumber(text)
        default:
            throw RedisError(.protocolViolation, "unknown RESP type byte \(marker)")
        }
    }

    private func readElements(_ buffer: inout ByteBuffer, count: Int, depth: Int) throws(RedisError) -> [RESPValue]? {
        guard depth < maximumDepth else {
            throw RedisError(.protocolViolation, "aggregates nested deeper than \(maximumDepth)")
        }
        var elements: [RESPValue] = []
        elements.reserveCapacity(Swift.min(count, 1024))
        for _ in 0..<count {
            guard let element = try parseValue(&buffer, depth: depth + 1) else { return nil }
            elements.append(element)
        }
        return elements
    }

    /// A length-prefixed payload: `nil` if incomplete, `.some(nil)` for the RESP2 null (`-1`).
    private func readBlob(_ buffer: inout ByteBuffer) throws(RedisError) -> ByteBuffer?? {
        guard let length = try readCount(&buffer) else { return nil }
        guard length >= 0 else { return .some(nil) }
        guard buffer.readableBytes >= length + 2 else { return nil }
        let payload = buffer.readSlice(length: length)!
        guard buffer.readInteger(as: UInt16.self) == 0x0D0A else {
            throw RedisError(.protocolViolation, "bulk string not ended by CRLF")
        }
        return .some(payload)
    }

    private func readCount(_ buffer: inout ByteBuffer) throws(RedisError) -> Int? {
        guard let line = try readLine(&buffer) else { return nil }
        let count = try Self.parseInteger(line)
        guard count >= -1, count <= Int64(Int32.max) else {
            throw RedisError(.protocolViolation, "invalid length \(count)")
        }
        return Int(count)
    }

    /// The bytes up to CRLF (consumed), or `nil` if no CRLF has arrived yet.
    private func readLine(_ buffer: inout ByteBuffer) throws(RedisError) -> ByteBuffer? {
        let found: Int? = buffer.withUnsafeReadableBytes { bytes in
            bytes.firstIndex(of: UInt8(ascii: "\r"))
        }
        guard let offset = found else { return nil }
        guard let next = buffer.getInteger(at: buffer.readerIndex + offset + 1, as: UInt8.self) else {
            return nil
        }
        guard next == UInt8(ascii: "\n") else {
            throw RedisError(.protocolViolation, "CR not followed by LF")
        }
        let line = buffer.readSlice(length: offset)!
        buffer.moveReaderIndex(forwardBy: 2)
        return line
    }

    static func parseInteger(_ line: ByteBuffer) throws(RedisError) -> Int64 {
        let result: Int64? = line.withUnsafeReadableBytes { bytes in
            guard !bytes.isEmpty else { return nil }
            var index = 0
            var negative = false
            if bytes[0] == UInt8(ascii: "-") {
                negative = true
                index = 1
            } else if bytes[0] == UInt8(ascii: "+") {
                index = 1
            }
            guard index < bytes.count else { return nil }
            var value: Int64 = 0
            while index < bytes.count {
                let digit = bytes[index] &- UInt8(ascii: "0")
                guard digit < 10 else { return nil }
                let (multiplied, overflow1) = value.multipliedReportingOverflow(by: 10)
                let (added, overflow2) = multiplied.subtractingReportingOverflow(Int64(digit))
                guard !overflow1, !overflow2 else { return nil }
                value = added
                index += 1
            }
            if negative { return value }
            let (positive, overflow) = Int64(0).subtractingReportingOverflow(value)
            return overflow ? nil : positive
        }
        guard let result else {
            throw RedisError(.protocolViolation, "not an integer: \(String(buffer: line))")
        }
        return result
    }
}
