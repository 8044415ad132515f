/// An interaction's `type`. Open: an unknown number decodes and round-trips.
public struct InteractionType: DiscordIntEnum {
    public let rawValue: Int
    public init(rawValue: Int) { self.rawValue = rawValue }

    public static let ping: InteractionType = 1
    public static let applicationCommand: InteractionType = 2
    public static let messageComponent: InteractionType = 3
    public static let applicationCommandAutocomplete: InteractionType = 4
    public static let modalSubmit: InteractionType = 5

    public static let knownNames: [Int: String] = [
        1: "PING", 2: "APPLICATION_COMMAND", 3: "MESSAGE_COMPONENT", 4: "APPLICATION_COMMAND_AUTOCOMPLETE",
        5: "MODAL_SUBMIT", 6: "SOCIAL_LAYER_SKU_PURCHASE_ELIGIBILITY",
    ]
}
