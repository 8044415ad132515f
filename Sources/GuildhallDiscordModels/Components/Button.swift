
/// A button. Encode it through `MessageComponent.button`, which adds `"type": 2`.
public struct Button: Codable, Hashable, Sendable {
    public var id: Int?
    public var style: ButtonStyle
    public var label: String?
    public var emoji: Emoji?
    public var customID: String?
    public var skuID: Snowflake?
    public var url: String?
    public var disabled: Bool?

    public init(
        id: Int? = nil, style: ButtonStyle, label: String? = nil, emoji: Emoji? = nil, customID: String? = nil,
        skuID: Snowflake? = nil, url: String? = nil, disabled: Bool? = nil
    ) {
        self.id = id
        self.style = style
        self.label = label
        self.emoji = emoji
        self.customID = customID
        self.skuID = skuID
        self.url = url
        self.disabled = disabled
    }

    /// A button whose click reaches the bot with `customID`.
    public static func interactive(
        _ style: ButtonStyle = .primary, customID: String, label: String, emoji: Emoji? = nil, disabled: Bool? = nil
    ) -> Button {
        Button(style: style, label: label, emoji: emoji, customID: customID, disabled: disabled)
    }

    public static func link(url: String, label: String) -> Button {
        Button(style: .link, label: label, url: url)
    }

    /// The purchase button for a premium SKU: Discord draws it; no label, no custom id.
    public static func premium(skuID: Snowflake) -> Button {
        Button(style: .premium, skuID: skuID)
    }

    enum CodingKeys: String, CodingKey {
        case id, style, label, emoji, url, disabled
        case customID = "custom_id"
        case skuID = "sku_id"
    }
}
