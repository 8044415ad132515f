/// The five select menus (string, user, role, mentionable, channel) share this shape; `type`
/// tells them apart. In a modal submission `values` carries what the user picked.
public struct SelectMenu: Codable, Hashable, Sendable {
    public var type: ComponentType
    public var id: Int?
    public var customID: String
    /// String selects only.
    public var options: [SelectOption]?
    /// Channel selects only.
    public var channelTypes: [ChannelType]?
    public var placeholder: String?
    public var defaultValues: [DefaultValue]?
    public var minValues: Int?
    public var maxValues: Int?
    public var required: Bool?
    public var disabled: Bool?
    public var values: [String]?

    public init(
        type: ComponentType = .stringSelect, id: Int? = nil, customID: String, options: [SelectOption]? = nil,
        channelTypes: [ChannelType]? = nil, placeholder: String? = nil, defaultValues: [DefaultValue]? = nil,
        minValues: Int? = nil, maxValues: Int? = nil, required: Bool? = nil, disabled: Bool? = nil, values: [String]? = nil
    ) {
        self.type = type
        self.id = id
        self.customID = customID
        self.options = options
        self.channelTypes = channelTypes
        self.placeholder = placeholder
        self.defaultValues = defaultValues
        self.minValues = minValues
        self.maxValues = maxValues
        self.required = required
        self.disabled = disabled
        self.values = values
    }

    /// A pre-selected user, role or channel of an auto-populated select.
    public struct DefaultValue: Codable, Hashable, Sendable {
        public var id: String
        /// `user`, `role` or `channel`.
        public var type: String

        public init(id: String, type: String) {
            self.id = id
            self.type = type
        }
    }

    enum CodingKeys: String, CodingKey {
        case type, id, options, placeholder, required, disabled, values
        case customID = "custom_id"
        case channelTypes = "channel_types"
        case defaultValues = "default_values"
        case minValues = "min_values"
        case maxValues = "max_values"
    }
}
