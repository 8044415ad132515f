extension CreateMessageRequest: ValidatableRequest {
    public func validationIssues() -> [RequestValidationIssue] {
        var validator = MessageBodyValidator()
        let hasContent = !(content ?? "").isEmpty
        let hasBody = hasContent || !(embeds ?? []).isEmpty || !(components ?? []).isEmpty || !(stickerIDs ?? []).isEmpty
        if !hasBody {
            validator.addInvalid([], "Cannot send an empty message", code: RequestValidationIssue.emptyMessage)
        }
        validator.checkContent(content)
        validator.checkEmbeds(embeds)
        validator.checkAllowedMentions(allowedMentions)
        validator.checkComponents(components, flags: flags)
        validator.checkCount(stickerIDs?.count ?? 0, max: DiscordLimits.stickersPerMessage, at: ["sticker_ids"])
        if case .string(let text) = nonce {
            validator.checkLength(text, max: DiscordLimits.nonceLength, at: ["nonce"])
        }
        return validator.issues
    }
}

extension EditMessageRequest: ValidatableRequest {
    public func validationIssues() -> [RequestValidationIssue] {
        var validator = MessageBodyValidator()
        validator.checkContent(content)
        validator.checkEmbeds(embeds)
        validator.checkAllowedMentions(allowedMentions)
        validator.checkComponents(components, flags: flags)
        return validator.issues
    }
}

extension InteractionMessage: ValidatableRequest {
    public func validationIssues() -> [RequestValidationIssue] {
        var validator = MessageBodyValidator()
        validator.checkContent(content)
        validator.checkEmbeds(embeds)
        validator.checkAllowedMentions(allowedMentions)
        validator.checkComponents(components, flags: flags)
        return validator.issues
    }
}

extension InteractionResponse: ValidatableRequest {
    /// Issues are located under `data`, as Discord reports them.
    public func validationIssues() -> [RequestValidationIssue] {
        var issues: [RequestValidationIssue] = []
        var validator = MessageBodyValidator()
        switch data {
        case .message(let message):
            issues = message.validationIssues()
            if type == .channelMessageWithSource, (message.content ?? "").isEmpty, (message.embeds ?? []).isEmpty,
               (message.components ?? []).isEmpty
            {
                issues.append(RequestValidationIssue(path: [], code: RequestValidationIssue.emptyMessage, message: "Cannot send an empty message"))
            }
        case .autocomplete(let choices):
            validator.checkCount(choices.count, max: DiscordLimits.autocompleteChoices, at: ["choices"])
        case .modal(let modal):
            validator.checkLength(modal.customID, min: 1, max: DiscordLimits.customIDLength, at: ["custom_id"], required: true)
            validator.checkLength(modal.title, min: 1, max: DiscordLimits.modalTitleLength, at: ["title"], required: true)
            if modal.components.isEmpty || modal.components.count > DiscordLimits.modalComponents {
                validator.addInvalid(["components"], "A modal holds 1–\(DiscordLimits.modalComponents) components.")
            }
            for (index, component) in modal.components.enumerated() {
                validator.checkComponent(component, at: ["components", String(index)])
            }
        case .unknown, nil:
            break
        }
        issues += validator.issues
        return issues.map { issue in
            issue.path.isEmpty ? issue : RequestValidationIssue(path: ["data"] + issue.path, code: issue.code, message: issue.message)
        }
    }
}

extension CreateGuildBanRequest: ValidatableRequest {
    public func validationIssues() -> [RequestValidationIssue] {
        var validator = MessageBodyValidator()
        validator.checkRange(deleteMessageSeconds, 0...Self.maximumDeleteMessageSeconds, at: ["delete_message_seconds"])
        validator.checkRange(deleteMessageDays, 0...7, at: ["delete_message_days"])
        return validator.issues
    }
}
