/// Permissions travel as decimal strings. Older payloads (the OAuth2 bot grant's guild roles)
/// still carry a bare number, so decoding accepts both; encoding always writes the string.
extension Permissions: Codable {
    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if let text = try? container.decode(String.self) {
            guard let value = Permissions(decimal: text) else {
                throw DecodingError.dataCorruptedError(in: container, debugDescription: "'\(text)' is not a permission bit set")
            }
            self = value
        } else {
            self.init(rawValue: try container.decode(UInt64.self))
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(String(rawValue))
    }

    /// Parses the wire form; `nil` for anything but an unsigned decimal that fits in 64 bits.
    public init?(decimal text: some StringProtocol) {
        guard !text.isEmpty, text.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }), let value = UInt64(text) else { return nil }
        self.init(rawValue: value)
    }

    /// The wire form: `"2048"`.
    public var decimalString: String { String(rawValue) }
}
