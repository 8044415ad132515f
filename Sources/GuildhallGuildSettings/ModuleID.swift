/// The id of a module a guild can switch on: the id of the feature that provides it
/// (`leveling`, `giveaways`). The platform knows no module by name; each feature adds its
/// own constant (`extension ModuleID { static let leveling }`) and the catalog lists the
/// ones this build registers.
public struct ModuleID: RawRepresentable, Hashable, Codable, Sendable, Comparable, CustomStringConvertible, ExpressibleByStringLiteral {
    public let rawValue: String

    public init(rawValue: String) {
        self.rawValue = rawValue
    }

    public init(_ rawValue: String) {
        self.rawValue = rawValue
    }

    public init(stringLiteral value: String) {
        self.rawValue = value
    }

    public var description: String { rawValue }

    public static func < (lhs: ModuleID, rhs: ModuleID) -> Bool { lhs.rawValue < rhs.rawValue }

    /// Whether `text` can be a module id at all: 1 to 40 lowercase letters, digits and
    /// hyphens. Stored toggles are read with this, so a module this build does not ship
    /// survives in storage (unlisted) instead of making the whole guild's entry unreadable.
    public static func isWellFormed(_ text: some StringProtocol) -> Bool {
        !text.isEmpty && text.count <= 40 && text.utf8.allSatisfy { ($0 >= 0x61 && $0 <= 0x7A) || ($0 >= 0x30 && $0 <= 0x39) || $0 == 0x2D }
    }
}
