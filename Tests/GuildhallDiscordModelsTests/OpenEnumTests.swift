import GuildhallDiscordModels
import Testing

/// Numeric enums are open: unknown numbers decode, keep their value and encode back; every
/// known value carries Discord's name.
@Suite("Open enums")
struct OpenEnumTests {
    static func check<T: DiscordIntEnum>(_ table: [(T, Int, String)]) throws {
        for (value, number, name) in table {
            #expect(value.rawValue == number)
            #expect(value.name == name)
            #expect(value.isKnown)
            #expect(value.description == name)
        }
        let unknown = T(rawValue: 9_999)
        #expect(!unknown.isKnown)
        #expect(unknown.name == nil)
        #expect(unknown.description == "UNKNOWN(9999)")
        #expect(try JSONHelpers.decode([T].self, "[9999]") == [unknown])
        #expect(try JSONHelpers.string([unknown]) == "[9999]")
        #expect(throws: DecodingError.self) { try JSONHelpers.decode([T].self, "[\"nine\"]") }
    }

    @Test("channel types")
    func channelTypes() throws {
        try Self.check([
            (ChannelType.guildText, 0, "GUILD_TEXT"), (.dm, 1, "DM"), (.guildVoice, 2, "GUILD_VOICE"), (.groupDM, 3, "GROUP_DM"),
            (.guildCategory, 4, "GUILD_CATEGORY"), (.guildAnnouncement, 5, "GUILD_ANNOUNCEMENT"),
            (.announcementThread, 10, "ANNOUNCEMENT_THREAD"), (.publicThread, 11, "PUBLIC_THREAD"),
            (.privateThread, 12, "PRIVATE_THREAD"), (.guildStageVoice, 13, "GUILD_STAGE_VOICE"),
            (.guildDirectory, 14, "GUILD_DIRECTORY"), (.guildForum, 15, "GUILD_FORUM"), (.guildMedia, 16, "GUILD_MEDIA"),
        ])
        #expect(ChannelType.privateThread.isThread && ChannelType.announcementThread.isThread)
        #expect(!ChannelType.guildText.isThread && !ChannelType.guildText.isPrivate)
        #expect(ChannelType.groupDM.isPrivate)
    }

    @Test("message types")
    func messageTypes() throws {
        try Self.check([
            (MessageType.default, 0, "DEFAULT"), (.recipientAdd, 1, "RECIPIENT_ADD"), (.recipientRemove, 2, "RECIPIENT_REMOVE"),
            (.call, 3, "CALL"), (.channelNameChange, 4, "CHANNEL_NAME_CHANGE"), (.channelIconChange, 5, "CHANNEL_ICON_CHANGE"),
            (.channelPinnedMessage, 6, "CHANNEL_PINNED_MESSAGE"), (.userJoin, 7, "USER_JOIN"), (.guildBoost, 8, "GUILD_BOOST"),
            (.guildBoostTier1, 9, "GUILD_BOOST_TIER_1"), (.guildBoostTier2, 10, "GUILD_BOOST_TIER_2"),
            (.guildBoostTier3, 11, "GUILD_BOOST_TIER_3"), (.channelFollowAdd, 12, "CHANNEL_FOLLOW_ADD"),
            (.threadCreated, 18, "THREAD_CREATED"), (.reply, 19, "REPLY"), (.chatInputCommand, 20, "CHAT_INPUT_COMMAND"),
            (.threadStarterMessage, 21, "THREAD_STARTER_MESSAGE"), (.contextMenuCommand, 23, "CONTEXT_MENU_COMMAND"),
            (.autoModerationAction, 24, "AUTO_MODERATION_ACTION"), (.pollResult, 46, "POLL_RESULT"),
        ])
        #expect(MessageType.reply.isUserContent)
        #expect(!MessageType.userJoin.isUserContent)
        #expect(MessageType(rawValue: 55).name == "HD_STREAMING_UPGRADED")
    }

    @Test("component, button and text input types")
    func componentTypes() throws {
        try Self.check([
            (ComponentType.actionRow, 1, "ACTION_ROW"), (.button, 2, "BUTTON"), (.stringSelect, 3, "STRING_SELECT"),
            (.textInput, 4, "TEXT_INPUT"), (.userSelect, 5, "USER_SELECT"), (.roleSelect, 6, "ROLE_SELECT"),
            (.mentionableSelect, 7, "MENTIONABLE_SELECT"), (.channelSelect, 8, "CHANNEL_SELECT"), (.section, 9, "SECTION"),
            (.textDisplay, 10, "TEXT_DISPLAY"), (.thumbnail, 11, "THUMBNAIL"), (.mediaGallery, 12, "MEDIA_GALLERY"),
            (.file, 13, "FILE"), (.separator, 14, "SEPARATOR"), (.container, 17, "CONTAINER"), (.label, 18, "LABEL"),
            (.fileUpload, 19, "FILE_UPLOAD"), (.radioGroup, 21, "RADIO_GROUP"), (.checkboxGroup, 22, "CHECKBOX_GROUP"),
            (.checkbox, 23, "CHECKBOX"),
        ])
        let selects: [ComponentType] = [.stringSelect, .userSelect, .roleSelect, .mentionableSelect, .channelSelect]
        #expect(selects.allSatisfy { $0.isSelectMenu })
        #expect(!ComponentType.textInput.isSelectMenu && !ComponentType.button.isSelectMenu)
        try Self.check([
            (ButtonStyle.primary, 1, "PRIMARY"), (.secondary, 2, "SECONDARY"), (.success, 3, "SUCCESS"), (.danger, 4, "DANGER"),
            (.link, 5, "LINK"), (.premium, 6, "PREMIUM"),
        ])
        #expect(ButtonStyle.danger.sendsInteraction && !ButtonStyle.link.sendsInteraction && !ButtonStyle.premium.sendsInteraction)
        try Self.check([(TextInputStyle.short, 1, "SHORT"), (.paragraph, 2, "PARAGRAPH")])
    }

    @Test("interaction, callback, command and option types")
    func interactionTypes() throws {
        try Self.check([
            (InteractionType.ping, 1, "PING"), (.applicationCommand, 2, "APPLICATION_COMMAND"),
            (.messageComponent, 3, "MESSAGE_COMPONENT"), (.applicationCommandAutocomplete, 4, "APPLICATION_COMMAND_AUTOCOMPLETE"),
            (.modalSubmit, 5, "MODAL_SUBMIT"),
        ])
        try Self.check([
            (InteractionCallbackType.pong, 1, "PONG"), (.channelMessageWithSource, 4, "CHANNEL_MESSAGE_WITH_SOURCE"),
            (.deferredChannelMessageWithSource, 5, "DEFERRED_CHANNEL_MESSAGE_WITH_SOURCE"),
            (.deferredUpdateMessage, 6, "DEFERRED_UPDATE_MESSAGE"), (.updateMessage, 7, "UPDATE_MESSAGE"),
            (.applicationCommandAutocompleteResult, 8, "APPLICATION_COMMAND_AUTOCOMPLETE_RESULT"), (.modal, 9, "MODAL"),
            (.premiumRequired, 10, "PREMIUM_REQUIRED"), (.launchActivity, 12, "LAUNCH_ACTIVITY"),
        ])
        #expect(InteractionCallbackType.updateMessage.carriesMessage && !InteractionCallbackType.modal.carriesMessage)
        try Self.check([
            (ApplicationCommandType.chatInput, 1, "CHAT_INPUT"), (.user, 2, "USER"), (.message, 3, "MESSAGE"),
            (.primaryEntryPoint, 4, "PRIMARY_ENTRY_POINT"),
        ])
        try Self.check([
            (ApplicationCommandOptionType.subCommand, 1, "SUB_COMMAND"), (.subCommandGroup, 2, "SUB_COMMAND_GROUP"),
            (.string, 3, "STRING"), (.integer, 4, "INTEGER"), (.boolean, 5, "BOOLEAN"), (.user, 6, "USER"),
            (.channel, 7, "CHANNEL"), (.role, 8, "ROLE"), (.mentionable, 9, "MENTIONABLE"), (.number, 10, "NUMBER"),
            (.attachment, 11, "ATTACHMENT"),
        ])
        try Self.check([(InteractionContextType.guild, 0, "GUILD"), (.botDM, 1, "BOT_DM"), (.privateChannel, 2, "PRIVATE_CHANNEL")])
        try Self.check([(ApplicationIntegrationType.guildInstall, 0, "GUILD_INSTALL"), (.userInstall, 1, "USER_INSTALL")])
    }

    @Test("overwrite, entitlement and owner types")
    func otherTypes() throws {
        try Self.check([(OverwriteType.role, 0, "ROLE"), (.member, 1, "MEMBER")])
        try Self.check([
            (EntitlementType.purchase, 1, "PURCHASE"), (.premiumSubscription, 2, "PREMIUM_SUBSCRIPTION"),
            (.developerGift, 3, "DEVELOPER_GIFT"), (.testModePurchase, 4, "TEST_MODE_PURCHASE"),
            (.freePurchase, 5, "FREE_PURCHASE"), (.userGift, 6, "USER_GIFT"), (.premiumPurchase, 7, "PREMIUM_PURCHASE"),
            (.applicationSubscription, 8, "APPLICATION_SUBSCRIPTION"), (.questReward, 10, "QUEST_REWARD"),
        ])
        try Self.check([(CreateTestEntitlementRequest.OwnerType.guild, 1, "GUILD"), (.user, 2, "USER")])
    }

    @Test("well-known JSON error codes, their messages and HTTP statuses")
    func errorCodes() throws {
        let table: [(DiscordJSONErrorCode, Int, String, Int, String)] = [
            (.generalError, 0, "GENERAL_ERROR", 401, "401: Unauthorized"),
            (.unknownChannel, 10003, "UNKNOWN_CHANNEL", 404, "Unknown Channel"),
            (.unknownGuild, 10004, "UNKNOWN_GUILD", 404, "Unknown Guild"),
            (.unknownMember, 10007, "UNKNOWN_MEMBER", 404, "Unknown Member"),
            (.unknownMessage, 10008, "UNKNOWN_MESSAGE", 404, "Unknown Message"),
            (.unknownRole, 10011, "UNKNOWN_ROLE", 404, "Unknown Role"),
            (.unknownUser, 10013, "UNKNOWN_USER", 404, "Unknown User"),
            (.unknownEmoji, 10014, "UNKNOWN_EMOJI", 400, "Unknown Emoji"),
            (.unknownWebhook, 10015, "UNKNOWN_WEBHOOK", 404, "Unknown Webhook"),
            (.unknownBan, 10026, "UNKNOWN_BAN", 404, "Unknown Ban"),
            (.unknownEntitlement, 10029, "UNKNOWN_ENTITLEMENT", 404, "Unknown Entitlement"),
            (.unknownInteraction, 10062, "UNKNOWN_INTERACTION", 404, "Unknown interaction"),
            (.maximumGuildRoles, 30005, "MAXIMUM_GUILD_ROLES", 400, "Maximum number of guild roles reached (250)"),
            (.onlyTestEntitlementsDeletable, 40019, "ONLY_TEST_ENTITLEMENTS_DELETABLE", 400, "Only test entitlements can be deleted"),
            (.interactionAlreadyAcknowledged, 40060, "INTERACTION_ALREADY_ACKNOWLEDGED", 400, "Interaction has already been acknowledged."),
            (.entitlementAlreadyGranted, 40074, "ENTITLEMENT_ALREADY_GRANTED", 400, "Entitlement already granted"),
            (.interactionFollowUpLimitReached, 40094, "INTERACTION_FOLLOW_UP_LIMIT_REACHED", 400, "Interaction follow-up limit reached"),
            (.missingAccess, 50001, "MISSING_ACCESS", 403, "Missing Access"),
            (.cannotEditOtherUsersMessage, 50005, "CANNOT_EDIT_OTHER_USERS_MESSAGE", 403, "Cannot edit a message authored by another user"),
            (.cannotSendEmptyMessage, 50006, "CANNOT_SEND_EMPTY_MESSAGE", 400, "Cannot send an empty message"),
            (.cannotSendMessagesToUser, 50007, "CANNOT_SEND_MESSAGES_TO_USER", 403, "Cannot send messages to this user"),
            (.missingPermissions, 50013, "MISSING_PERMISSIONS", 403, "Missing Permissions"),
            (.invalidAuthenticationToken, 50014, "INVALID_AUTHENTICATION_TOKEN", 401, "Invalid authentication token"),
            (.invalidFormBody, 50035, "INVALID_FORM_BODY", 400, "Invalid Form Body"),
            (.invalidJSON, 50109, "INVALID_JSON", 400, "The request body contains invalid JSON."),
            (.searchIndexNotReady, 110_000, "SEARCH_INDEX_NOT_READY", 202, "This index has not been created yet."),
            (.blockedByAutoMod, 200_000, "BLOCKED_BY_AUTOMOD", 400, "Message was blocked by automatic moderation"),
        ]
        try Self.check(table.map { ($0.0, $0.1, $0.2) })
        for (code, _, _, status, message) in table {
            #expect(code.typicalHTTPStatus == status, "\(code)")
            #expect(code.defaultMessage == message, "\(code)")
        }
        #expect(DiscordJSONErrorCode(rawValue: 40_002).typicalHTTPStatus == 400)
        #expect(DiscordJSONErrorCode(rawValue: 40_002).defaultMessage == "Unknown error")
        #expect(DiscordJSONErrorCode(rawValue: 10_999).typicalHTTPStatus == 404)
    }
}
