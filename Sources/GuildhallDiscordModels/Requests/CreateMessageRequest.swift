
/// `POST /channels/{id}/messages`. Mentions parse nothing unless the caller says otherwise.
public struct CreateMessageRequest: Codable, Hashable, Sendable {
    public var content: String?
    public var nonce: MessageNonce?
    public var tts: Bool?
    public var embeds: [Embed]?
    public var allowedMentions: AllowedMentions?
    public var messageReference: MessageReference?
    public var components: [MessageComponent]?
    public var stickerIDs: [Snowflake]?
    /// Only SUPPRESS_EMBEDS, SUPPRESS_NOTIFICATIONS and IS_COMPONENTS_V2 may be set.
    public var flags: MessageFlags?
    public var enforceNonce: Bool?

    public init(
        content: String? = nil, nonce: MessageNonce? = nil, tts: Bool? = nil, embeds: [Embed]? = nil,
        allowedMentions: AllowedMentions? = .parseNothing, messageReference: MessageReference? = nil,
        components: [MessageComponent]? = nil, stickerIDs: [Snowflake]? = nil, flags: MessageFlags? = nil,
        enforceNonce: Bool? = nil
    ) {
        self.content = content
        self.nonce = nonce
        self.tts = tts
        self.embeds = embeds
        self.allowedMentions = allowedMentions
        self.messageReference = messageReference
        self.components = components
        self.stickerIDs = stickerIDs
        self.flags = flags
        self.enforceNonce = enforceNonce
    }

    enum CodingKeys: String, CodingKey {
        case content, nonce, tts, embeds, components, flags
        case allowedMentions = "allowed_mentions"
        case messageReference = "message_reference"
        case stickerIDs = "sticker_ids"
        case enforceNonce = "enforce_nonce"
    }
}
