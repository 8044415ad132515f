/// A message's `flags` bit set (an integer on the wire).
public struct MessageFlags: OptionSet, Codable, Hashable, Sendable {
    public let rawValue: Int

    public init(rawValue: Int) {
        self.rawValue = rawValue
    }

    public static let crossposted = MessageFlags(rawValue: 1 << 0)
    public static let isCrosspost = MessageFlags(rawValue: 1 << 1)
    public static let suppressEmbeds = MessageFlags(rawValue: 1 << 2)
    public static let sourceMessageDeleted = MessageFlags(rawValue: 1 << 3)
    public static let urgent = MessageFlags(rawValue: 1 << 4)
    public static let hasThread = MessageFlags(rawValue: 1 << 5)
    /// Only the invoker sees the message (interaction responses and follow-ups).
    public static let ephemeral = MessageFlags(rawValue: 1 << 6)
    public static let loading = MessageFlags(rawValue: 1 << 7)
    public static let failedToMentionSomeRolesInThread = MessageFlags(rawValue: 1 << 8)
    public static let suppressNotifications = MessageFlags(rawValue: 1 << 12)
    public static let isVoiceMessage = MessageFlags(rawValue: 1 << 13)
    public static let hasSnapshot = MessageFlags(rawValue: 1 << 14)
    public static let isComponentsV2 = MessageFlags(rawValue: 1 << 15)

    public init(from decoder: any Decoder) throws {
        self.init(rawValue: try decoder.singleValueContainer().decode(Int.self))
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(rawValue)
    }
}
