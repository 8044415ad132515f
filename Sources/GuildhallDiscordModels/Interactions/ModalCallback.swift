/// The `data` of a MODAL response: 1–5 components (labels, text displays or legacy action
/// rows holding text inputs).
public struct ModalCallback: Codable, Hashable, Sendable {
    public var customID: String
    public var title: String
    public var components: [MessageComponent]

    public init(customID: String, title: String, components: [MessageComponent]) {
        self.customID = customID
        self.title = title
        self.components = components
    }

    enum CodingKeys: String, CodingKey {
        case title, components
        case customID = "custom_id"
    }
}
