/// `data` of a MESSAGE_COMPONENT interaction: which button or select was used.
public struct MessageComponentInteractionData: Codable, Hashable, Sendable {
    public var customID: String
    public var componentType: ComponentType
    /// The picked values of a select menu.
    public var values: [String]?
    public var resolved: ResolvedData?

    public init(customID: String, componentType: ComponentType, values: [String]? = nil, resolved: ResolvedData? = nil) {
        self.customID = customID
        self.componentType = componentType
        self.values = values
        self.resolved = resolved
    }

    enum CodingKeys: String, CodingKey {
        case values, resolved
        case customID = "custom_id"
        case componentType = "component_type"
    }
}
