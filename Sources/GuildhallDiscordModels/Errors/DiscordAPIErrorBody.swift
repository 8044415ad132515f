/// The JSON body of a Discord error response: `{"code", "message", "errors"?}`. Decoding is
/// lenient (a body without `code` is a general error) so any error Discord sends is typed.
public struct DiscordAPIErrorBody: Error, Hashable, Sendable, CustomStringConvertible {
    public var code: DiscordJSONErrorCode
    public var message: String
    public var errors: DiscordErrorTree?

    public init(code: DiscordJSONErrorCode, message: String? = nil, errors: DiscordErrorTree? = nil) {
        self.code = code
        self.message = message ?? code.defaultMessage
        self.errors = errors
    }

    /// A 50035 body listing every issue where it occurred.
    public static func invalidFormBody(_ issues: [RequestValidationIssue]) -> DiscordAPIErrorBody {
        DiscordAPIErrorBody(code: .invalidFormBody, errors: DiscordErrorTree(issues: issues))
    }

    public var description: String {
        var text = "Discord error \(code.rawValue) (\(code)): \(message)"
        for entry in errors?.flattened ?? [] {
            text += "; " + (entry.path.isEmpty ? "" : entry.path + ": ") + entry.error.message
        }
        return text
    }

    enum CodingKeys: String, CodingKey { case code, message, errors }
}

extension DiscordAPIErrorBody: Codable {
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        code = try container.decodeIfPresent(DiscordJSONErrorCode.self, forKey: .code) ?? .generalError
        message = try container.decodeIfPresent(String.self, forKey: .message) ?? ""
        errors = try container.decodeIfPresent(DiscordErrorTree.self, forKey: .errors)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(code, forKey: .code)
        try container.encode(message, forKey: .message)
        if let errors, !errors.isEmpty { try container.encode(errors, forKey: .errors) }
    }
}
