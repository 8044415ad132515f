import Foundation
import GuildhallCore
import GuildhallDiscordModels
import GuildhallFixtures
import Testing

/// The sandbox builds these values with the public initializers and encodes them; what it
/// builds must decode into the same value on the bot's side.
@Suite("Building payloads as the sandbox does")
struct ConstructionTests {
    @Test("an INTERACTION_CREATE built from parts round-trips")
    func interaction() throws {
        var factory = MockFactory(seed: 31)
        let guildID = factory.snowflake(), channelID = factory.snowflake(), userID = factory.snowflake()
        let data = ApplicationCommandInteractionData(
            id: factory.snowflake(), name: "giveaway", type: .chatInput,
            resolved: ResolvedData(users: [userID: User(id: userID, username: "winner")]),
            options: [ApplicationCommandInteractionOption(name: "start", type: .subCommand, options: [
                ApplicationCommandInteractionOption(name: "prize", type: .string, value: .string("Nitro"), focused: true),
            ])],
            guildID: guildID, targetID: nil
        )
        let interaction = Interaction(
            id: factory.snowflake(), applicationID: factory.snowflake(), type: .applicationCommandAutocomplete, data: .applicationCommand(data),
            guildID: guildID, channel: Channel(id: channelID, type: .guildText, guildID: guildID), channelID: channelID,
            member: GuildMember(user: User(id: userID, username: "host"), roles: [], permissions: [.viewChannel]),
            user: nil, token: "sandbox-token", message: nil, appPermissions: [.sendMessages], locale: "en-US", guildLocale: "en-GB",
            entitlements: [], authorizingIntegrationOwners: ["0": guildID], context: .guild, attachmentSizeLimit: 1024
        )
        let decoded = try JSONHelpers.roundTrip(interaction)
        #expect(decoded == interaction)
        #expect(decoded.commandData?.subcommandPath == ["start"])
        #expect(decoded.commandData?.focusedOption?.value == .string("Nitro"))
        let object = try JSONHelpers.object(interaction)
        #expect(object["version"] as? Int == 1)
        #expect(object["guild_locale"] as? String == "en-GB")

        let click = Interaction(
            id: factory.snowflake(), type: .messageComponent,
            data: .messageComponent(MessageComponentInteractionData(customID: "roles", componentType: .roleSelect, values: ["1"], resolved: ResolvedData())),
            token: "t"
        )
        #expect(try JSONHelpers.roundTrip(click) == click)
        let submit = Interaction(
            id: factory.snowflake(), type: .modalSubmit,
            data: .modalSubmit(ModalSubmitInteractionData(customID: "m", components: [.textInput(TextInput(customID: "a", value: "b"))])),
            token: "t"
        )
        #expect(try JSONHelpers.roundTrip(submit) == submit)
        #expect(submit.modalData?.textInputValues == ["a": "b"])
    }

    @Test("commands without options have an empty path; groups without options stop there")
    func emptyOptions() {
        var factory = MockFactory(seed: 32)
        let bare = ApplicationCommandInteractionData(id: factory.snowflake(), name: "ping")
        #expect(bare.subcommandPath.isEmpty)
        #expect(bare.leafOptions.isEmpty)
        let group = ApplicationCommandInteractionData(
            id: factory.snowflake(), name: "config",
            options: [ApplicationCommandInteractionOption(name: "show", type: .subCommandGroup)]
        )
        #expect(group.subcommandPath == ["show"])
        #expect(group.leafOptions.isEmpty)
    }

    @Test("embeds with every part")
    func embed() throws {
        let embed = Embed(
            title: "t", type: "rich", description: "d", url: "https://example.invalid", color: 1,
            video: .init(url: "v", proxyURL: "pv", height: 1, width: 2), provider: .init(name: "p", url: "pu"),
            author: .init(name: "a", iconURL: "ai", proxyIconURL: "pai")
        )
        #expect(try JSONHelpers.roundTrip(embed) == embed)
        let object = try JSONHelpers.object(embed)
        #expect((object["video"] as? [String: Any])?["proxy_url"] as? String == "pv")
        #expect((object["author"] as? [String: Any])?["icon_url"] as? String == "ai")
        #expect(Embed.Provider().name == nil)
    }

    @Test("string-backed codes build from raw values")
    func rawValues() {
        #expect(AllowedMentions.Kind(rawValue: "roles") == .roles)
        #expect(ModerationRefusal.Code(rawValue: "role_is_managed") == .roleIsManaged)
    }
}
