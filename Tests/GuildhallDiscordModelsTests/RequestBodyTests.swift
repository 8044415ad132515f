import Foundation
import GuildhallCore
import GuildhallDiscordModels
import GuildhallFixtures
import Testing

@Suite("Request bodies")
struct RequestBodyTests {
    @Test("AllowedMentions defaults to parsing nothing: {\"parse\":[]}")
    func allowedMentionsDefault() throws {
        #expect(try JSONHelpers.string(AllowedMentions()) == #"{"parse":[]}"#)
        #expect(try JSONHelpers.string(AllowedMentions.parseNothing) == #"{"parse":[]}"#)
        let request = CreateMessageRequest(content: "@everyone look")
        #expect(try JSONHelpers.string(request) == #"{"allowed_mentions":{"parse":[]},"content":"@everyone look"}"#)
        #expect(try JSONHelpers.object(EditMessageRequest(content: "x"))["allowed_mentions"] as? [String: [String]] == ["parse": []])
        #expect(try JSONHelpers.object(InteractionMessage(content: "x"))["allowed_mentions"] as? [String: [String]] == ["parse": []])
    }

    @Test("explicit mentions, and a missing parse decodes as nothing")
    func allowedMentionsExplicit() throws {
        var factory = MockFactory(seed: 21)
        let user = factory.snowflake(), role = factory.snowflake()
        let only = AllowedMentions.only(users: [user], roles: [role], repliedUser: true)
        let object = try JSONHelpers.object(only)
        #expect(object["parse"] as? [String] == [])
        #expect(object["users"] as? [String] == [user.description])
        #expect(object["roles"] as? [String] == [role.description])
        #expect(object["replied_user"] as? Bool == true)
        #expect(try JSONHelpers.roundTrip(only) == only)
        #expect(AllowedMentions.only().users == nil)
        let decoded = try JSONHelpers.decode(AllowedMentions.self, #"{"users":["1"]}"#)
        #expect(decoded.parse.isEmpty)
        #expect(decoded.users == [Snowflake(1)])
        let everything = AllowedMentions(parse: [.users, .roles, .everyone])
        #expect(try JSONHelpers.string(everything) == #"{"parse":["users","roles","everyone"]}"#)
        #expect(AllowedMentions.Kind(stringLiteral: "users") == .users)
    }

    @Test("ModifyGuildMember: absent, explicit null and values")
    func modifyMember() throws {
        let now = DiscordTimestamp(millisecondsSinceEpoch: 3_786_912_000_000)
        #expect(try JSONHelpers.string(ModifyGuildMemberRequest()) == "{}")
        #expect(try JSONHelpers.string(ModifyGuildMemberRequest.removeTimeout) == #"{"communication_disabled_until":null}"#)
        let timeout = ModifyGuildMemberRequest.timeout(until: now.advanced(by: .seconds(600)))
        #expect(try JSONHelpers.string(timeout) == #"{"communication_disabled_until":"2090-01-01T00:10:00+00:00"}"#)
        let resetNick = ModifyGuildMemberRequest(nick: .null, roles: [Snowflake(7)], mute: false, deaf: true, channelID: .value(Snowflake(8)), flags: 0)
        #expect(try JSONHelpers.string(resetNick) == #"{"channel_id":"8","deaf":true,"flags":0,"mute":false,"nick":null,"roles":["7"]}"#)
        for request in [ModifyGuildMemberRequest(), .removeTimeout, timeout, resetNick, ModifyGuildMemberRequest(nick: .value("n"), channelID: .null)] {
            #expect(try JSONHelpers.roundTrip(request) == request)
        }
        let decoded = try JSONHelpers.decode(ModifyGuildMemberRequest.self, #"{"nick":null}"#)
        #expect(decoded.nick == .null)
        #expect(decoded.communicationDisabledUntil.isAbsent)
        #expect(NullableField<String>("a") == .value("a"))
        #expect(NullableField<String>(nil) == .null)
        #expect(NullableField<String>.value("a").wrapped == "a")
        #expect(NullableField<String>.null.wrapped == nil)
        #expect(!NullableField<String>.null.isAbsent)
    }

    @Test("ModifyGuildMember validation: timeouts up to 28 days, nicknames up to 32 characters")
    func modifyMemberValidation() throws {
        let now = DiscordTimestamp(millisecondsSinceEpoch: 3_786_912_000_000)
        try ModifyGuildMemberRequest.timeout(until: now.advanced(by: RoleHierarchy.maximumTimeout)).validate(now: now)
        try ModifyGuildMemberRequest.removeTimeout.validate(now: now)
        let tooLong = ModifyGuildMemberRequest(nick: .value(String(repeating: "n", count: 33)), communicationDisabledUntil: .value(now.advanced(by: .seconds(29 * 86_400))))
        let error = try #require(throws: RequestValidationError.self) { try tooLong.validate(now: now) }
        #expect(error.issues.map(\.path) == [["nick"], ["communication_disabled_until"]])
        #expect(error.issues.last?.code == "INVALID_COMMUNICATION_DISABLED_TIMESTAMP")
        let body = error.errorBody
        #expect(body.code == .invalidFormBody)
        #expect(body.errors?.children["nick"]?.errors.first?.code == "BASE_TYPE_MAX_LENGTH")
        let past = ModifyGuildMemberRequest.timeout(until: now.advanced(by: .seconds(-1)))
        #expect(past.validationIssues(now: now).count == 1)
    }

    @Test("ban bodies and their ranges")
    func ban() throws {
        #expect(try JSONHelpers.string(CreateGuildBanRequest(deleteMessageSeconds: 3600)) == #"{"delete_message_seconds":3600}"#)
        #expect(try JSONHelpers.string(CreateGuildBanRequest()) == "{}")
        try CreateGuildBanRequest(deleteMessageSeconds: CreateGuildBanRequest.maximumDeleteMessageSeconds).validate()
        try CreateGuildBanRequest(deleteMessageDays: 7).validate()
        let bad = CreateGuildBanRequest(deleteMessageSeconds: 604_801, deleteMessageDays: -1)
        #expect(bad.validationIssues().map(\.path) == [["delete_message_seconds"], ["delete_message_days"]])
        #expect(bad.validationIssues().allSatisfy { $0.code == RequestValidationIssue.outOfRange })
    }

    @Test("message create: limits checked, every problem reported at its path")
    func createMessageValidation() throws {
        try CreateMessageRequest(content: "hi").validate()
        try CreateMessageRequest(embeds: [Embed(title: "t")]).validate()
        try CreateMessageRequest(components: [.actionRow(ActionRow(.button(.interactive(customID: "a", label: "A"))))]).validate()
        try CreateMessageRequest(stickerIDs: [Snowflake(1)]).validate()

        let empty = try #require(throws: RequestValidationError.self) { try CreateMessageRequest(content: "").validate() }
        #expect(empty.errorBody.code == .cannotSendEmptyMessage)
        #expect(empty.errorBody.message == "Cannot send an empty message")

        let longField = Embed.Field(name: String(repeating: "n", count: 257), value: String(repeating: "v", count: 1025))
        let bigEmbed = Embed(
            title: String(repeating: "t", count: 257), description: String(repeating: "d", count: 4097),
            footer: .init(text: String(repeating: "f", count: 2049)), author: .init(name: String(repeating: "a", count: 257)),
            fields: Array(repeating: longField, count: 26)
        )
        let request = CreateMessageRequest(
            content: String(repeating: "x", count: 2001), nonce: .string(String(repeating: "n", count: 26)),
            embeds: Array(repeating: Embed(title: "ok"), count: 10) + [bigEmbed],
            allowedMentions: AllowedMentions(parse: [.users, .roles], users: [Snowflake(1)], roles: [Snowflake(2)]),
            stickerIDs: [Snowflake(1), Snowflake(2), Snowflake(3), Snowflake(4)]
        )
        let issues = request.validationIssues()
        let paths = Set(issues.map { $0.path.joined(separator: ".") })
        for expected in [
            "content", "nonce", "embeds", "embeds.10.title", "embeds.10.description", "embeds.10.footer.text",
            "embeds.10.author.name", "embeds.10.fields", "embeds.10.fields.0.name", "embeds.10.fields.0.value",
            "allowed_mentions", "sticker_ids",
        ] {
            #expect(paths.contains(expected), "missing issue at \(expected)")
        }
        #expect(issues.contains { $0.code == "MAX_EMBED_SIZE_EXCEEDED" })
        #expect(issues.filter { $0.code == "MESSAGE_ALLOWED_MENTIONS_PARSE_EXCLUSIVE" }.count == 2)
        let error = RequestValidationError(issues: issues)
        #expect(error.errorBody.code == .invalidFormBody)
        #expect(error.errorBody.errors?.children["embeds"]?.children["10"]?.children["title"]?.errors.first?.code == "BASE_TYPE_MAX_LENGTH")
        #expect(error.description.hasPrefix("invalid request body: content: Must be 2000 or fewer in length."))
        #expect(CreateMessageRequest(content: "x", allowedMentions: AllowedMentions(parse: [.users, .roles])).validationIssues().isEmpty)
        let tooMany = AllowedMentions(users: (0..<101).map { Snowflake(UInt64($0 + 1)) })
        #expect(CreateMessageRequest(content: "x", allowedMentions: tooMany).validationIssues().map(\.path) == [["allowed_mentions", "users"]])
        try CreateMessageRequest(content: "x", nonce: .integer(5), allowedMentions: nil).validate()
    }

    @Test("components: rows, buttons and selects follow Discord's rules")
    func componentValidation() throws {
        func issues(_ components: [MessageComponent], flags: MessageFlags? = nil) -> [String] {
            CreateMessageRequest(content: "x", components: components, flags: flags).validationIssues().map { $0.path.joined(separator: ".") }
        }
        let button = MessageComponent.button(.interactive(customID: "b", label: "B"))
        #expect(issues([.actionRow(ActionRow(components: Array(repeating: button, count: 5)))]).isEmpty)
        #expect(issues([.actionRow(ActionRow(components: Array(repeating: button, count: 6)))]) == ["components.0.components"])
        #expect(issues(Array(repeating: .actionRow(ActionRow(button)), count: 6)) == ["components"])
        #expect(issues([button]) == ["components.0.type"])
        #expect(issues([.textDisplay(TextDisplay(content: "v2"))], flags: .isComponentsV2).isEmpty)
        #expect(issues([.actionRow(ActionRow(components: []))]) == ["components.0.components"])
        let select = MessageComponent.selectMenu(SelectMenu(customID: "s", options: [SelectOption(label: "a", value: "a")]))
        #expect(issues([.actionRow(ActionRow(components: [select, button]))]) == ["components.0.components"])
        #expect(issues([.actionRow(ActionRow(select))]).isEmpty)
        let badSelect = MessageComponent.selectMenu(SelectMenu(customID: "", options: [], minValues: 26, maxValues: 0))
        #expect(issues([.actionRow(ActionRow(badSelect))]) == [
            "components.0.components.0.custom_id", "components.0.components.0.options",
            "components.0.components.0.min_values", "components.0.components.0.max_values",
        ])
        let userSelect = MessageComponent.selectMenu(SelectMenu(type: .userSelect, customID: "who"))
        #expect(issues([.actionRow(ActionRow(userSelect))]).isEmpty)
        let noOptions = MessageComponent.selectMenu(SelectMenu(customID: "s"))
        #expect(issues([.actionRow(ActionRow(noOptions))]) == ["components.0.components.0.options"])
        let premiumWithURL = MessageComponent.button(Button(style: .premium, skuID: Snowflake(1), url: "u"))
        let premiumWithEmoji = MessageComponent.button(Button(style: .premium, emoji: .unicode("💎"), skuID: Snowflake(1)))
        #expect(issues([.actionRow(ActionRow(premiumWithURL, premiumWithEmoji))]) == ["components.0.components.0", "components.0.components.1"])
        let badButtons: [MessageComponent] = [
            .button(Button(style: .link, customID: "x")),
            .button(Button(style: .premium, label: "Buy")),
            .button(Button(style: .primary, label: String(repeating: "l", count: 81), customID: String(repeating: "c", count: 101), url: "u")),
            .button(Button(style: .secondary, label: "no id")),
        ]
        #expect(issues([.actionRow(ActionRow(components: badButtons))]) == [
            "components.0.components.0.url", "components.0.components.0.custom_id",
            "components.0.components.1.sku_id", "components.0.components.1",
            "components.0.components.2.label", "components.0.components.2.custom_id", "components.0.components.2.url",
            "components.0.components.3.custom_id",
        ])
        let unknown = MessageComponent.unknown(type: ComponentType(rawValue: 99), payload: .object(["type": .integer(99)]))
        #expect(issues([unknown], flags: .isComponentsV2).isEmpty)
    }

    @Test("edit bodies and interaction messages share the message checks")
    func editValidation() throws {
        try EditMessageRequest(content: "").validate()
        #expect(EditMessageRequest(content: String(repeating: "x", count: 2001)).validationIssues().map(\.path) == [["content"]])
        #expect(InteractionMessage(embeds: Array(repeating: Embed(), count: 11)).validationIssues().map(\.path) == [["embeds"]])
        #expect(try JSONHelpers.string(EditMessageRequest(embeds: [], allowedMentions: nil, components: [])) == #"{"components":[],"embeds":[]}"#)
    }
}
