/// A message nonce: Discord accepts an integer or a string of at most 25 characters and
/// echoes back what it got.
public enum MessageNonce: Hashable, Sendable {
    case integer(Int64)
    case string(String)
}

extension MessageNonce: Codable {
    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if let value = try? container.decode(Int64.self) {
            self = .integer(value)
        } else {
            self = .string(try container.decode(String.self))
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .integer(let value): try container.encode(value)
        case .string(let value): try container.encode(value)
        }
    }
}
