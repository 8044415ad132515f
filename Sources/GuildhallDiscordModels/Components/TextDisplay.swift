/// Markdown text in a modal or a components-v2 message. Encode it through
/// `MessageComponent.textDisplay`, which adds `"type": 10`.
public struct TextDisplay: Codable, Hashable, Sendable {
    public var id: Int?
    public var content: String

    public init(id: Int? = nil, content: String) {
        self.id = id
        self.content = content
    }
}
