extension ModifyGuildMemberRequest {
    /// Every problem with the body at `now`: a nickname over 32 characters, a timeout that is
    /// not in the future or lies more than 28 days ahead.
    public func validationIssues(now: DiscordTimestamp) -> [RequestValidationIssue] {
        var validator = MessageBodyValidator()
        if case .value(let nick) = nick {
            validator.checkLength(nick, max: DiscordLimits.nicknameLength, at: ["nick"])
        }
        if case .value(let until) = communicationDisabledUntil, RoleHierarchy.validateTimeout(until: until, now: now).isRefused {
            validator.addInvalid(
                ["communication_disabled_until"], "Invalid communication disabled timestamp",
                code: "INVALID_COMMUNICATION_DISABLED_TIMESTAMP"
            )
        }
        return validator.issues
    }

    /// Throws `RequestValidationError` listing every problem at `now`.
    public func validate(now: DiscordTimestamp) throws(RequestValidationError) {
        let issues = validationIssues(now: now)
        if !issues.isEmpty { throw RequestValidationError(issues: issues) }
    }
}
