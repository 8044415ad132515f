/// A modal field's label and description around one component (a text input or a select).
/// Encode it through `MessageComponent.label`, which adds `"type": 18`.
public struct Label: Codable, Hashable, Sendable {
    public var id: Int?
    public var label: String
    public var description: String?
    public var component: MessageComponent

    public init(id: Int? = nil, label: String, description: String? = nil, component: MessageComponent) {
        self.id = id
        self.label = label
        self.description = description
        self.component = component
    }
}
