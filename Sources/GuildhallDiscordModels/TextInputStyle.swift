/// A modal text input's `style`: one line or a paragraph.
public struct TextInputStyle: DiscordIntEnum {
    public let rawValue: Int
    public init(rawValue: Int) { self.rawValue = rawValue }

    public static let short: TextInputStyle = 1
    public static let paragraph: TextInputStyle = 2

    public static let knownNames: [Int: String] = [1: "SHORT", 2: "PARAGRAPH"]
}
