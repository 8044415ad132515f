import Foundation
import GuildhallCore
import GuildhallDiscordModels
import Testing

/// Every example payload from Discord's docs that maps to these models decodes, full and
/// partial ones alike, and keeps what the source said.
@Suite("Discord's example payloads")
struct ExampleDecodingTests {
    /// Which model each fixture decodes into; a fixture missing here fails `everyFixtureIsMapped`.
    static let mapping: [String: any Decodable.Type] = [
        "object.user.json": User.self, "object.user.migrated.json": User.self,
        "object.guild.json": Guild.self, "rest.get_guild.json": Guild.self,
        "object.guild.unavailable.json": UnavailableGuild.self, "rest.users_me_guilds.item.json": CurrentUserGuild.self,
        "object.guild_member.json": GuildMember.self, "object.role.json": Role.self,
        "object.channel.dm.json": Channel.self, "object.channel.group_dm.json": Channel.self,
        "object.channel.guild_announcement.json": Channel.self, "object.channel.guild_category.json": Channel.self,
        "object.channel.guild_text.json": Channel.self, "object.channel.thread.json": Channel.self,
        "object.message.json": Message.self, "object.message.crossposted.json": Message.self,
        "request.create_message.json": CreateMessageRequest.self,
        "object.emoji.json": Emoji.self, "object.emoji.standard.json": Emoji.self,
        "object.emoji.custom_animated.json": Emoji.self, "object.emoji.custom_name_null.json": Emoji.self,
        "object.interaction.slash_command.json": Interaction.self, "object.interaction.user_command.json": Interaction.self,
        "object.interaction.message_command.json": Interaction.self,
        "object.interaction.autocomplete.json": AutocompleteExample.self,
        "object.application_command.default_member_permissions.json": ApplicationCommand.self,
        "object.application_command.entry_point.json": ApplicationCommand.self,
        "object.application_command.entry_point.2.json": ApplicationCommand.self,
        "object.application_command.localized.json": ApplicationCommand.self,
        "object.application_command.message.json": ApplicationCommand.self,
        "object.application_command.slash.json": ApplicationCommand.self,
        "object.application_command.subcommands.json": ApplicationCommand.self,
        "object.application_command.user.json": ApplicationCommand.self,
        "response.interaction.modal.json": InteractionResponse.self,
        "response.interaction.modal.channel_select.json": InteractionResponse.self,
        "response.interaction.modal.checkbox.json": InteractionResponse.self,
        "response.interaction.modal.checkbox_group.json": InteractionResponse.self,
        "response.interaction.modal.file_upload.json": InteractionResponse.self,
        "response.interaction.modal.mentionable_select.json": InteractionResponse.self,
        "response.interaction.modal.radio_group.json": InteractionResponse.self,
        "response.interaction.modal.role_select.json": InteractionResponse.self,
        "response.interaction.modal.string_select.json": InteractionResponse.self,
        "response.interaction.modal.text_display.json": InteractionResponse.self,
        "response.interaction.modal.text_input.json": InteractionResponse.self,
        "response.interaction.modal.user_select.json": InteractionResponse.self,
        "rest.error.nested.json": DiscordAPIErrorBody.self, "rest.error.object.json": DiscordAPIErrorBody.self,
        "rest.error.request.json": DiscordAPIErrorBody.self, "rest.error.simple.json": DiscordAPIErrorBody.self,
        "rest.error.invite_target_users.json": DiscordAPIErrorBody.self,
        "rest.rate_limit.global.json": DiscordRateLimitBody.self, "rest.rate_limit.shared.json": DiscordRateLimitBody.self,
        "rest.rate_limit.user.json": DiscordRateLimitBody.self,
        "object.entitlement.json": Entitlement.self, "rest.list_entitlements.json": [Entitlement].self,
        "request.create_test_entitlement.json": CreateTestEntitlementRequest.self,
        "webhook_event.entitlement_create.json": EntitlementWebhookExample.self,
        "webhook_event.entitlement_update.json": EntitlementWebhookExample.self,
        "webhook_event.entitlement_delete.json": EntitlementWebhookExample.self,
        "oauth2.token.bot_extended.json": BotGrantExample.self,
    ]

    /// The autocomplete example carries only `type` and `data` (no `id` or `token`).
    struct AutocompleteExample: Decodable {
        let type: InteractionType
        let data: ApplicationCommandInteractionData
    }

    /// Webhook events wrap the entitlement in `event.data`.
    struct EntitlementWebhookExample: Decodable {
        struct Event: Decodable {
            let type: String
            let timestamp: DiscordTimestamp
            let data: Entitlement
        }

        let event: Event
    }

    /// The OAuth2 bot grant carries the guild the bot joined.
    struct BotGrantExample: Decodable {
        let guild: Guild
    }

    @Test("every fixture is mapped to a model and decodes")
    func everyFixtureIsMapped() throws {
        let names = FixtureLoader.allNames
        #expect(names.count == Self.mapping.count)
        for name in names {
            let type = try #require(Self.mapping[name], "fixture \(name) has no model")
            _ = try JSONDecoder().decode(type, from: FixtureLoader.data(name))
        }
    }

    @Test("every fixture survives encode and decode unchanged", arguments: ExampleDecodingTests.mapping.keys.sorted())
    func roundTrips(name: String) throws {
        func check<T: Codable & Equatable>(_: T.Type) throws {
            let value = try FixtureLoader.decode(T.self, from: name)
            #expect(try JSONHelpers.roundTrip(value) == value)
        }
        switch Self.mapping[name]! {
        case is User.Type: try check(User.self)
        case is Guild.Type: try check(Guild.self)
        case is UnavailableGuild.Type: try check(UnavailableGuild.self)
        case is CurrentUserGuild.Type: try check(CurrentUserGuild.self)
        case is GuildMember.Type: try check(GuildMember.self)
        case is Role.Type: try check(Role.self)
        case is Channel.Type: try check(Channel.self)
        case is Message.Type: try check(Message.self)
        case is CreateMessageRequest.Type: try check(CreateMessageRequest.self)
        case is Emoji.Type: try check(Emoji.self)
        case is Interaction.Type: try check(Interaction.self)
        case is ApplicationCommand.Type: try check(ApplicationCommand.self)
        case is InteractionResponse.Type: try check(InteractionResponse.self)
        case is DiscordAPIErrorBody.Type: try check(DiscordAPIErrorBody.self)
        case is DiscordRateLimitBody.Type: try check(DiscordRateLimitBody.self)
        case is Entitlement.Type: try check(Entitlement.self)
        case is [Entitlement].Type: try check([Entitlement].self)
        case is CreateTestEntitlementRequest.Type: try check(CreateTestEntitlementRequest.self)
        default: break // wrappers around the models above
        }
    }

    @Test("users, full and migrated")
    func users() throws {
        let user = try FixtureLoader.decode(User.self, from: "object.user.json")
        #expect(user.id == Snowflake(80_351_110_224_678_912))
        #expect(user.username == "Nelly")
        #expect(user.discriminator == "1337")
        #expect(user.globalName == nil)
        #expect(user.displayName == "Nelly")
        #expect(user.accentColor == 16_711_680)
        #expect(user.publicFlags == 64)
        #expect(user.premiumType == 0)
        #expect(user.verified == true)
        #expect(!user.isBot)
        let migrated = try FixtureLoader.decode(User.self, from: "object.user.migrated.json")
        #expect(migrated.discriminator == "0")
        #expect(migrated.displayName == "Nelly")
        #expect(migrated.username == "nelly")
    }

    @Test("guilds: the object, GET /guilds, the bot grant, unavailable, and /users/@me/guilds")
    func guilds() throws {
        let guild = try FixtureLoader.decode(Guild.self, from: "object.guild.json")
        #expect(guild.id == Snowflake(197_038_439_483_310_086))
        #expect(guild.ownerID == Snowflake(73_193_882_359_173_120))
        #expect(guild.roles.isEmpty)
        #expect(guild.features?.contains("COMMUNITY") == true)
        #expect(guild.verificationLevel == 3)
        #expect(guild.rulesChannelID == Snowflake(441_688_182_833_020_939))
        #expect(guild.everyoneRole == nil)

        let rest = try FixtureLoader.decode(Guild.self, from: "rest.get_guild.json")
        #expect(rest.approximateMemberCount == 2)
        #expect(rest.emojis?.first?.name == "ultrafastparrot")
        let everyone = try #require(rest.everyoneRole)
        #expect(everyone.permissions == Permissions(rawValue: 49_794_752))
        #expect(everyone.colors?.primaryColor == 0)
        #expect(rest.role(rest.id) == everyone)
        #expect(rest.maxPresences == nil)

        let granted = try FixtureLoader.decode(BotGrantExample.self, from: "oauth2.token.bot_extended.json").guild
        #expect(granted.roles.first?.permissions == Permissions(rawValue: 49_794_241))

        let unavailable = try FixtureLoader.decode(UnavailableGuild.self, from: "object.guild.unavailable.json")
        #expect(unavailable == UnavailableGuild(id: Snowflake(41_771_983_423_143_937), unavailable: true))

        let listed = try FixtureLoader.decode(CurrentUserGuild.self, from: "rest.users_me_guilds.item.json")
        #expect(listed.owner)
        #expect(listed.permissions == Permissions(rawValue: 36_953_089))
        #expect(listed.approximatePresenceCount == 784)
        #expect(listed.canManage)
    }

    @Test("the member example has an empty user object: the member still decodes, without its user")
    func member() throws {
        let member = try FixtureLoader.decode(GuildMember.self, from: "object.guild_member.json")
        #expect(member.user == nil)
        #expect(member.nick == "NOT API SUPPORT")
        #expect(member.roles.isEmpty)
        #expect(member.joinedAt == DiscordTimestamp(iso8601: "2015-04-26T06:26:56.936000+00:00"))
        #expect(member.deaf == false)
        #expect(member.communicationDisabledUntil == nil)
    }

    @Test("role with colours")
    func role() throws {
        let role = try FixtureLoader.decode(Role.self, from: "object.role.json")
        #expect(role.name == "WE DEM BOYZZ!!!!!!")
        #expect(role.color == 3_447_003)
        #expect(role.colors == Role.Colors(primaryColor: 3_447_003))
        #expect(role.hoist)
        #expect(role.position == 1)
        #expect(role.permissions == Permissions(rawValue: 66_321_471))
        #expect(!role.managed)
        #expect(role.icon == "cf3ced8600b777c9486c6d8d84fb4327")
        #expect(role.tags == nil)
        #expect(role.flags == 0)
    }

    @Test("channels of every example type")
    func channels() throws {
        let text = try FixtureLoader.decode(Channel.self, from: "object.channel.guild_text.json")
        #expect(text.type == .guildText)
        #expect(text.rateLimitPerUser == 2)
        #expect(text.permissionOverwrites == [])
        #expect(text.parentID == Snowflake(399_942_396_007_890_945))
        #expect(try FixtureLoader.decode(Channel.self, from: "object.channel.guild_announcement.json").type == .guildAnnouncement)
        let category = try FixtureLoader.decode(Channel.self, from: "object.channel.guild_category.json")
        #expect(category.type == .guildCategory)
        #expect(category.parentID == nil)
        let dm = try FixtureLoader.decode(Channel.self, from: "object.channel.dm.json")
        #expect(dm.type == .dm)
        #expect(dm.type.isPrivate)
        #expect(dm.recipients?.first?.username == "test")
        let group = try FixtureLoader.decode(Channel.self, from: "object.channel.group_dm.json")
        #expect(group.type == .groupDM)
        #expect(group.recipients?.count == 2)
        #expect(group.ownerID == Snowflake(82_198_810_841_029_460))
        let thread = try FixtureLoader.decode(Channel.self, from: "object.channel.thread.json")
        #expect(thread.type == .publicThread)
        #expect(thread.type.isThread)
        #expect(thread.threadMetadata?.autoArchiveDuration == 1440)
        #expect(thread.threadMetadata?.archiveTimestamp == DiscordTimestamp(iso8601: "2021-04-12T23:40:39.855793+00:00"))
        #expect(thread.memberCount == 5)
        #expect(thread.totalMessageSent == 1)
    }

    @Test("messages, plain and crossposted")
    func messages() throws {
        let message = try FixtureLoader.decode(Message.self, from: "object.message.json")
        #expect(message.id == Snowflake(334_385_199_974_967_042))
        #expect(message.content == "Supa Hot")
        #expect(message.author.username == "Mason")
        #expect(message.timestamp.iso8601 == "2017-07-11T17:27:07.299000+00:00")
        #expect(message.editedTimestamp == nil)
        #expect(message.type == .default)
        #expect(message.type.isUserContent)
        #expect(message.reactions?.first?.emoji == .unicode("🔥"))
        #expect(message.reactions?.first?.countDetails == Reaction.CountDetails(normal: 1))
        #expect(message.flags == nil)
        #expect(message.components == nil)
        #expect(message.referencedMessageID == nil)
        #expect(!message.isFromBot)

        let crossposted = try FixtureLoader.decode(Message.self, from: "object.message.crossposted.json")
        #expect(crossposted.flags == .isCrosspost)
        #expect(crossposted.mentionChannels?.first?.type == .guildAnnouncement)
        #expect(crossposted.mentionChannels?.first?.name == "big-news")
        #expect(crossposted.referencedMessageID == Snowflake(306_588_351_130_107_906))
        #expect(crossposted.repliedToMessageID == nil)
        #expect(crossposted.messageReference?.guildID == Snowflake(278_325_129_692_446_720))
    }

    @Test("the create-message request body")
    func createMessage() throws {
        let request = try FixtureLoader.decode(CreateMessageRequest.self, from: "request.create_message.json")
        #expect(request.content == "Hello, World!")
        #expect(request.tts == false)
        #expect(request.embeds == [Embed(title: "Hello, Embed!", description: "This is an embedded message.")])
        #expect(request.allowedMentions == nil)
        #expect(request.validationIssues().isEmpty)
    }

    @Test("emoji: custom, unicode, animated, nameless")
    func emoji() throws {
        let custom = try FixtureLoader.decode(Emoji.self, from: "object.emoji.json")
        #expect(custom.roles?.count == 2)
        #expect(custom.user?.username == "Luigi")
        #expect(custom.requireColons == true)
        #expect(custom.reactionIdentifier == "LUL:41771983429993937")
        let standard = try FixtureLoader.decode(Emoji.self, from: "object.emoji.standard.json")
        #expect(standard.id == nil)
        #expect(standard.reactionIdentifier == "🔥")
        #expect(try FixtureLoader.decode(Emoji.self, from: "object.emoji.custom_animated.json").animated == true)
        let nameless = try FixtureLoader.decode(Emoji.self, from: "object.emoji.custom_name_null.json")
        #expect(nameless.name == nil)
        #expect(nameless.reactionIdentifier == "_:41771983429993937")
        #expect(Emoji(name: nil).reactionIdentifier == "")
    }

    @Test("slash command interaction")
    func slashInteraction() throws {
        let interaction = try FixtureLoader.decode(Interaction.self, from: "object.interaction.slash_command.json")
        #expect(interaction.type == .applicationCommand)
        #expect(interaction.token == "A_UNIQUE_TOKEN")
        #expect(interaction.applicationID == nil)
        #expect(interaction.version == nil)
        #expect(interaction.guildID == Snowflake(290_926_798_626_357_999))
        #expect(interaction.appPermissions == Permissions(rawValue: 442_368))
        #expect(interaction.member?.permissions == Permissions(rawValue: 2_147_483_647))
        #expect(interaction.invoker?.username == "Mason")
        #expect(interaction.locale == "en-US")
        let data = try #require(interaction.commandData)
        #expect(data.name == "cardsearch")
        #expect(data.type == .chatInput)
        #expect(data.option("cardname")?.value == .string("The Gitrog Monster"))
        #expect(data.subcommandPath.isEmpty)
        #expect(interaction.componentData == nil)
        #expect(interaction.modalData == nil)
    }

    @Test("user and message context-menu interactions with resolved data")
    func contextMenuInteractions() throws {
        let userCommand = try FixtureLoader.decode(Interaction.self, from: "object.interaction.user_command.json")
        let userData = try #require(userCommand.commandData)
        #expect(userData.type == .user)
        let target = try #require(userData.targetID)
        #expect(userData.resolved?.users[target]?.username == "VoltyDemo")
        #expect(userData.resolved?.users[target]?.isBot == true)
        let resolvedMember = try #require(userData.resolved?.member(target))
        #expect(resolvedMember.user?.username == "VoltyDemo")
        #expect(resolvedMember.permissions == Permissions(rawValue: 246_997_699_136))
        #expect(userData.resolved?.members[target]?.user == nil)
        #expect(userCommand.version == 1)
        #expect(userCommand.applicationID == Snowflake(775_799_577_604_522_054))

        let messageCommand = try FixtureLoader.decode(Interaction.self, from: "object.interaction.message_command.json")
        let messageData = try #require(messageCommand.commandData)
        #expect(messageData.type == .message)
        let targetMessageID = try #require(messageData.targetID)
        let message = try #require(messageData.resolved?.messages[targetMessageID])
        #expect(message.content == "some message")
        #expect(message.components == [])
        #expect(message.flags == [])
    }

    @Test("the autocomplete example is partial: its data decodes, the whole is refused for lacking id and token")
    func autocomplete() throws {
        let example = try FixtureLoader.decode(AutocompleteExample.self, from: "object.interaction.autocomplete.json")
        #expect(example.type == .applicationCommandAutocomplete)
        #expect(example.data.focusedOption?.name == "variant")
        #expect(example.data.focusedOption?.value?.stringValue == "data a user is typ")
        #expect(throws: DecodingError.self) { try FixtureLoader.decode(Interaction.self, from: "object.interaction.autocomplete.json") }
    }

    @Test("command definitions")
    func commands() throws {
        let slash = try FixtureLoader.decode(ApplicationCommand.self, from: "object.application_command.slash.json")
        #expect(slash.type == .chatInput)
        #expect(slash.options?.first?.required == true)
        #expect(slash.options?.first?.choices?.map(\.value) == [.string("animal_dog"), .string("animal_cat"), .string("animal_penguin")])
        #expect(slash.options?.last?.type == .boolean)
        #expect(slash.validationIssues().isEmpty)

        let tree = try FixtureLoader.decode(ApplicationCommand.self, from: "object.application_command.subcommands.json")
        #expect(tree.type == nil)
        #expect(tree.options?.map(\.type) == [.subCommandGroup, .subCommandGroup])
        #expect(tree.options?.first?.options?.first?.options?.first?.type == .user)
        #expect(tree.validationIssues().isEmpty)

        let adminOnly = try FixtureLoader.decode(ApplicationCommand.self, from: "object.application_command.default_member_permissions.json")
        #expect(adminOnly.defaultMemberPermissions == [])
        #expect(try JSONHelpers.object(adminOnly)["default_member_permissions"] as? String == "0")

        let entry = try FixtureLoader.decode(ApplicationCommand.self, from: "object.application_command.entry_point.2.json")
        #expect(entry.type == .primaryEntryPoint)
        #expect(entry.handler == 2)
        #expect(entry.integrationTypes == [.guildInstall, .userInstall])
        #expect(entry.contexts == [.guild, .botDM, .privateChannel])
        #expect(try FixtureLoader.decode(ApplicationCommand.self, from: "object.application_command.entry_point.json").contexts == nil)

        let localized = try FixtureLoader.decode(ApplicationCommand.self, from: "object.application_command.localized.json")
        #expect(localized.nameLocalizations?["zh-CN"] == "生日")
        #expect(localized.options?.first?.descriptionLocalizations?["zh-CN"] == "你朋友的岁数")

        let user = try FixtureLoader.decode(ApplicationCommand.self, from: "object.application_command.user.json")
        #expect(user.type == .user)
        #expect(user.validationIssues().isEmpty)
        #expect(try FixtureLoader.decode(ApplicationCommand.self, from: "object.application_command.message.json").type == .message)
    }

    @Test("modal responses: labels around selects and text inputs; newer components kept as unknown")
    func modals() throws {
        let modal = try FixtureLoader.decode(InteractionResponse.self, from: "response.interaction.modal.json")
        #expect(modal.type == .modal)
        guard case .modal(let data) = modal.data else { Issue.record("not a modal"); return }
        #expect(data.customID == "bug_modal")
        #expect(data.title == "Bug Report")
        guard case .label(let first) = data.components.first, case .selectMenu(let select) = first.component else {
            Issue.record("first component is not a label around a select"); return
        }
        #expect(select.type == .stringSelect)
        #expect(select.options?.count == 3)
        #expect(select.options?.first?.emoji == .unicode("🐜"))
        guard case .label(let second) = data.components.last, case .textInput(let input) = second.component else {
            Issue.record("second component is not a label around a text input"); return
        }
        #expect(input.style == .paragraph)
        #expect(input.minLength == 1000)
        #expect(input.required == true)
        #expect(second.description == "Please provide as much detail as possible!")
        #expect(modal.validationIssues().isEmpty)

        let expectedInner: [String: ComponentType] = [
            "response.interaction.modal.channel_select.json": .channelSelect,
            "response.interaction.modal.checkbox.json": .checkbox,
            "response.interaction.modal.checkbox_group.json": .checkboxGroup,
            "response.interaction.modal.file_upload.json": .fileUpload,
            "response.interaction.modal.mentionable_select.json": .mentionableSelect,
            "response.interaction.modal.radio_group.json": .radioGroup,
            "response.interaction.modal.role_select.json": .roleSelect,
            "response.interaction.modal.string_select.json": .stringSelect,
            "response.interaction.modal.text_input.json": .textInput,
            "response.interaction.modal.user_select.json": .userSelect,
        ]
        for (name, type) in expectedInner {
            let response = try FixtureLoader.decode(InteractionResponse.self, from: name)
            guard case .modal(let data) = response.data, case .label(let label) = data.components.first else {
                Issue.record("\(name) is not a modal with a label"); continue
            }
            #expect(label.component.type == type, "\(name)")
            #expect(label.component.type.isKnown)
        }
        let radio = try FixtureLoader.decode(InteractionResponse.self, from: "response.interaction.modal.radio_group.json")
        guard case .modal(let radioData) = radio.data, case .label(let radioLabel) = radioData.components[0],
              case .unknown(_, let payload) = radioLabel.component
        else { Issue.record("radio group not kept as unknown"); return }
        #expect(payload["custom_id"]?.stringValue == "class_radio")

        let display = try FixtureLoader.decode(InteractionResponse.self, from: "response.interaction.modal.text_display.json")
        guard case .modal(let displayData) = display.data, case .textDisplay(let text) = displayData.components[0],
              case .label(let channelLabel) = displayData.components[2], case .selectMenu(let channelSelect) = channelLabel.component
        else { Issue.record("text display modal shape"); return }
        #expect(text.content.hasPrefix("This action will move"))
        #expect(channelSelect.channelTypes == [.guildVoice])
        let stringSelect = try FixtureLoader.decode(InteractionResponse.self, from: "response.interaction.modal.string_select.json")
        guard case .modal(let stringData) = stringSelect.data, case .label(let idLabel) = stringData.components[0] else {
            Issue.record("string select modal shape"); return
        }
        #expect(idLabel.id == 1)
    }

    @Test("error bodies: simple, nested, object, request-level and the field-list form")
    func errors() throws {
        let simple = try FixtureLoader.decode(DiscordAPIErrorBody.self, from: "rest.error.simple.json")
        #expect(simple.code == .invalidAuthenticationToken)
        #expect(simple.message == "Invalid authentication token")
        #expect(simple.errors == nil)

        let nested = try FixtureLoader.decode(DiscordAPIErrorBody.self, from: "rest.error.nested.json")
        #expect(nested.code == .invalidFormBody)
        let flat = try #require(nested.errors?.flattened)
        #expect(flat.map(\.path) == ["activities.0.platform", "activities.0.type"])
        #expect(flat.map(\.error.code) == ["BASE_TYPE_CHOICES", "BASE_TYPE_CHOICES"])

        let object = try FixtureLoader.decode(DiscordAPIErrorBody.self, from: "rest.error.object.json")
        #expect(object.errors?.children["access_token"]?.errors.first?.code == "BASE_TYPE_REQUIRED")

        let request = try FixtureLoader.decode(DiscordAPIErrorBody.self, from: "rest.error.request.json")
        #expect(request.errors?.errors.first?.code == "APPLICATION_COMMAND_TOO_LARGE")
        #expect(request.errors?.flattened.first?.path == "")

        let lists = try FixtureLoader.decode(DiscordAPIErrorBody.self, from: "rest.error.invite_target_users.json")
        #expect(lists.code == .generalError)
        #expect(lists.message == "")
    }

    @Test("429 bodies")
    func rateLimits() throws {
        let global = try FixtureLoader.decode(DiscordRateLimitBody.self, from: "rest.rate_limit.global.json")
        #expect(global.global)
        #expect(global.retryAfter == 64.57)
        let shared = try FixtureLoader.decode(DiscordRateLimitBody.self, from: "rest.rate_limit.shared.json")
        #expect(!shared.global)
        #expect(shared.message == "The resource is being rate limited.")
        #expect(try FixtureLoader.decode(DiscordRateLimitBody.self, from: "rest.rate_limit.user.json").code == nil)
    }

    @Test("entitlements: object, list, webhook events and the test-entitlement request")
    func entitlements() throws {
        let entitlement = try FixtureLoader.decode(Entitlement.self, from: "object.entitlement.json")
        #expect(entitlement.type == .applicationSubscription)
        #expect(entitlement.guildID == Snowflake(1_015_034_326_372_454_400))
        #expect(entitlement.subscriptionID == Snowflake(1_019_653_835_926_409_216))
        #expect(entitlement.consumed == false)
        let during = try #require(DiscordTimestamp(iso8601: "2022-10-01T00:00:00Z"))
        let after = try #require(DiscordTimestamp(iso8601: "2022-10-14T17:00:18.704163+00:00"))
        let before = try #require(DiscordTimestamp(iso8601: "2022-09-01T00:00:00Z"))
        #expect(entitlement.isActive(at: during))
        #expect(!entitlement.isActive(at: after))
        #expect(!entitlement.isActive(at: before))
        #expect(try FixtureLoader.decode([Entitlement].self, from: "rest.list_entitlements.json") == [entitlement])

        let deleted = try FixtureLoader.decode(EntitlementWebhookExample.self, from: "webhook_event.entitlement_delete.json")
        #expect(deleted.event.type == "ENTITLEMENT_DELETE")
        #expect(deleted.event.timestamp == DiscordTimestamp(iso8601: "2024-10-18T18:41:21.109604Z"))
        #expect(deleted.event.data.deleted)
        #expect(deleted.event.data.startsAt == nil)
        #expect(deleted.event.data.type == .testModePurchase)
        #expect(!deleted.event.data.isActive(at: during))
        let created = try FixtureLoader.decode(EntitlementWebhookExample.self, from: "webhook_event.entitlement_create.json")
        #expect(created.event.data.isActive(at: during))
        #expect(try FixtureLoader.decode(EntitlementWebhookExample.self, from: "webhook_event.entitlement_update.json").event.data == created.event.data)

        let request = try FixtureLoader.decode(CreateTestEntitlementRequest.self, from: "request.create_test_entitlement.json")
        #expect(request.ownerType == .guild)
        #expect(request.skuID == Snowflake(999_184_799_365_857_331))
    }
}
