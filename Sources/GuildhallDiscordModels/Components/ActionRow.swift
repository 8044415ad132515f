/// A row of up to five buttons or one select menu.
public struct ActionRow: Codable, Hashable, Sendable {
    public var id: Int?
    public var components: [MessageComponent]

    public init(id: Int? = nil, components: [MessageComponent]) {
        self.id = id
        self.components = components
    }

    public init(_ components: MessageComponent...) {
        self.init(components: components)
    }
}
