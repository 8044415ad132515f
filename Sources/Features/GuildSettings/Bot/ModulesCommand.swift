import GuildhallCore
import GuildhallDiscordModels
import GuildhallBot
import GuildhallGuildSettings

/// `/modules list|enable|disable`: the guild settings module's command. Listing is open to
/// anyone who can see the command; switching needs MANAGE_GUILD or ADMINISTRATOR, checked
/// here and again inside GuildSettingsService where the change happens.
public struct ModulesCommand: SlashCommand {
    let settings: GuildSettingsService

    public init(settings: GuildSettingsService) {
        self.settings = settings
    }

    public var definition: ApplicationCommand { Self.definition(modules: settings.modules) }

    /// The command with one choice per registered module.
    public static func definition(modules: ModuleCatalog) -> ApplicationCommand {
        let moduleOption = ApplicationCommandOption(
            type: .string, name: "module", description: "The module to switch", required: true,
            choices: modules.modules.map { ApplicationCommandOptionChoice(name: $0.title, value: .string($0.id.rawValue)) }
        )
        return .slash(
            "modules", description: "See and switch Guildhall's modules in this server",
            options: [
                ApplicationCommandOption(type: .subCommand, name: "list", description: "Show which modules are on"),
                ApplicationCommandOption(type: .subCommand, name: "enable", description: "Switch a module on", options: [moduleOption]),
                ApplicationCommandOption(type: .subCommand, name: "disable", description: "Switch a module off", options: [moduleOption]),
            ],
            defaultMemberPermissions: .manageGuild
        )
    }

    public func handle(_ context: InteractionContext) async throws -> InteractionResponse {
        let guild = try context.requireGuild()
        guard let data = context.interaction.commandData, let subcommand = data.subcommandPath.first else {
            throw GuildhallError(.invalidInput, "choose list, enable or disable")
        }
        switch subcommand {
        case "list":
            return .reply(Self.describe(try await settings.settings(for: guild), modules: settings.modules), ephemeral: true)
        case "enable", "disable":
            let enable = subcommand == "enable"
            guard let raw = data.option("module")?.value?.stringValue else {
                throw GuildhallError(.invalidInput, "name the module to switch")
            }
            guard let module = settings.modules.named(raw) else {
                let known = settings.modules.ids.map(\.rawValue).joined(separator: ", ")
                throw GuildhallError(.invalidInput, "'\(raw)' is not a module (known: \(known))")
            }
            let invoker = try context.requireInvoker()
            let change = try await settings.setModule(
                module.id, enabled: enable, guild: guild, actor: invoker.id,
                access: context.invokerAccess, requestID: "interaction-\(context.interaction.id)"
            )
            let state = enable ? "on" : "off"
            let sentence = change.changed
                ? "\(module.title) is now \(state)."
                : "\(module.title) was already \(state); nothing changed."
            return .reply(sentence, ephemeral: true)
        default:
            throw GuildhallError(.invalidInput, "unknown subcommand '\(subcommand)'")
        }
    }

    static func describe(_ settings: ModuleSettings, modules: ModuleCatalog) -> String {
        let lines = modules.modules.map { module in
            "\(settings.isEnabled(module.id) ? "on " : "off") — \(module.title)"
        }
        return "Modules in this server:\n" + lines.joined(separator: "\n")
    }
}
