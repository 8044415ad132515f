import GuildhallBot
import Foundation
import GuildhallCore
import GuildhallDiscordModels

/// `/giveaway start|end|reroll|cancel|list`. Discord shows it to Manage Server holders;
/// GiveawayService checks again (Manage Server, or the guild's giveaway manager role), so a
/// server that lets a manager role see the command gets the same answer everywhere.
public struct GiveawayCommand: SlashCommand {
    let giveaways: GiveawayService
    let now: @Sendable () -> Double

    public init(giveaways: GiveawayService, now: @escaping @Sendable () -> Double = { Date().timeIntervalSince1970 }) {
        self.giveaways = giveaways
        self.now = now
    }

    public var definition: ApplicationCommand { Self.commandDefinition }

    public static var commandDefinition: ApplicationCommand {
        let id = ApplicationCommandOption(type: .integer, name: "id", description: "The giveaway's number (see /giveaway list)", required: true, minValue: .integer(1))
        let days = { (name: String, description: String) in
            ApplicationCommandOption(type: .integer, name: name, description: description, minValue: .integer(1), maxValue: .integer(3_650))
        }
        return .slash(
            "giveaway", description: "Run giveaways",
            options: [
                ApplicationCommandOption(type: .subCommand, name: "start", description: "Start a giveaway", options: [
                    ApplicationCommandOption(type: .string, name: "prize", description: "What the winners get", required: true, maxLength: GiveawayDraft.maximumPrizeLength),
                    ApplicationCommandOption(type: .string, name: "ends", description: "How long it runs (90m, 2d) or when it ends (2026-12-24 18:00, UTC)", required: true, maxLength: 40),
                    ApplicationCommandOption(type: .integer, name: "winners", description: "How many win (1 when left out)", minValue: .integer(1), maxValue: .integer(50)),
                    ApplicationCommandOption(type: .channel, name: "channel", description: "Where to post it (here when left out)", channelTypes: [.guildText, .guildAnnouncement]),
                    ApplicationCommandOption(type: .role, name: "role", description: "Only members with this role may enter"),
                    ApplicationCommandOption(type: .integer, name: "min_level", description: "Minimum leveling level", minValue: .integer(1), maxValue: .integer(1_000)),
                    days("account_age_days", "Minimum age of the entrant's Discord account, in days"),
                    days("member_days", "Minimum time in this server, in days"),
                    ApplicationCommandOption(type: .string, name: "starts", description: "Open entries later: in (2h) or at (2026-12-24 18:00, UTC)", maxLength: 40),
                ]),
                ApplicationCommandOption(type: .subCommand, name: "end", description: "End a giveaway now and draw its winners", options: [id]),
                ApplicationCommandOption(type: .subCommand, name: "reroll", description: "Draw new winners from the entrants, never earlier winners", options: [
                    id, ApplicationCommandOption(type: .integer, name: "count", description: "How many (1 when left out)", minValue: .integer(1), maxValue: .integer(50)),
                ]),
                ApplicationCommandOption(type: .subCommand, name: "cancel", description: "Cancel a giveaway: nobody wins", options: [id]),
                ApplicationCommandOption(type: .subCommand, name: "list", description: "This server's giveaways"),
            ],
            defaultMemberPermissions: .manageGuild
        )
    }

    public func handle(_ context: InteractionContext) async throws -> InteractionResponse {
        let guild = try context.requireGuild()
        let invoker = try context.requireInvoker()
        guard let data = context.interaction.commandData, let subcommand = data.subcommandPath.first else {
            throw GuildhallError(.invalidInput, "choose start, end, reroll, cancel or list")
        }
        let actor = GiveawayActor.member(invoker.id, permissions: context.invokerPermissions, roles: context.interaction.member?.roles ?? [])
        let requestID = "interaction-\(context.interaction.id)"
        switch subcommand {
        case "start":
            let draft = try Self.draft(from: data, fallbackChannel: context.interaction.channelID, now: now())
            let giveaway = try await giveaways.create(draft, guild: guild, actor: actor, requestID: requestID)
            let when = giveaway.startsAt.map { "opens <t:\($0 / 1_000):R> and " } ?? ""
            return .reply("Giveaway #\(giveaway.id) for **\(giveaway.prize)** \(when)ends <t:\(giveaway.endsAt / 1_000):R> in <#\(giveaway.channel)>.", ephemeral: true)
        case "end":
            let id = try Self.id(data)
            try await giveaways.endNow(id, guild: guild, actor: actor, requestID: requestID)
            return .reply("Giveaway #\(id) is ending now; the winners are announced in its channel.", ephemeral: true)
        case "reroll":
            let id = try Self.id(data)
            let count = Int(data.option("count")?.value?.integerValue ?? 1)
            let winners = try await giveaways.reroll(id, guild: guild, count: count, actor: actor, requestID: requestID)
            return .reply(winners.isEmpty ? "Nobody else could win giveaway #\(id)." : "New winner\(winners.count == 1 ? "" : "s") of #\(id): \(winners.map { "<@\($0)>" }.joined(separator: ", ")).", ephemeral: true)
        case "cancel":
            let id = try Self.id(data)
            try await giveaways.cancel(id, guild: guild, actor: actor, requestID: requestID)
            return .reply("Giveaway #\(id) is cancelled; nobody wins.", ephemeral: true)
        case "list":
            let list = try await giveaways.store.list(guild: guild, limit: 15)
            guard !list.isEmpty else { return .reply("This server has no giveaways yet. Start one with `/giveaway start`.", ephemeral: true) }
            let counts = try await giveaways.store.entryCounts(list.map(\.id))
            let lines = list.map { giveaway in
                let entries = counts[giveaway.id] ?? 0
                return "#\(giveaway.id) **\(giveaway.prize)** — \(giveaway.status.rawValue), \(entries) entr\(entries == 1 ? "y" : "ies"), ends <t:\(giveaway.endsAt / 1_000):R> in <#\(giveaway.channel)>"
            }
            return .reply(lines.joined(separator: "\n"), ephemeral: true)
        default:
            throw GuildhallError(.invalidInput, "unknown subcommand '\(subcommand)'")
        }
    }

    static func id(_ data: ApplicationCommandInteractionData) throws -> Int64 {
        guard let id = data.option("id")?.value?.integerValue, id > 0 else { throw GuildhallError(.invalidInput, "name the giveaway by its number") }
        return id
    }

    /// The draft the options describe; the service checks it against the plan.
    static func draft(from data: ApplicationCommandInteractionData, fallbackChannel: Snowflake?, now: Double) throws -> GiveawayDraft {
        guard let prize = data.option("prize")?.value?.stringValue else { throw GuildhallError(.invalidInput, "name the prize") }
        guard let ends = data.option("ends")?.value?.stringValue else { throw GuildhallError(.invalidInput, "say when it ends") }
        guard let channel = data.option("channel")?.value?.snowflakeValue ?? fallbackChannel else { throw GuildhallError(.invalidInput, "name the channel") }
        let startsAt = try data.option("starts")?.value?.stringValue.map { try GiveawayTime.parse($0, now: now) }
        // A duration counts from the start, so "starts in 1h, runs 2h" ends in 3h.
        let endsAt = try GiveawayTime.parse(ends, now: startsAt ?? now)
        func integer(_ name: String) -> Int? { data.option(name)?.value?.integerValue.map { Int(clamping: $0) } }
        return GiveawayDraft(
            prize: prize, winners: integer("winners") ?? 1, channelID: channel, startsAt: startsAt, endsAt: endsAt,
            requirements: .init(
                roleID: data.option("role")?.value?.snowflakeValue, minimumLevel: integer("min_level"), accountAgeDays: integer("account_age_days"),
                memberDays: integer("member_days")
            )
        )
    }
}
