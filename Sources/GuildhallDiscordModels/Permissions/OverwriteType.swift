/// Whom a permission overwrite targets: a role (0) or a member (1).
public struct OverwriteType: DiscordIntEnum {
    public let rawValue: Int
    public init(rawValue: Int) { self.rawValue = rawValue }

    public static let role: OverwriteType = 0
    public static let member: OverwriteType = 1

    public static let knownNames: [Int: String] = [0: "ROLE", 1: "MEMBER"]
}
