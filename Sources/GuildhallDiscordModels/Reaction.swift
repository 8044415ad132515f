/// One emoji's reactions on a message.
public struct Reaction: Codable, Hashable, Sendable {
    public var count: Int
    public var countDetails: CountDetails?
    /// Whether the current user (the bot) reacted with it.
    public var me: Bool
    public var meBurst: Bool?
    public var emoji: Emoji
    public var burstColors: [String]?

    public init(
        count: Int, countDetails: CountDetails? = nil, me: Bool = false, meBurst: Bool? = nil, emoji: Emoji,
        burstColors: [String]? = nil
    ) {
        self.count = count
        self.countDetails = countDetails
        self.me = me
        self.meBurst = meBurst
        self.emoji = emoji
        self.burstColors = burstColors
    }

    public struct CountDetails: Codable, Hashable, Sendable {
        public var burst: Int
        public var normal: Int

        public init(burst: Int = 0, normal: Int) {
            self.burst = burst
            self.normal = normal
        }
    }

    enum CodingKeys: String, CodingKey {
        case count, me, emoji
        case countDetails = "count_details"
        case meBurst = "me_burst"
        case burstColors = "burst_colors"
    }
}
