/// One problem with a request body, located the way Discord reports it in a 50035 error:
/// `path` is the chain of object keys and array indexes (`["embeds", "0", "title"]`); empty
/// for problems with the request as a whole.
public struct RequestValidationIssue: Hashable, Sendable, CustomStringConvertible {
    public var path: [String]
    /// Discord's error code where known (`BASE_TYPE_MAX_LENGTH`), else a descriptive one of ours.
    public var code: String
    public var message: String

    public init(path: [String], code: String, message: String) {
        self.path = path
        self.code = code
        self.message = message
    }

    public var description: String { (path.isEmpty ? "" : path.joined(separator: ".") + ": ") + message }

    public static let maxLength = "BASE_TYPE_MAX_LENGTH"
    public static let badLength = "BASE_TYPE_BAD_LENGTH"
    public static let required = "BASE_TYPE_REQUIRED"
    public static let maxItems = "BASE_TYPE_MAX_LENGTH"
    public static let outOfRange = "NUMBER_TYPE_OUT_OF_RANGE"
    public static let invalid = "BASE_TYPE_INVALID"
    /// Ours: Discord answers an empty message with 50006 rather than a form error.
    public static let emptyMessage = "MESSAGE_EMPTY"
}
