/// A modal text field. In a modal submission `value` carries what the user typed.
/// Encode it through `MessageComponent.textInput`, which adds `"type": 4`.
public struct TextInput: Codable, Hashable, Sendable {
    public var id: Int?
    public var customID: String
    public var style: TextInputStyle?
    /// Deprecated in favour of wrapping the input in a `Label`; still accepted.
    public var label: String?
    public var minLength: Int?
    public var maxLength: Int?
    public var required: Bool?
    public var value: String?
    public var placeholder: String?

    public init(
        id: Int? = nil, customID: String, style: TextInputStyle? = .short, label: String? = nil, minLength: Int? = nil,
        maxLength: Int? = nil, required: Bool? = nil, value: String? = nil, placeholder: String? = nil
    ) {
        self.id = id
        self.customID = customID
        self.style = style
        self.label = label
        self.minLength = minLength
        self.maxLength = maxLength
        self.required = required
        self.value = value
        self.placeholder = placeholder
    }

    enum CodingKeys: String, CodingKey {
        case id, style, label, required, value, placeholder
        case customID = "custom_id"
        case minLength = "min_length"
        case maxLength = "max_length"
    }
}
