import Foundation
import GuildhallCore
import GuildhallDiscordModels
import GuildhallFixtures
import Testing

@Suite("Interactions and commands")
struct InteractionTests {
    static let subcommandJSON = """
    {"id":"10","application_id":"11","type":2,"token":"tok","version":1,"guild_id":"12","channel_id":"13",
     "member":{"user":{"id":"14","username":"mod"},"roles":["15"],"permissions":"1099511627776"},
     "app_permissions":"8","locale":"de","entitlements":[{"id":"16","sku_id":"17","application_id":"11","type":8,"deleted":false}],
     "authorizing_integration_owners":{"0":"12"},"context":0,"attachment_size_limit":8388608,
     "data":{"id":"18","name":"mod","type":1,"guild_id":"12","options":[
       {"name":"user","type":2,"options":[{"name":"timeout","type":1,"options":[
         {"name":"target","type":6,"value":"19"},{"name":"minutes","type":4,"value":30},
         {"name":"factor","type":10,"value":1.5},{"name":"silent","type":5,"value":true}]}]}],
      "resolved":{"users":{"19":{"id":"19","username":"target"}},"members":{"19":{"roles":[],"nick":"t"}},
                  "roles":{"15":{"id":"15","name":"Mod","color":0,"hoist":false,"position":2,"permissions":"2","managed":false,"mentionable":false}},
                  "channels":{"13":{"id":"13","type":0,"name":"general","permissions":"3072"}},
                  "attachments":{"20":{"id":"20","filename":"f.txt","size":1,"url":"u","proxy_url":"p"}}}}}
    """

    @Test("a slash command with a subcommand group: path, leaf options, typed values, resolved objects")
    func subcommands() throws {
        let interaction = try JSONHelpers.decode(Interaction.self, Self.subcommandJSON)
        #expect(interaction.invoker?.username == "mod")
        #expect(interaction.member?.permissions == .moderateMembers)
        #expect(interaction.appPermissions == .administrator)
        #expect(interaction.entitlements?.first?.type == .applicationSubscription)
        #expect(interaction.authorizingIntegrationOwners?["0"] == Snowflake(12))
        #expect(interaction.context == .guild)
        #expect(interaction.attachmentSizeLimit == 8_388_608)
        let data = try #require(interaction.commandData)
        #expect(data.subcommandPath == ["user", "timeout"])
        #expect(data.leafOptions.map(\.name) == ["target", "minutes", "factor", "silent"])
        #expect(data.option("target")?.value?.snowflakeValue == Snowflake(19))
        #expect(data.option("minutes")?.value?.integerValue == 30)
        #expect(data.option("minutes")?.value?.numberValue == 30)
        #expect(data.option("factor")?.value?.numberValue == 1.5)
        #expect(data.option("factor")?.value?.integerValue == nil)
        #expect(data.option("silent")?.value?.booleanValue == true)
        #expect(data.option("silent")?.value?.stringValue == nil)
        #expect(data.option("missing") == nil)
        #expect(data.focusedOption == nil)
        let resolved = try #require(data.resolved)
        #expect(resolved.member(Snowflake(19))?.user?.username == "target")
        #expect(resolved.member(Snowflake(99)) == nil)
        #expect(resolved.roles[Snowflake(15)]?.permissions == .kickMembers)
        #expect(resolved.channels[Snowflake(13)]?.permissions == [.viewChannel, .sendMessages])
        #expect(resolved.attachments[Snowflake(20)]?.filename == "f.txt")
        #expect(try JSONHelpers.roundTrip(interaction) == interaction)
        let object = try JSONHelpers.object(interaction)
        let users = try #require((object["data"] as? [String: Any])?["resolved"] as? [String: Any])["users"] as? [String: Any]
        #expect(users?["19"] != nil)
    }

    @Test("option values: whole doubles are integers, strings are not snowflakes unless numeric")
    func optionValues() throws {
        #expect(CommandOptionValue.number(4.0).integerValue == 4)
        #expect(CommandOptionValue.number(1e300).integerValue == nil)
        #expect(CommandOptionValue.string("x").numberValue == nil)
        #expect(CommandOptionValue.string("x").snowflakeValue == nil)
        #expect(CommandOptionValue.integer(3).booleanValue == nil)
        let values: [CommandOptionValue] = [.string("s"), .integer(-2), .number(2.5), .boolean(false)]
        #expect(try JSONHelpers.string(values) == #"["s",-2,2.5,false]"#)
        #expect(try JSONHelpers.roundTrip(values) == values)
        #expect(throws: DecodingError.self) { try JSONHelpers.decode([CommandOptionValue].self, "[null]") }
    }

    @Test("resolved maps with a key that is not a snowflake are refused")
    func badResolvedKey() {
        #expect(throws: DecodingError.self) {
            try JSONHelpers.decode(ResolvedData.self, #"{"users":{"abc":{"id":"1","username":"u"}}}"#)
        }
        #expect((try? JSONHelpers.string(ResolvedData())) == "{}")
    }

    @Test("component clicks and modal submissions")
    func componentsAndModals() throws {
        let click = try JSONHelpers.decode(Interaction.self, """
        {"id":"1","type":3,"token":"t","user":{"id":"2","username":"dm-user"},
         "message":{"id":"3","channel_id":"4","author":{"id":"5","username":"bot","bot":true},"content":"giveaway",
           "timestamp":"2090-01-01T00:00:00+00:00","tts":false,"mention_everyone":false,"mentions":[],"mention_roles":[],
           "attachments":[],"embeds":[],"pinned":false,"type":0},
         "data":{"custom_id":"giveaway:enter","component_type":2}}
        """)
        #expect(click.invoker?.username == "dm-user")
        #expect(click.componentData?.customID == "giveaway:enter")
        #expect(click.componentData?.componentType == .button)
        #expect(click.message?.isFromBot == true)
        #expect(click.commandData == nil)
        #expect(try JSONHelpers.roundTrip(click) == click)

        let submit = try JSONHelpers.decode(Interaction.self, """
        {"id":"1","type":5,"token":"t","data":{"custom_id":"appeal","components":[
          {"type":1,"components":[{"type":4,"custom_id":"reason","value":"sorry"}]},
          {"type":18,"label":"Days","component":{"type":3,"custom_id":"days","values":["3"]}},
          {"type":18,"label":"Empty","component":{"type":4,"custom_id":"blank"}}]}}
        """)
        let modal = try #require(submit.modalData)
        #expect(modal.customID == "appeal")
        #expect(modal.textInputValues == ["reason": "sorry"])
        #expect(modal.selectedValues == ["days": ["3"]])
        #expect(try JSONHelpers.roundTrip(submit) == submit)
    }

    @Test("PING, null data and unknown interaction types")
    func otherTypes() throws {
        let ping = try JSONHelpers.decode(Interaction.self, #"{"id":"1","type":1,"token":"t","version":1}"#)
        #expect(ping.type == .ping)
        #expect(ping.data == nil)
        let nullData = try JSONHelpers.decode(Interaction.self, #"{"id":"1","type":2,"token":"t","data":null}"#)
        #expect(nullData.data == nil)
        let future = try JSONHelpers.decode(Interaction.self, #"{"id":"1","type":6,"token":"t","data":{"sku":"x"}}"#)
        #expect(future.data == .unknown(.object(["sku": .string("x")])))
        #expect(try JSONHelpers.roundTrip(future) == future)
        #expect(throws: DecodingError.self) { try JSONHelpers.decode(Interaction.self, #"{"id":"1","type":2}"#) }
        #expect(throws: DecodingError.self) { try JSONHelpers.decode(Interaction.self, #"{"id":"1","type":2,"token":"t","data":{"name":"x"}}"#) }
    }

    @Test("responses encode as Discord expects", arguments: [
        (InteractionResponse.pong, #"{"type":1}"#),
        (.reply("hi"), #"{"data":{"allowed_mentions":{"parse":[]},"content":"hi"},"type":4}"#),
        (.reply("secret", ephemeral: true), #"{"data":{"allowed_mentions":{"parse":[]},"content":"secret","flags":64},"type":4}"#),
        (.deferredMessage(), #"{"type":5}"#),
        (.deferredMessage(ephemeral: true), #"{"data":{"flags":64},"type":5}"#),
        (.deferredUpdate, #"{"type":6}"#),
        (.updateMessage(InteractionMessage(content: "done", components: [])), #"{"data":{"allowed_mentions":{"parse":[]},"components":[],"content":"done"},"type":7}"#),
        (.autocomplete([ApplicationCommandOptionChoice(name: "One", value: .integer(1))]), #"{"data":{"choices":[{"name":"One","value":1}]},"type":8}"#),
        (.modal(customID: "m", title: "T", components: [.label(Label(label: "L", component: .textInput(TextInput(customID: "i"))))]),
         #"{"data":{"components":[{"component":{"custom_id":"i","style":1,"type":4},"label":"L","type":18}],"custom_id":"m","title":"T"},"type":9}"#),
    ])
    func responses(response: InteractionResponse, json: String) throws {
        #expect(try JSONHelpers.string(response) == json)
        #expect(try JSONHelpers.decode(InteractionResponse.self, json) == response)
        #expect(response.validationIssues().isEmpty)
    }

    @Test("response helpers and validation")
    func responseValidation() throws {
        #expect(InteractionResponse.reply("x", ephemeral: true).message?.isEphemeral == true)
        #expect(InteractionResponse.reply("x").message?.isEphemeral == false)
        #expect(InteractionResponse.pong.message == nil)
        let unknown = try JSONHelpers.decode(InteractionResponse.self, #"{"type":12,"data":{"x":1}}"#)
        #expect(unknown.data == .unknown(.object(["x": .integer(1)])))
        #expect(try JSONHelpers.roundTrip(unknown) == unknown)
        #expect(unknown.validationIssues().isEmpty)
        #expect(try JSONHelpers.decode(InteractionResponse.self, #"{"type":4,"data":null}"#).data == nil)

        let empty = InteractionResponse.message(InteractionMessage())
        #expect(empty.validationIssues().map(\.code) == [RequestValidationIssue.emptyMessage])
        #expect(RequestValidationError(issues: empty.validationIssues()).errorBody.code == .cannotSendEmptyMessage)
        let long = InteractionResponse.reply(String(repeating: "x", count: 2001))
        #expect(long.validationIssues().map(\.path) == [["data", "content"]])
        let choices = (0..<26).map { ApplicationCommandOptionChoice(name: "c\($0)", value: .integer(Int64($0))) }
        #expect(InteractionResponse.autocomplete(choices).validationIssues().map(\.path) == [["data", "choices"]])
        let badModal = InteractionResponse.modal(customID: "", title: String(repeating: "t", count: 46), components: [])
        #expect(badModal.validationIssues().map(\.path) == [["data", "custom_id"], ["data", "title"], ["data", "components"]])
        let badInput = InteractionResponse.modal(customID: "m", title: "t", components: [.label(Label(label: "l", component: .textInput(TextInput(customID: ""))))])
        #expect(badInput.validationIssues().map(\.path) == [["data", "components", "0", "component", "custom_id"]])
        let error = try #require(throws: RequestValidationError.self) { try badModal.validate() }
        #expect(error.errorBody.errors?.children["data"]?.children["title"] != nil)
    }

    @Test("command definitions encode for bulk overwrite and validate")
    func commandDefinitions() throws {
        let command = ApplicationCommand.slash(
            "timeout", description: "Time a member out",
            options: [
                ApplicationCommandOption(type: .user, name: "member", description: "Who", required: true),
                ApplicationCommandOption(type: .integer, name: "minutes", description: "How long", required: true,
                                         minValue: .integer(1), maxValue: .integer(40_320)),
                ApplicationCommandOption(type: .string, name: "reason", description: "Why", maxLength: 512, autocomplete: true),
                ApplicationCommandOption(type: .channel, name: "log", description: "Where", channelTypes: [.guildText]),
            ],
            defaultMemberPermissions: .moderateMembers
        )
        let object = try JSONHelpers.object(command)
        #expect(object["default_member_permissions"] as? String == "1099511627776")
        #expect(object["contexts"] as? [Int] == [0])
        #expect(object["type"] as? Int == 1)
        #expect(((object["options"] as? [[String: Any]])?[1]["max_value"] as? Int) == 40_320)
        #expect(try JSONHelpers.roundTrip(command) == command)
        #expect(command.validationIssues().isEmpty)
        let fromInteger = try JSONHelpers.decode(ApplicationCommand.self, #"{"name":"x","default_member_permissions":32,"dm_permission":false,"nsfw":false,"id":"1","application_id":"2","guild_id":"3","version":"4"}"#)
        #expect(fromInteger.defaultMemberPermissions == .manageGuild)
        #expect(fromInteger.version == Snowflake(4))
        #expect(try JSONHelpers.decode(ApplicationCommand.self, #"{"name":"x","default_member_permissions":null}"#).defaultMemberPermissions == nil)
    }

    @Test("command validation finds Discord's refusals", arguments: [
        (ApplicationCommand.slash("Bad Name", description: "d"), [["name"]]),
        (ApplicationCommand.slash("", description: "d"), [["name"], ["name"]]),
        (ApplicationCommand.slash("ok", description: ""), [["description"]]),
        (ApplicationCommand(name: "ok"), [["description"]]),
        (ApplicationCommand(type: .user, name: "View Stats", description: "no"), [["description"]]),
        (ApplicationCommand(type: .message, name: "Report", options: []), [["options"]]),
        (ApplicationCommand.slash("ok", description: "d", options: [
            ApplicationCommandOption(type: .string, name: "a", description: "d"),
            ApplicationCommandOption(type: .string, name: "b", description: "d", required: true),
        ]), [["options", "1", "required"]]),
        (ApplicationCommand.slash("ok", description: "d", options: [
            ApplicationCommandOption(type: .subCommand, name: "Sub", description: "", options: [
                ApplicationCommandOption(type: .string, name: "c", description: "d",
                                         choices: (0..<26).map { ApplicationCommandOptionChoice(name: "\($0)", value: .string("\($0)")) }),
            ]),
        ]), [["options", "0", "name"], ["options", "0", "description"], ["options", "0", "options", "0", "choices"]]),
        (ApplicationCommand.slash("ok", description: "d", options: (0..<26).map {
            ApplicationCommandOption(type: .boolean, name: "o\($0)", description: "d")
        }), [["options"]]),
    ])
    func commandValidation(command: ApplicationCommand, paths: [[String]]) {
        #expect(command.validationIssues().map(\.path) == paths)
    }
}
