import Foundation

/// The JSON bytes of a payload Guildhall does not model (an unknown event's `d`), kept so
/// a feature can decode it with its own type later.
public struct GatewayRawJSON: Codable, Sendable, Hashable, CustomStringConvertible {
    /// UTF-8 JSON text.
    public let bytes: [UInt8]

    /// Wraps bytes that must already be one JSON value.
    public init(bytes: [UInt8]) {
        self.bytes = bytes
    }

    public init(_ value: JSONValue) throws {
        bytes = Array(try GatewayCoding.encoder.encode(value))
    }

    /// Decodes the bytes as `type`.
    public func decode<T: Decodable>(_ type: T.Type) throws -> T {
        try GatewayJSONDecoder().decode(type, from: bytes)
    }

    /// The bytes as a JSON tree.
    public func value() throws -> JSONValue {
        try decode(JSONValue.self)
    }

    public var description: String { String(decoding: bytes, as: UTF8.self) }

    public init(from decoder: any Decoder) throws {
        // The gateway's own decoder hands over the bytes as they came; any other re-encodes.
        if let tape = decoder as? GatewayJSONValueDecoder {
            self.init(bytes: tape.rawBytes)
        } else {
            try self.init(JSONValue(from: decoder))
        }
    }

    public func encode(to encoder: any Encoder) throws {
        try value().encode(to: encoder)
    }
}

/// The JSON coders the gateway types use. All are safe to share between threads.
public enum GatewayCoding {
    /// Foundation's decoder, for anything off the hot path.
    public static let decoder = JSONDecoder()
    /// The fast decoder for gateway frames.
    public static let frameDecoder = GatewayJSONDecoder()
    public static let encoder: JSONEncoder = {
        let encoder = JSONEncoder()
        // Forward slashes stay as they are: URLs are common in payloads.
        encoder.outputFormatting = [.withoutEscapingSlashes]
        return encoder
    }()
}
