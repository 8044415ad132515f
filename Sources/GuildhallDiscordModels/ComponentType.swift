/// A message or modal component's `type`. Open: an unknown number decodes and round-trips.
public struct ComponentType: DiscordIntEnum {
    public let rawValue: Int
    public init(rawValue: Int) { self.rawValue = rawValue }

    public static let actionRow: ComponentType = 1
    public static let button: ComponentType = 2
    public static let stringSelect: ComponentType = 3
    public static let textInput: ComponentType = 4
    public static let userSelect: ComponentType = 5
    public static let roleSelect: ComponentType = 6
    public static let mentionableSelect: ComponentType = 7
    public static let channelSelect: ComponentType = 8
    public static let section: ComponentType = 9
    public static let textDisplay: ComponentType = 10
    public static let thumbnail: ComponentType = 11
    public static let mediaGallery: ComponentType = 12
    public static let file: ComponentType = 13
    public static let separator: ComponentType = 14
    public static let container: ComponentType = 17
    public static let label: ComponentType = 18
    public static let fileUpload: ComponentType = 19
    public static let radioGroup: ComponentType = 21
    public static let checkboxGroup: ComponentType = 22
    public static let checkbox: ComponentType = 23

    public static let knownNames: [Int: String] = [
        1: "ACTION_ROW", 2: "BUTTON", 3: "STRING_SELECT", 4: "TEXT_INPUT", 5: "USER_SELECT", 6: "ROLE_SELECT",
        7: "MENTIONABLE_SELECT", 8: "CHANNEL_SELECT", 9: "SECTION", 10: "TEXT_DISPLAY", 11: "THUMBNAIL",
        12: "MEDIA_GALLERY", 13: "FILE", 14: "SEPARATOR", 17: "CONTAINER", 18: "LABEL", 19: "FILE_UPLOAD",
        21: "RADIO_GROUP", 22: "CHECKBOX_GROUP", 23: "CHECKBOX",
    ]

    /// The five select menus, which share one shape.
    public var isSelectMenu: Bool { (3...8).contains(rawValue) && self != .textInput }
}
