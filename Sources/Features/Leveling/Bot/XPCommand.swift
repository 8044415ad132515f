import GuildhallBot
import GuildhallCore
import GuildhallDiscordModels
import GuildhallGuildSettings

/// `/xp add|remove|set|reset <member>`, `/xp reset-all` and `/xp restore`: admin changes to
/// XP. Discord shows the command to Manage Server holders; the invoker's permissions are
/// checked again in LevelingService, where the change happens. Reward roles follow.
public struct XPCommand: SlashCommand {
    let leveling: LevelingService
    let settings: GuildSettingsService

    public init(leveling: LevelingService, settings: GuildSettingsService) {
        self.leveling = leveling
        self.settings = settings
    }

    public var definition: ApplicationCommand { Self.commandDefinition }

    public static var commandDefinition: ApplicationCommand {
        let member = ApplicationCommandOption(type: .user, name: "member", description: "The member", required: true)
        func amount(_ description: String, minimum: Int64) -> ApplicationCommandOption {
            ApplicationCommandOption(
                type: .integer, name: "amount", description: description, required: true, minValue: .integer(minimum), maxValue: .integer(XPAwards.maximumTotal)
            )
        }
        return .slash(
            "xp", description: "Change members' XP",
            options: [
                ApplicationCommandOption(type: .subCommand, name: "add", description: "Give XP", options: [member, amount("XP to give", minimum: 1)]),
                ApplicationCommandOption(type: .subCommand, name: "remove", description: "Take XP away", options: [member, amount("XP to take", minimum: 1)]),
                ApplicationCommandOption(type: .subCommand, name: "set", description: "Set a member's total XP", options: [member, amount("The new total", minimum: 0)]),
                ApplicationCommandOption(type: .subCommand, name: "reset", description: "Set a member's XP to 0", options: [member]),
                ApplicationCommandOption(type: .subCommand, name: "reset-all", description: "Set everyone's XP to 0 (undo with /xp restore)"),
                ApplicationCommandOption(type: .subCommand, name: "restore", description: "Give back the XP the last reset-all took"),
            ],
            defaultMemberPermissions: .manageGuild
        )
    }

    public func handle(_ context: InteractionContext) async throws -> InteractionResponse {
        let guild = try context.requireGuild()
        try await LevelingModuleCheck.requireOn(settings, guild: guild)
        let invoker = try context.requireInvoker()
        guard let data = context.interaction.commandData, let subcommand = data.subcommandPath.first else {
            throw GuildhallError(.invalidInput, "choose add, remove, set, reset, reset-all or restore")
        }
        let access = context.invokerAccess
        let requestID = "interaction-\(context.interaction.id)"
        switch subcommand {
        case "reset-all":
            let count = try await leveling.resetAll(guild: guild, actor: invoker.id, access: access, requestID: requestID)
            return .reply("XP reset for \(count) member\(count == 1 ? "" : "s"). `/xp restore` gives it back.", ephemeral: true)
        case "restore":
            let count = try await leveling.restore(guild: guild, actor: invoker.id, access: access, requestID: requestID)
            return .reply("XP restored for \(count) member\(count == 1 ? "" : "s").", ephemeral: true)
        case "add", "remove", "set", "reset":
            guard let member = data.option("member")?.value?.snowflakeValue else { throw GuildhallError(.invalidInput, "name the member") }
            let adjustment: XPAwards.Adjustment
            if subcommand == "reset" {
                adjustment = .set(0)
            } else {
                guard let amount = data.option("amount")?.value?.integerValue, (0...XPAwards.maximumTotal).contains(amount) else {
                    throw GuildhallError(.invalidInput, "the amount must be 0 to \(XPAwards.maximumTotal)")
                }
                adjustment = subcommand == "add" ? .add(amount) : subcommand == "remove" ? .add(-amount) : .set(amount)
            }
            let award = try await leveling.adjust(member, in: guild, adjustment, actor: invoker.id, access: access, requestID: requestID)
            return .reply("<@\(member)> now has \(award.total) XP (level \(award.levelAfter)).", ephemeral: true)
        default:
            throw GuildhallError(.invalidInput, "unknown subcommand '\(subcommand)'")
        }
    }
}
