/// The message part of an interaction response (types 4, 5, 7), of a follow-up and of an
/// edit of the original response. Mentions parse nothing unless the caller says otherwise
/// (Discord's own default for interactions would ping users).
public struct InteractionMessage: Codable, Hashable, Sendable {
    public var content: String?
    public var tts: Bool?
    public var embeds: [Embed]?
    public var allowedMentions: AllowedMentions?
    /// EPHEMERAL, SUPPRESS_EMBEDS, SUPPRESS_NOTIFICATIONS, IS_COMPONENTS_V2.
    public var flags: MessageFlags?
    public var components: [MessageComponent]?

    public init(
        content: String? = nil, tts: Bool? = nil, embeds: [Embed]? = nil, allowedMentions: AllowedMentions? = .parseNothing,
        flags: MessageFlags? = nil, components: [MessageComponent]? = nil
    ) {
        self.content = content
        self.tts = tts
        self.embeds = embeds
        self.allowedMentions = allowedMentions
        self.flags = flags
        self.components = components
    }

    public var isEphemeral: Bool { flags?.contains(.ephemeral) ?? false }

    enum CodingKeys: String, CodingKey {
        case content, tts, embeds, flags, components
        case allowedMentions = "allowed_mentions"
    }
}
