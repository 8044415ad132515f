/// Discord's numeric enums as open structs rather than Swift enums: a value this build has
/// never heard of (Discord adds channel, message and component types often) still decodes,
/// keeps its number and encodes back unchanged, so an unknown value never fails a payload.
public protocol DiscordIntEnum: RawRepresentable, Codable, Hashable, Sendable, CustomStringConvertible,
    ExpressibleByIntegerLiteral where RawValue == Int, IntegerLiteralType == Int
{
    init(rawValue: Int)
    /// Discord's names for the values this build knows, by number.
    static var knownNames: [Int: String] { get }
}

extension DiscordIntEnum {
    public init(integerLiteral value: Int) {
        self.init(rawValue: value)
    }

    public init(from decoder: any Decoder) throws {
        self.init(rawValue: try decoder.singleValueContainer().decode(Int.self))
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(rawValue)
    }

    /// Discord's name for this value (`GUILD_TEXT`), or `nil` when this build does not know it.
    public var name: String? { Self.knownNames[rawValue] }

    /// False for values Discord added after this build.
    public var isKnown: Bool { Self.knownNames[rawValue] != nil }

    public var description: String { name ?? "UNKNOWN(\(rawValue))" }
}
