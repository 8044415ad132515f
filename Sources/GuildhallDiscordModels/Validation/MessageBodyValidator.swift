/// The checks shared by every body that carries message parts (create, edit, interaction
/// responses and follow-ups), collecting issues rather than stopping at the first.
struct MessageBodyValidator {
    private(set) var issues: [RequestValidationIssue] = []

    private mutating func add(_ path: [String], _ code: String, _ message: String) {
        issues.append(RequestValidationIssue(path: path, code: code, message: message))
    }

    mutating func checkLength(_ text: String?, max: Int, at path: [String]) {
        guard let text, text.count > max else { return }
        add(path, RequestValidationIssue.maxLength, "Must be \(max) or fewer in length.")
    }

    mutating func checkLength(_ text: String?, min: Int, max: Int, at path: [String], required: Bool) {
        guard let text else {
            if required { add(path, RequestValidationIssue.required, "This field is required") }
            return
        }
        if text.count < min || text.count > max {
            add(path, RequestValidationIssue.badLength, "Must be between \(min) and \(max) in length.")
        }
    }

    mutating func checkCount(_ count: Int, max: Int, at path: [String]) {
        if count > max { add(path, RequestValidationIssue.maxItems, "Must be \(max) or fewer in length.") }
    }

    mutating func checkRange(_ value: Int?, _ range: ClosedRange<Int>, at path: [String]) {
        guard let value, !range.contains(value) else { return }
        add(path, RequestValidationIssue.outOfRange, "Must be between \(range.lowerBound) and \(range.upperBound).")
    }

    mutating func addInvalid(_ path: [String], _ message: String, code: String = RequestValidationIssue.invalid) {
        add(path, code, message)
    }

    mutating func checkContent(_ content: String?) {
        checkLength(content, max: DiscordLimits.messageContentLength, at: ["content"])
    }

    mutating func checkEmbeds(_ embeds: [Embed]?) {
        guard let embeds else { return }
        checkCount(embeds.count, max: DiscordLimits.embedsPerMessage, at: ["embeds"])
        var total = 0
        for (index, embed) in embeds.enumerated() {
            let path = ["embeds", String(index)]
            checkLength(embed.title, max: DiscordLimits.embedTitleLength, at: path + ["title"])
            checkLength(embed.description, max: DiscordLimits.embedDescriptionLength, at: path + ["description"])
            checkLength(embed.footer?.text, max: DiscordLimits.embedFooterTextLength, at: path + ["footer", "text"])
            checkLength(embed.author?.name, max: DiscordLimits.embedAuthorNameLength, at: path + ["author", "name"])
            let fields = embed.fields ?? []
            checkCount(fields.count, max: DiscordLimits.embedFields, at: path + ["fields"])
            for (fieldIndex, field) in fields.enumerated() {
                let fieldPath = path + ["fields", String(fieldIndex)]
                checkLength(field.name, max: DiscordLimits.embedFieldNameLength, at: fieldPath + ["name"])
                checkLength(field.value, max: DiscordLimits.embedFieldValueLength, at: fieldPath + ["value"])
                total += field.name.count + field.value.count
            }
            total += (embed.title?.count ?? 0) + (embed.description?.count ?? 0)
            total += (embed.footer?.text.count ?? 0) + (embed.author?.name.count ?? 0)
        }
        if total > DiscordLimits.embedTotalCharacters {
            add(["embeds"], "MAX_EMBED_SIZE_EXCEEDED", "Embed size exceeds maximum size of \(DiscordLimits.embedTotalCharacters)")
        }
    }

    mutating func checkAllowedMentions(_ mentions: AllowedMentions?) {
        guard let mentions else { return }
        let path = ["allowed_mentions"]
        if mentions.parse.contains(.users), !(mentions.users ?? []).isEmpty {
            add(path, "MESSAGE_ALLOWED_MENTIONS_PARSE_EXCLUSIVE", "parse:[\"users\"] and users: [ids] are mutually exclusive.")
        }
        if mentions.parse.contains(.roles), !(mentions.roles ?? []).isEmpty {
            add(path, "MESSAGE_ALLOWED_MENTIONS_PARSE_EXCLUSIVE", "parse:[\"roles\"] and roles: [ids] are mutually exclusive.")
        }
        checkCount(mentions.users?.count ?? 0, max: DiscordLimits.allowedMentionIDs, at: path + ["users"])
        checkCount(mentions.roles?.count ?? 0, max: DiscordLimits.allowedMentionIDs, at: path + ["roles"])
    }

    mutating func checkComponents(_ components: [MessageComponent]?, flags: MessageFlags?) {
        guard let components else { return }
        let isV2 = flags?.contains(.isComponentsV2) ?? false
        let limit = isV2 ? DiscordLimits.componentsPerV2Message : DiscordLimits.actionRowsPerMessage
        checkCount(isV2 ? components.flatMap(\.flattened).count : components.count, max: limit, at: ["components"])
        for (index, component) in components.enumerated() {
            let path = ["components", String(index)]
            if !isV2, component.type != .actionRow {
                addInvalid(path + ["type"], "Top-level components must be action rows unless IS_COMPONENTS_V2 is set.")
            }
            checkComponent(component, at: path)
        }
    }

    mutating func checkComponent(_ component: MessageComponent, at path: [String]) {
        switch component {
        case .actionRow(let row):
            let buttons = row.components.filter { $0.type == .button }.count
            let others = row.components.count - buttons
            if row.components.isEmpty || (others > 0 && row.components.count > 1) {
                addInvalid(path + ["components"], "An action row holds 1–5 buttons or exactly one select menu.")
            }
            checkCount(buttons, max: DiscordLimits.buttonsPerRow, at: path + ["components"])
            for (index, child) in row.components.enumerated() {
                checkComponent(child, at: path + ["components", String(index)])
            }
        case .button(let button):
            checkButton(button, at: path)
        case .selectMenu(let menu):
            checkLength(menu.customID, min: 1, max: DiscordLimits.customIDLength, at: path + ["custom_id"], required: true)
            checkCount(menu.options?.count ?? 0, max: DiscordLimits.selectOptions, at: path + ["options"])
            if menu.type == .stringSelect, (menu.options ?? []).isEmpty {
                add(path + ["options"], RequestValidationIssue.required, "A string select needs at least one option.")
            }
            checkRange(menu.minValues, 0...DiscordLimits.selectOptions, at: path + ["min_values"])
            checkRange(menu.maxValues, 1...DiscordLimits.selectOptions, at: path + ["max_values"])
        case .textInput(let input):
            checkLength(input.customID, min: 1, max: DiscordLimits.customIDLength, at: path + ["custom_id"], required: true)
        case .label(let label):
            checkComponent(label.component, at: path + ["component"])
        case .textDisplay, .unknown:
            break
        }
    }

    private mutating func checkButton(_ button: Button, at path: [String]) {
        checkLength(button.label, max: DiscordLimits.buttonLabelLength, at: path + ["label"])
        switch button.style {
        case .link:
            if button.url == nil { add(path + ["url"], RequestValidationIssue.required, "A link button needs a url.") }
            if button.customID != nil { addInvalid(path + ["custom_id"], "A link button cannot have a custom_id.") }
        case .premium:
            if button.skuID == nil { add(path + ["sku_id"], RequestValidationIssue.required, "A premium button needs an sku_id.") }
            if button.customID != nil || button.label != nil || button.url != nil || button.emoji != nil {
                addInvalid(path, "A premium button carries only its sku_id.")
            }
        default:
            checkLength(button.customID, min: 1, max: DiscordLimits.customIDLength, at: path + ["custom_id"], required: true)
            if button.url != nil { addInvalid(path + ["url"], "Only link buttons have a url.") }
        }
    }
}
