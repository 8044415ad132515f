import GuildhallCore
import GuildhallDiscordModels

/// What members see: the giveaway message in each state, its buttons, the ephemeral
/// answers to entering and leaving, and the winners' announcement. Pure.
public enum GiveawayMessage {
    /// Component ids: `giveaway:enter:<id>` and `giveaway:leave:<id>`.
    public static let componentPrefix = "giveaway"
    public static func enterID(_ giveaway: Int64) -> String { "\(componentPrefix):enter:\(giveaway)" }
    public static func leaveID(_ giveaway: Int64) -> String { "\(componentPrefix):leave:\(giveaway)" }

    static let runningColor = 0x5865F2
    static let endedColor = 0x2B2D31
    static let cancelledColor = 0xED4245

    /// The giveaway message: running (with Enter), ended (with its winners) or cancelled.
    public static func body(_ giveaway: Giveaway, entries: Int) -> (embed: Embed, components: [MessageComponent]) {
        var lines: [String] = []
        let endSeconds = giveaway.endsAt / 1_000
        switch giveaway.status {
        case .scheduled, .running:
            lines.append("Click **Enter** to take part.")
            lines.append("Ends <t:\(endSeconds):R> (<t:\(endSeconds):f>)")
        case .ended:
            let winners = giveaway.winners ?? []
            lines.append(winners.isEmpty ? "Ended <t:\(endSeconds):R>: nobody could win." : "Ended <t:\(endSeconds):R>. Winners: \(mentions(winners))")
        case .cancelled:
            lines.append("Cancelled: nobody wins.")
        }
        lines.append("Winners: \(giveaway.winnerCount) · Entries: \(entries) · Hosted by <@\(giveaway.createdBy)>")
        lines += requirementLines(giveaway.requirements)
        let color = giveaway.status == .cancelled ? cancelledColor : giveaway.status == .ended ? endedColor : runningColor
        let embed = Embed(title: "🎉 \(giveaway.prize)", description: lines.joined(separator: "\n"), color: color, footer: .init(text: "Giveaway #\(giveaway.id)"))
        let open = giveaway.status.takesEntries
        let button = Button.interactive(.primary, customID: enterID(giveaway.id), label: open ? "Enter" : "Closed", emoji: .unicode("🎉"), disabled: open ? nil : true)
        return (embed, [.actionRow(ActionRow(.button(button)))])
    }

    static func requirementLines(_ requirements: GiveawayDraft.Requirements) -> [String] {
        var lines: [String] = []
        if let role = requirements.roleID { lines.append("Requires the role <@&\(role)>") }
        if let level = requirements.minimumLevel { lines.append("Requires level \(level) or higher") }
        if let days = requirements.accountAgeDays { lines.append("Requires an account at least \(days) day\(days == 1 ? "" : "s") old") }
        if let days = requirements.memberDays { lines.append("Requires \(days) day\(days == 1 ? "" : "s") in this server") }
        return lines
    }

    public static func createRequest(_ giveaway: Giveaway, entries: Int) -> CreateMessageRequest {
        let body = body(giveaway, entries: entries)
        return CreateMessageRequest(
            nonce: .string("gw\(giveaway.id)s"), embeds: [body.embed], allowedMentions: .parseNothing, components: body.components, enforceNonce: true
        )
    }

    public static func editRequest(_ giveaway: Giveaway, entries: Int) -> EditMessageRequest {
        let body = body(giveaway, entries: entries)
        return EditMessageRequest(embeds: [body.embed], allowedMentions: .parseNothing, components: body.components)
    }

    /// The winners' announcement, a reply to the giveaway message. Its nonce names the
    /// ending (or the reroll), so a retried post after a crash returns the first message.
    public static func announcement(_ giveaway: Giveaway, winners: [Snowflake], reroll: Int? = nil) -> CreateMessageRequest {
        let content: String
        if winners.isEmpty {
            content = reroll == nil
                ? "The giveaway for **\(giveaway.prize)** has ended: nobody could win."
                : "Reroll for **\(giveaway.prize)**: nobody else could win."
        } else if reroll == nil {
            content = "🎉 Congratulations \(mentions(winners))! You won **\(giveaway.prize)**."
        } else {
            content = "🎉 New winner\(winners.count == 1 ? "" : "s") for **\(giveaway.prize)**: \(mentions(winners))!"
        }
        let nonce = reroll.map { "gw\(giveaway.id)r\($0)" } ?? "gw\(giveaway.id)e"
        return CreateMessageRequest(
            content: content, nonce: .string(nonce), allowedMentions: .only(users: winners),
            messageReference: giveaway.message.map { MessageReference(messageID: $0, channelID: giveaway.channel, failIfNotExists: false) },
            enforceNonce: true
        )
    }

    /// The ephemeral answer to a click on Enter or Leave, with the button that undoes it.
    public static func entryAnswer(_ text: String, giveaway: Int64, offerLeave: Bool) -> InteractionResponse {
        let components: [MessageComponent]? = offerLeave
            ? [.actionRow(ActionRow(.button(.interactive(.danger, customID: leaveID(giveaway), label: "Leave"))))]
            : nil
        return .message(InteractionMessage(content: text, flags: .ephemeral, components: components))
    }

    static func mentions(_ users: [Snowflake]) -> String {
        users.map { "<@\($0)>" }.joined(separator: ", ")
    }
}
