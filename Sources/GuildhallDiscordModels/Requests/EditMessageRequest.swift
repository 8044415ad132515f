/// `PATCH /channels/{id}/messages/{id}` and the webhook edits of interaction messages. A nil
/// field is left unchanged; send `""` or `[]` to clear content, embeds or components.
public struct EditMessageRequest: Codable, Hashable, Sendable {
    public var content: String?
    public var embeds: [Embed]?
    public var flags: MessageFlags?
    public var allowedMentions: AllowedMentions?
    public var components: [MessageComponent]?

    public init(
        content: String? = nil, embeds: [Embed]? = nil, flags: MessageFlags? = nil,
        allowedMentions: AllowedMentions? = .parseNothing, components: [MessageComponent]? = nil
    ) {
        self.content = content
        self.embeds = embeds
        self.flags = flags
        self.allowedMentions = allowedMentions
        self.components = components
    }

    enum CodingKeys: String, CodingKey {
        case content, embeds, flags, components
        case allowedMentions = "allowed_mentions"
    }
}
