/// A button's `style`. 1–4 need a `custom_id`; 5 (link) a `url`; 6 (premium) an `sku_id` only.
public struct ButtonStyle: DiscordIntEnum {
    public let rawValue: Int
    public init(rawValue: Int) { self.rawValue = rawValue }

    public static let primary: ButtonStyle = 1
    public static let secondary: ButtonStyle = 2
    public static let success: ButtonStyle = 3
    public static let danger: ButtonStyle = 4
    public static let link: ButtonStyle = 5
    public static let premium: ButtonStyle = 6

    public static let knownNames: [Int: String] = [
        1: "PRIMARY", 2: "SECONDARY", 3: "SUCCESS", 4: "DANGER", 5: "LINK", 6: "PREMIUM",
    ]

    /// Styles whose clicks reach the bot as interactions.
    public var sendsInteraction: Bool { (1...4).contains(rawValue) }
}
