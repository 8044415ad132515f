@testable import GuildhallBot
@testable import GuildhallGuildSettingsFeature
import GuildhallDatabaseTestSupport
import GuildhallGuildSettings
import GuildhallCore
import GuildhallDiscordModels
import GuildhallFixtures
import Logging
import Testing

struct EchoComponent: ComponentHandler {
    var customIDPrefix: String { "echo" }
    func handle(_ context: InteractionContext, argument: Substring) async throws -> InteractionResponse {
        .reply("echo \(argument)", ephemeral: true)
    }
}

struct FailingCommand: SlashCommand {
    let error: any Error & Sendable
    var definition: ApplicationCommand { .slash("fail", description: "Always fails") }
    func handle(_ context: InteractionContext) async throws -> InteractionResponse { throw error }
}

/// The router is pure apart from the handlers it calls: these tests build interactions
/// from fixtures and check which answer each one gets.
@Suite("interaction router")
struct InteractionRouterTests {
    static let logger = Logger(label: "test") { _ in SwiftLogNoOpLogHandler() }

    static func interaction(type: InteractionType, data: InteractionData? = nil, guild: Bool = true) -> Interaction {
        var factory = MockFactory.random()
        return Interaction(
            id: factory.snowflake(), applicationID: factory.snowflake(), type: type, data: data,
            guildID: guild ? factory.snowflake() : nil, channelID: factory.snowflake(),
            member: guild ? GuildMember(user: User(id: factory.snowflake(), username: "someone"), roles: [], permissions: []) : nil,
            user: guild ? nil : User(id: factory.snowflake(), username: "someone"), token: "token"
        )
    }

    static func command(_ name: String) -> InteractionData {
        .applicationCommand(ApplicationCommandInteractionData(id: Snowflake(1), name: name, type: .chatInput))
    }

    @Test("PING is answered with PONG")
    func ping() async {
        let response = await InteractionRouter().route(Self.interaction(type: .ping), logger: Self.logger)
        #expect(response == .pong)
    }

    @Test("an unknown command, an unknown button and an unsupported type get ephemeral explanations")
    func unknowns() async {
        let router = InteractionRouter(components: [EchoComponent()])
        let unknownCommand = await router.route(Self.interaction(type: .applicationCommand, data: Self.command("nope")), logger: Self.logger)
        #expect(unknownCommand.message?.content?.hasPrefix("Not found") == true)
        #expect(unknownCommand.message?.isEphemeral == true)
        let unknownButton = await router.route(Self.interaction(
            type: .messageComponent, data: .messageComponent(MessageComponentInteractionData(customID: "other:1", componentType: .button))
        ), logger: Self.logger)
        #expect(unknownButton.message?.content?.hasPrefix("Not found") == true)
        let modal = await router.route(Self.interaction(type: .modalSubmit), logger: Self.logger)
        #expect(modal.message?.content?.contains("does not answer") == true)
    }

    @Test("a button's custom_id picks its handler by prefix and passes the rest along")
    func components() async {
        let router = InteractionRouter(components: [EchoComponent()])
        let response = await router.route(Self.interaction(
            type: .messageComponent, data: .messageComponent(MessageComponentInteractionData(customID: "echo:42:x", componentType: .button))
        ), logger: Self.logger)
        #expect(response.message?.content == "echo 42:x")
    }

    @Test("handler failures become answers: refusals explain, unexpected errors change nothing", arguments: [
        (GuildhallError.Code.forbidden, "You may not do that"),
        (.invalidInput, "That did not work"),
        (.unavailable, "Guildhall cannot do that right now"),
        (.conflict, "That did not work"),
    ])
    func failures(code: GuildhallError.Code, prefix: String) async {
        let router = InteractionRouter(commands: [FailingCommand(error: GuildhallError(code, "because"))])
        let response = await router.route(Self.interaction(type: .applicationCommand, data: Self.command("fail")), logger: Self.logger)
        #expect(response.message?.content?.hasPrefix(prefix) == true)
        #expect(response.message?.isEphemeral == true)
    }

    @Test("an unexpected error is not shown to the user")
    func unexpected() async {
        struct Boom: Error {}
        let router = InteractionRouter(commands: [FailingCommand(error: Boom())])
        let response = await router.route(Self.interaction(type: .applicationCommand, data: Self.command("fail")), logger: Self.logger)
        #expect(response.message?.content?.hasPrefix("Something went wrong") == true)
    }

    @Test("/modules outside a server, without permission, without a subcommand or with an unknown module is refused")
    func modulesInput() async throws {
        let database = try await TestDatabase.open(.sqlite)
        let command = ModulesCommand(settings: GuildSettingsService(database: database, backends: .inProcess(), logger: Self.logger, modules: TestModules.catalog))
        let router = InteractionRouter(commands: [command])
        func answer(_ options: [ApplicationCommandInteractionOption]?, guild: Bool = true, permissions: Permissions = .manageGuild) async -> String {
            var interaction = Self.interaction(type: .applicationCommand, data: .applicationCommand(
                ApplicationCommandInteractionData(id: Snowflake(1), name: "modules", type: .chatInput, options: options)
            ), guild: guild)
            interaction.member?.permissions = permissions
            return await router.route(interaction, logger: Self.logger).message?.content ?? ""
        }
        let enableBogus = ApplicationCommandInteractionOption(name: "enable", type: .subCommand, options: [
            ApplicationCommandInteractionOption(name: "module", type: .string, value: .string("bogus")),
        ])
        #expect(await answer([enableBogus]).contains("'bogus' is not a module"))
        // A guild may let anyone use the command (integration permissions): the bot checks itself.
        let enableLeveling = ApplicationCommandInteractionOption(name: "enable", type: .subCommand, options: [
            ApplicationCommandInteractionOption(name: "module", type: .string, value: .string("leveling")),
        ])
        #expect(await answer([enableLeveling], permissions: [.sendMessages, .useApplicationCommands]).hasPrefix("You may not do that"))
        #expect(await answer([enableBogus], guild: false).contains("only works inside a server"))
        #expect(await answer(nil).contains("choose list, enable or disable"))
        #expect(await answer([ApplicationCommandInteractionOption(name: "enable", type: .subCommand, options: [])]).contains("name the module"))
        #expect(await answer([ApplicationCommandInteractionOption(name: "rename", type: .subCommand)]).contains("unknown subcommand"))
        await database.shutdown()

        let definition = ModulesCommand.definition(modules: TestModules.catalog)
        #expect(definition.name == "modules" && definition.defaultMemberPermissions == .manageGuild)
        let choices = definition.options?.first { $0.name == "enable" }?.options?.first?.choices?.compactMap { $0.value.stringValue }
        #expect(choices == TestModules.catalog.ids.map(\.rawValue), "/modules offers exactly the registered modules")
        func access(_ permissions: Permissions) -> GuildAccess {
            var interaction = Self.interaction(type: .applicationCommand)
            interaction.member?.permissions = permissions
            return InteractionContext(interaction: interaction, logger: Self.logger).invokerAccess
        }
        #expect(access([.administrator]) == .manager)
        #expect(access([.manageGuild]) == .manager)
        #expect(access([.sendMessages]) == .none)
        #expect(ModulesCommand.describe(.init(enabled: ["giveaways"]), modules: TestModules.catalog).contains("on  — Giveaways"))
    }
}
