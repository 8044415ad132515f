import NIOCore

/// One argument of a command: text, raw bytes (binary-safe), or an integer written in decimal.
public enum RESPArgument: Sendable, Equatable, ExpressibleByStringLiteral, ExpressibleByIntegerLiteral {
    case string(String)
    case bytes(ByteBuffer)
    case integer(Int)

    public init(stringLiteral value: String) {
        self = .string(value)
    }

    public init(integerLiteral value: Int) {
        self = .integer(value)
    }
}

extension ByteBuffer {
    /// Writes a command as a RESP array of bulk strings, straight into the buffer.
    public mutating func writeRESPCommand(_ arguments: [String]) {
        writeRESPHeader(marker: UInt8(ascii: "*"), count: arguments.count)
        for argument in arguments {
            writeRESPBulkString(argument)
        }
    }

    /// Writes a command whose arguments may be bytes or integers.
    public mutating func writeRESPCommand(_ arguments: [RESPArgument]) {
        writeRESPHeader(marker: UInt8(ascii: "*"), count: arguments.count)
        for argument in arguments {
            switch argument {
            case .string(let text):
                writeRESPBulkString(text)
            case .bytes(let bytes):
                writeRESPHeader(marker: UInt8(ascii: "$"), count: bytes.readableBytes)
                writeImmutableBuffer(bytes)
                writeInteger(UInt16(0x0D0A))
            case .integer(let value):
                writeRESPBulkInteger(value)
            }
        }
    }

    /// Writes the array header for a command of `count` arguments; follow it with `count` bulk strings.
    @inlinable
    public mutating func writeRESPArrayHeader(count: Int) {
        writeRESPHeader(marker: UInt8(ascii: "*"), count: count)
    }

    @inlinable
    public mutating func writeRESPBulkString(_ text: String) {
        writeRESPHeader(marker: UInt8(ascii: "$"), count: text.utf8.count)
        writeString(text)
        writeInteger(UInt16(0x0D0A))
    }

    /// Writes an integer as a bulk string of its decimal digits, without making a `String`.
    @inlinable
    public mutating func writeRESPBulkInteger(_ value: Int) {
        let digits = Self.decimalDigitCount(value)
        writeRESPHeader(marker: UInt8(ascii: "$"), count: digits)
        writeDecimal(value, digits: digits)
        writeInteger(UInt16(0x0D0A))
    }

    @inlinable
    mutating func writeRESPHeader(marker: UInt8, count: Int) {
        writeInteger(marker)
        writeDecimal(count, digits: Self.decimalDigitCount(count))
        writeInteger(UInt16(0x0D0A))
    }

    @inlinable
    static func decimalDigitCount(_ value: Int) -> Int {
        var magnitude = value.magnitude
        var digits = value < 0 ? 2 : 1
        while magnitude >= 10 {
            magnitude /= 10
            digits += 1
        }
        return digits
    }

    /// Writes `value` in decimal; `digits` includes the sign.
    @inlinable
    mutating func writeDecimal(_ value: Int, digits: Int) {
        reserveCapacity(minimumWritableBytes: digits)
        let start = writerIndex
        moveWriterIndex(forwardBy: digits)
        var magnitude = value.magnitude
        var position = start + digits - 1
        repeat {
            setInteger(UInt8(ascii: "0") + UInt8(magnitude % 10), at: position)
            magnitude /= 10
            position -= 1
        } while magnitude > 0
        if value < 0 {
            setInteger(UInt8(ascii: "-"), at: start)
        }
    }
}
