extension ApplicationCommand: ValidatableRequest {
    /// Discord's limits for a command definition (FACTS.md §4.1): name 1–32 characters (lower
    /// case and without spaces for slash commands), description 1–100 for slash commands and
    /// empty for context menus, at most 25 options and 25 choices, required options first.
    public func validationIssues() -> [RequestValidationIssue] {
        var validator = MessageBodyValidator()
        let isSlash = (type ?? .chatInput) == .chatInput
        validator.checkLength(name, min: 1, max: DiscordLimits.commandNameLength, at: ["name"], required: true)
        if isSlash {
            if !Self.isValidSlashName(name) {
                validator.addInvalid(["name"], "Slash command names are lower case letters, digits, '-' and '_'.", code: "APPLICATION_COMMAND_INVALID_NAME")
            }
            validator.checkLength(description, min: 1, max: DiscordLimits.commandDescriptionLength, at: ["description"], required: true)
        } else if let description, !description.isEmpty {
            validator.addInvalid(["description"], "Context menu commands have no description.")
        }
        if !isSlash, options != nil {
            validator.addInvalid(["options"], "Only slash commands take options.")
        }
        Self.checkOptions(options ?? [], at: ["options"], into: &validator)
        return validator.issues
    }

    private static func checkOptions(_ options: [ApplicationCommandOption], at path: [String], into validator: inout MessageBodyValidator) {
        validator.checkCount(options.count, max: DiscordLimits.commandOptions, at: path)
        var seenOptional = false
        for (index, option) in options.enumerated() {
            let optionPath = path + [String(index)]
            validator.checkLength(option.name, min: 1, max: DiscordLimits.commandNameLength, at: optionPath + ["name"], required: true)
            if !isValidSlashName(option.name) {
                validator.addInvalid(optionPath + ["name"], "Option names are lower case letters, digits, '-' and '_'.", code: "APPLICATION_COMMAND_INVALID_NAME")
            }
            validator.checkLength(
                option.description, min: 1, max: DiscordLimits.commandDescriptionLength, at: optionPath + ["description"], required: true
            )
            validator.checkCount(option.choices?.count ?? 0, max: DiscordLimits.commandChoices, at: optionPath + ["choices"])
            if option.required == true, seenOptional {
                validator.addInvalid(optionPath + ["required"], "Required options must come before optional ones.", code: "APPLICATION_COMMAND_OPTIONS_REQUIRED_INVALID")
            }
            if option.required != true, !option.type.isSubcommandOrGroup { seenOptional = true }
            if let nested = option.options {
                checkOptions(nested, at: optionPath + ["options"], into: &validator)
            }
        }
    }

    /// Letters (lower case where the script has case), digits, `-` and `_`.
    static func isValidSlashName(_ name: String) -> Bool {
        !name.isEmpty && name.allSatisfy { character in
            character == "-" || character == "_" || character.isNumber
                || (character.isLetter && character.lowercased() == String(character))
        }
    }
}
