/// A request body that can check itself against Discord's limits before it is sent.
public protocol ValidatableRequest {
    /// Every problem found; empty when the body is acceptable.
    func validationIssues() -> [RequestValidationIssue]
}

extension ValidatableRequest {
    /// Throws `RequestValidationError` listing every problem; returns quietly otherwise.
    public func validate() throws(RequestValidationError) {
        let issues = validationIssues()
        if !issues.isEmpty { throw RequestValidationError(issues: issues) }
    }
}
