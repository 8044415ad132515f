/// Thrown when a request body breaks Discord's documented limits; lists every problem so the
/// caller (or the sandbox, answering as Discord would) can report them all at once.
public struct RequestValidationError: Error, Hashable, Sendable, CustomStringConvertible {
    public var issues: [RequestValidationIssue]

    public init(issues: [RequestValidationIssue]) {
        self.issues = issues
    }

    /// The body Discord answers with: 50006 for an empty message, else 50035 with the issues
    /// nested where they occurred.
    public var errorBody: DiscordAPIErrorBody {
        if issues.contains(where: { $0.code == RequestValidationIssue.emptyMessage }) {
            return DiscordAPIErrorBody(code: .cannotSendEmptyMessage)
        }
        return .invalidFormBody(issues)
    }

    public var description: String { "invalid request body: " + issues.map(\.description).joined(separator: "; ") }
}
