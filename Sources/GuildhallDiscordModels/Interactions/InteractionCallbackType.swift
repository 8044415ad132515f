/// An interaction response's `type`.
public struct InteractionCallbackType: DiscordIntEnum {
    public let rawValue: Int
    public init(rawValue: Int) { self.rawValue = rawValue }

    public static let pong: InteractionCallbackType = 1
    public static let channelMessageWithSource: InteractionCallbackType = 4
    public static let deferredChannelMessageWithSource: InteractionCallbackType = 5
    /// Components only: acknowledge now, edit the message later.
    public static let deferredUpdateMessage: InteractionCallbackType = 6
    /// Components only: edit the message the component is on.
    public static let updateMessage: InteractionCallbackType = 7
    public static let applicationCommandAutocompleteResult: InteractionCallbackType = 8
    public static let modal: InteractionCallbackType = 9
    /// Deprecated since 2024-06-17: use a premium button instead.
    public static let premiumRequired: InteractionCallbackType = 10
    public static let launchActivity: InteractionCallbackType = 12

    public static let knownNames: [Int: String] = [
        1: "PONG", 4: "CHANNEL_MESSAGE_WITH_SOURCE", 5: "DEFERRED_CHANNEL_MESSAGE_WITH_SOURCE",
        6: "DEFERRED_UPDATE_MESSAGE", 7: "UPDATE_MESSAGE", 8: "APPLICATION_COMMAND_AUTOCOMPLETE_RESULT", 9: "MODAL",
        10: "PREMIUM_REQUIRED", 12: "LAUNCH_ACTIVITY", 13: "SOCIAL_LAYER_SKU_PURCHASE_ELIGIBILITY",
    ]

    /// Types whose `data` is a message (content, embeds, components, flags).
    public var carriesMessage: Bool {
        self == .channelMessageWithSource || self == .deferredChannelMessageWithSource || self == .updateMessage
    }
}
