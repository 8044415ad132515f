import GuildhallDiscordModels

/// A refusal as Discord words it: an HTTP status and the JSON body
/// `{"code": …, "message": …, "errors"?: …}` (FACTS.md §3.3).
public struct SandboxAPIError: Error, Sendable, Equatable, CustomStringConvertible {
    public var status: Int
    public var code: Int
    public var message: String
    /// For 50035: the body's shape with `_errors` leaves where a field was wrong.
    public var errors: DiscordErrorTree?

    public init(status: Int, code: Int, message: String, errors: DiscordErrorTree? = nil) {
        self.status = status
        self.code = code
        self.message = message
        self.errors = errors
    }

    /// The model's error body, with the status Discord sends it with.
    public init(_ body: DiscordAPIErrorBody) {
        self.init(status: body.code.typicalHTTPStatus, code: body.code.rawValue, message: body.message, errors: body.errors)
    }

    public var description: String { "\(status) \(code): \(message)" }

    static let unauthorized = SandboxAPIError(status: 401, code: 0, message: "401: Unauthorized")
    static let notFound = SandboxAPIError(status: 404, code: 0, message: "404: Not Found")
    static let methodNotAllowed = SandboxAPIError(status: 405, code: 0, message: "405: Method Not Allowed")
    static let unknownApplication = SandboxAPIError(status: 404, code: 10002, message: "Unknown Application")
    static let unknownChannel = SandboxAPIError(status: 404, code: 10003, message: "Unknown Channel")
    static let unknownGuild = SandboxAPIError(status: 404, code: 10004, message: "Unknown Guild")
    static let unknownMember = SandboxAPIError(status: 404, code: 10007, message: "Unknown Member")
    static let unknownMessage = SandboxAPIError(status: 404, code: 10008, message: "Unknown Message")
    static let unknownRole = SandboxAPIError(status: 404, code: 10011, message: "Unknown Role")
    static let unknownUser = SandboxAPIError(status: 404, code: 10013, message: "Unknown User")
    static let unknownEmoji = SandboxAPIError(status: 400, code: 10014, message: "Unknown Emoji")
    static let unknownWebhook = SandboxAPIError(status: 404, code: 10015, message: "Unknown Webhook")
    static let unknownBan = SandboxAPIError(status: 404, code: 10026, message: "Unknown Ban")
    static let unknownSKU = SandboxAPIError(status: 404, code: 10028, message: "Unknown SKU")
    static let unknownEntitlement = SandboxAPIError(status: 404, code: 10029, message: "Unknown Entitlement")
    static let unknownCommand = SandboxAPIError(status: 404, code: 10063, message: "Unknown application command")
    static let unknownInteraction = SandboxAPIError(status: 404, code: 10062, message: "Unknown interaction")
    static let maxRoles = SandboxAPIError(status: 400, code: 30005, message: "Maximum number of guild roles reached (250)")
    static let onlyTestEntitlements = SandboxAPIError(status: 400, code: 40019, message: "This entitlement cannot be deleted")
    static let alreadyAcknowledged = SandboxAPIError(status: 400, code: 40060, message: "Interaction has already been acknowledged.")
    static let entitlementAlreadyGranted = SandboxAPIError(status: 400, code: 40074, message: "Entitlement already granted")
    static let followUpLimit = SandboxAPIError(status: 400, code: 40094, message: "This interaction has hit the maximum number of follow up messages")
    static let missingAccess = SandboxAPIError(status: 403, code: 50001, message: "Missing Access")
    static let cannotEditOthersMessage = SandboxAPIError(status: 403, code: 50005, message: "Cannot edit a message authored by another user")
    static let emptyMessage = SandboxAPIError(status: 400, code: 50006, message: "Cannot send an empty message")
    static let cannotDM = SandboxAPIError(status: 403, code: 50007, message: "Cannot send messages to this user")
    static let missingPermissions = SandboxAPIError(status: 403, code: 50013, message: "Missing Permissions")
    static let invalidJSON = SandboxAPIError(status: 400, code: 50109, message: "The request body contains invalid JSON.")

    /// 50035 with one field's error: `path` names the field (`["embeds", "0", "title"]`);
    /// an empty path puts the error at the request level.
    static func invalidFormBody(_ path: [String], code: String, message: String) -> SandboxAPIError {
        invalidFormBody([RequestValidationIssue(path: path, code: code, message: message)])
    }

    /// 50035 with several fields' errors merged into one tree.
    static func invalidFormBody(_ issues: [RequestValidationIssue]) -> SandboxAPIError {
        SandboxAPIError(status: 400, code: 50035, message: "Invalid Form Body", errors: DiscordErrorTree(issues: issues))
    }

    /// The JSON body Discord sends with this status, as the model encodes it.
    var body: DiscordAPIErrorBody {
        DiscordAPIErrorBody(code: DiscordJSONErrorCode(rawValue: code), message: message, errors: errors)
    }
}
