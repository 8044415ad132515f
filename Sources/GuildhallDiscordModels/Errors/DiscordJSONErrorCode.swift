/// The `code` of a Discord error body (FACTS.md §3.3). Open: unknown codes decode.
public struct DiscordJSONErrorCode: DiscordIntEnum {
    public let rawValue: Int
    public init(rawValue: Int) { self.rawValue = rawValue }

    public static let generalError: DiscordJSONErrorCode = 0
    public static let unknownChannel: DiscordJSONErrorCode = 10003
    public static let unknownGuild: DiscordJSONErrorCode = 10004
    public static let unknownMember: DiscordJSONErrorCode = 10007
    public static let unknownMessage: DiscordJSONErrorCode = 10008
    public static let unknownRole: DiscordJSONErrorCode = 10011
    public static let unknownUser: DiscordJSONErrorCode = 10013
    public static let unknownEmoji: DiscordJSONErrorCode = 10014
    public static let unknownWebhook: DiscordJSONErrorCode = 10015
    public static let unknownBan: DiscordJSONErrorCode = 10026
    public static let unknownEntitlement: DiscordJSONErrorCode = 10029
    /// The interaction token expired or the first answer came after 3 s.
    public static let unknownInteraction: DiscordJSONErrorCode = 10062
    public static let maximumGuildRoles: DiscordJSONErrorCode = 30005
    public static let onlyTestEntitlementsDeletable: DiscordJSONErrorCode = 40019
    public static let interactionAlreadyAcknowledged: DiscordJSONErrorCode = 40060
    public static let entitlementAlreadyGranted: DiscordJSONErrorCode = 40074
    public static let interactionFollowUpLimitReached: DiscordJSONErrorCode = 40094
    public static let missingAccess: DiscordJSONErrorCode = 50001
    public static let cannotEditOtherUsersMessage: DiscordJSONErrorCode = 50005
    public static let cannotSendEmptyMessage: DiscordJSONErrorCode = 50006
    public static let cannotSendMessagesToUser: DiscordJSONErrorCode = 50007
    public static let missingPermissions: DiscordJSONErrorCode = 50013
    public static let invalidAuthenticationToken: DiscordJSONErrorCode = 50014
    public static let invalidFormBody: DiscordJSONErrorCode = 50035
    public static let invalidJSON: DiscordJSONErrorCode = 50109
    public static let searchIndexNotReady: DiscordJSONErrorCode = 110_000
    public static let blockedByAutoMod: DiscordJSONErrorCode = 200_000

    public static let knownNames: [Int: String] = [
        0: "GENERAL_ERROR", 10003: "UNKNOWN_CHANNEL", 10004: "UNKNOWN_GUILD", 10007: "UNKNOWN_MEMBER",
        10008: "UNKNOWN_MESSAGE", 10011: "UNKNOWN_ROLE", 10013: "UNKNOWN_USER", 10014: "UNKNOWN_EMOJI",
        10015: "UNKNOWN_WEBHOOK", 10026: "UNKNOWN_BAN", 10029: "UNKNOWN_ENTITLEMENT", 10062: "UNKNOWN_INTERACTION",
        30005: "MAXIMUM_GUILD_ROLES", 40019: "ONLY_TEST_ENTITLEMENTS_DELETABLE", 40060: "INTERACTION_ALREADY_ACKNOWLEDGED",
        40074: "ENTITLEMENT_ALREADY_GRANTED", 40094: "INTERACTION_FOLLOW_UP_LIMIT_REACHED", 50001: "MISSING_ACCESS",
        50005: "CANNOT_EDIT_OTHER_USERS_MESSAGE", 50006: "CANNOT_SEND_EMPTY_MESSAGE", 50007: "CANNOT_SEND_MESSAGES_TO_USER",
        50013: "MISSING_PERMISSIONS", 50014: "INVALID_AUTHENTICATION_TOKEN", 50035: "INVALID_FORM_BODY",
        50109: "INVALID_JSON", 110_000: "SEARCH_INDEX_NOT_READY", 200_000: "BLOCKED_BY_AUTOMOD",
    ]

    /// The message Discord sends with the code (what the sandbox answers with).
    public var defaultMessage: String {
        switch self {
        case .generalError: "401: Unauthorized"
        case .unknownChannel: "Unknown Channel"
        case .unknownGuild: "Unknown Guild"
        case .unknownMember: "Unknown Member"
        case .unknownMessage: "Unknown Message"
        case .unknownRole: "Unknown Role"
        case .unknownUser: "Unknown User"
        case .unknownEmoji: "Unknown Emoji"
        case .unknownWebhook: "Unknown Webhook"
        case .unknownBan: "Unknown Ban"
        case .unknownEntitlement: "Unknown Entitlement"
        case .unknownInteraction: "Unknown interaction"
        case .maximumGuildRoles: "Maximum number of guild roles reached (250)"
        case .onlyTestEntitlementsDeletable: "Only test entitlements can be deleted"
        case .interactionAlreadyAcknowledged: "Interaction has already been acknowledged."
        case .entitlementAlreadyGranted: "Entitlement already granted"
        case .interactionFollowUpLimitReached: "Interaction follow-up limit reached"
        case .missingAccess: "Missing Access"
        case .cannotEditOtherUsersMessage: "Cannot edit a message authored by another user"
        case .cannotSendEmptyMessage: "Cannot send an empty message"
        case .cannotSendMessagesToUser: "Cannot send messages to this user"
        case .missingPermissions: "Missing Permissions"
        case .invalidAuthenticationToken: "Invalid authentication token"
        case .invalidFormBody: "Invalid Form Body"
        case .invalidJSON: "The request body contains invalid JSON."
        case .searchIndexNotReady: "This index has not been created yet."
        case .blockedByAutoMod: "Message was blocked by automatic moderation"
        default: "Unknown error"
        }
    }

    /// The HTTP status Discord usually pairs with the code.
    public var typicalHTTPStatus: Int {
        switch rawValue {
        case 0: 401
        case 10000..<20000: self == .unknownEmoji ? 400 : 404
        case 50001, 50005, 50007, 50013: 403
        case 50014: 401
        case 110_000: 202
        default: 400
        }
    }
}
