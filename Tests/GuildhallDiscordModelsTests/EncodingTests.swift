import Foundation
import GuildhallCore
import GuildhallDiscordModels
import GuildhallFixtures
import Testing

/// What the sandbox relies on when it encodes these models: snowflakes and permissions as
/// strings, nil fields left out, explicit nulls only where Discord wants them.
@Suite("Encoding")
struct EncodingTests {
    @Test("nil fields are omitted; snowflakes are strings; permissions are decimal strings")
    func omitsNil() throws {
        var factory = MockFactory(seed: 11)
        let id = factory.snowflake()
        let user = User(id: id, username: "mock")
        let object = try JSONHelpers.object(user)
        #expect(object.count == 2)
        #expect(object["id"] as? String == id.description)
        let role = Role(id: id, name: "r", position: 3, permissions: [.kickMembers, .banMembers])
        let roleObject = try JSONHelpers.object(role)
        #expect(roleObject["permissions"] as? String == "6")
        #expect(roleObject["colors"] == nil)
        #expect(roleObject["managed"] as? Bool == false)
    }

    @Test("a full message round-trips and keeps its wire names")
    func message() throws {
        var factory = MockFactory(seed: 12)
        let author = User(id: factory.snowflake(), username: "author", discriminator: "0", globalName: "Author", bot: false)
        let now = DiscordTimestamp(millisecondsSinceEpoch: 3_786_912_000_123)
        let message = Message(
            id: factory.snowflake(), channelID: factory.snowflake(), guildID: factory.snowflake(), author: author,
            member: GuildMember(nick: "nick", roles: [factory.snowflake()], joinedAt: now, communicationDisabledUntil: now),
            content: "hello <@1>", timestamp: now, editedTimestamp: now, mentions: [author], mentionRoles: [factory.snowflake()],
            attachments: [Attachment(id: factory.snowflake(), filename: "a.png", contentType: "image/png", size: 10, url: "u", proxyURL: "p")],
            embeds: [Embed(title: "t", timestamp: now, color: 0xFF0000, footer: .init(text: "f", iconURL: "i"), image: .init(url: "img"),
                           thumbnail: .init(url: "th", width: 5), author: .init(name: "a", url: "au"), fields: [.init(name: "n", value: "v", inline: true)])],
            reactions: [Reaction(count: 2, me: true, emoji: .unicode("🎉"))], nonce: .string("n-1"), webhookID: nil, type: .reply,
            messageReference: .reply(to: factory.snowflake()), flags: [.suppressNotifications],
            components: [.actionRow(ActionRow(.button(.interactive(customID: "join", label: "Join"))))]
        )
        #expect(try JSONHelpers.roundTrip(message) == message)
        let object = try JSONHelpers.object(message)
        #expect(object["channel_id"] as? String == message.channelID.description)
        #expect(object["edited_timestamp"] as? String == "2090-01-01T00:00:00.123000+00:00")
        #expect(object["flags"] as? Int == 4096)
        #expect(object["nonce"] as? String == "n-1")
        let member = try #require(object["member"] as? [String: Any])
        #expect(member["communication_disabled_until"] as? String == "2090-01-01T00:00:00.123000+00:00")
        #expect(message.repliedToMessageID == message.messageReference?.messageID)
        #expect(message.referencedMessageID == message.messageReference?.messageID)
        var fromWebhook = message
        fromWebhook.webhookID = factory.snowflake()
        #expect(fromWebhook.isFromBot)
        #expect(try JSONHelpers.decode([MessageNonce].self, "[42, \"x\"]") == [.integer(42), .string("x")])
        #expect(try JSONHelpers.string([MessageNonce.integer(7)]) == "[7]")
    }

    @Test("unknown fields are ignored everywhere")
    func unknownFields() throws {
        let json = """
        {"id":"80351110224678912","username":"u","brand_new_field":{"deep":[1,2,3]},"avatar":null}
        """
        let user = try JSONHelpers.decode(User.self, json)
        #expect(user.username == "u")
        #expect(user.avatar == nil)
        let message = """
        {"id":"1","channel_id":"2","author":{"id":"3","username":"a"},"content":"c","timestamp":"2021-04-12T23:40:39+00:00",
         "tts":false,"mention_everyone":false,"mentions":[],"mention_roles":[],"attachments":[],"embeds":[],"pinned":false,
         "type":4242,"flags":1048576,"poll":{"question":{"text":"?"}},"interaction_metadata":{"id":"9"},
         "referenced_message":null,"channel_type":99}
        """
        let decoded = try JSONHelpers.decode(Message.self, message)
        #expect(decoded.type == MessageType(rawValue: 4242))
        #expect(!decoded.type.isKnown)
        #expect(decoded.flags?.rawValue == 1_048_576)
        #expect(try JSONHelpers.roundTrip(decoded) == decoded)
        let channel = try JSONHelpers.decode(Channel.self, #"{"id":"5","type":99,"available_tags":[],"icon_emoji":{"id":null}}"#)
        #expect(channel.type == ChannelType(rawValue: 99))
        #expect(try JSONHelpers.object(channel)["type"] as? Int == 99)
    }

    @Test("unknown component types round-trip untouched inside known ones")
    func unknownComponents() throws {
        let json = """
        [{"type":1,"components":[{"type":2,"style":6,"sku_id":"123"}]},
         {"type":77,"id":4,"custom_id":"future","nested":{"list":[true,null,1.5,-3,"s"]}},
         {"type":17,"components":[{"type":10,"content":"hi"}],"accent_color":255}]
        """
        let components = try JSONHelpers.decode([MessageComponent].self, json)
        #expect(components.map(\.type) == [.actionRow, ComponentType(rawValue: 77), .container])
        guard case .actionRow(let row) = components[0], case .button(let premium) = row.components[0] else {
            Issue.record("premium button row"); return
        }
        #expect(premium.style == .premium)
        #expect(premium.skuID == Snowflake(123))
        guard case .unknown(let type, let payload) = components[1] else { Issue.record("unknown"); return }
        #expect(type.rawValue == 77)
        #expect(payload["nested"]?["list"] == .array([.bool(true), .null, .double(1.5), .integer(-3), .string("s")]))
        #expect(payload["custom_id"]?.stringValue == "future")
        #expect(payload["id"]?.integerValue == 4)
        #expect(payload["missing"] == nil)
        #expect(JSONValue.string("x")["key"] == nil)
        #expect(JSONValue.bool(true).stringValue == nil && JSONValue.bool(true).integerValue == nil)
        #expect(try JSONHelpers.roundTrip(components) == components)
        let reencoded = try JSONSerialization.jsonObject(with: JSONHelpers.encode(components)) as? [[String: Any]]
        #expect(reencoded?[1]["custom_id"] as? String == "future")
        #expect(reencoded?[2]["accent_color"] as? Int == 255)
    }

    @Test("every known component encodes its type and decodes back")
    func knownComponents() throws {
        var factory = MockFactory(seed: 13)
        let components: [MessageComponent] = [
            .actionRow(ActionRow(id: 1, components: [
                .button(.interactive(.success, customID: "enter", label: "Enter", emoji: .unicode("🎉"), disabled: false)),
                .button(.link(url: "https://example.invalid", label: "Docs")),
                .button(.premium(skuID: factory.snowflake())),
            ])),
            .actionRow(ActionRow(.selectMenu(SelectMenu(
                customID: "pick", options: [SelectOption(label: "A", value: "a", description: "d", isDefault: true)],
                placeholder: "p", minValues: 1, maxValues: 1
            )))),
            .actionRow(ActionRow(.selectMenu(SelectMenu(
                type: .channelSelect, customID: "where", channelTypes: [.guildText],
                defaultValues: [.init(id: factory.snowflake().description, type: "channel")]
            )))),
            .textDisplay(TextDisplay(content: "**hi**")),
            .label(Label(label: "Why", description: "d", component: .textInput(TextInput(customID: "why", style: .paragraph, maxLength: 10)))),
        ]
        let decoded = try JSONHelpers.roundTrip(components)
        #expect(decoded == components)
        let raw = try #require(try JSONSerialization.jsonObject(with: JSONHelpers.encode(components)) as? [[String: Any]])
        #expect(raw.map { $0["type"] as? Int } == [1, 1, 1, 10, 18])
        let firstRow = try #require(raw[0]["components"] as? [[String: Any]])
        #expect(firstRow.map { $0["style"] as? Int } == [3, 5, 6])
        #expect(firstRow[0]["custom_id"] as? String == "enter")
        let select = try #require((raw[1]["components"] as? [[String: Any]])?.first)
        #expect(select["type"] as? Int == 3)
        #expect((select["options"] as? [[String: Any]])?.first?["default"] as? Bool == true)
        #expect(components[0].customID == nil)
        #expect(components[0].flattened.count == 4)
        #expect(components[0].flattened.compactMap(\.customID) == ["enter"])
        #expect(components[4].flattened.compactMap(\.customID) == ["why"])
        #expect(components[3].customID == nil)
        #expect(components[1].flattened.compactMap(\.customID) == ["pick"])
    }

    @Test("role tags: present-with-null means true")
    func roleTags() throws {
        let tags = try JSONHelpers.decode(RoleTags.self, #"{"bot_id":"42","premium_subscriber":null,"guild_connections":null}"#)
        #expect(tags.botID == Snowflake(42))
        #expect(tags.isPremiumSubscriber)
        #expect(tags.isGuildConnections)
        #expect(!tags.isAvailableForPurchase)
        let encoded = try JSONHelpers.string(tags)
        #expect(encoded == #"{"bot_id":"42","guild_connections":null,"premium_subscriber":null}"#)
        #expect(try JSONHelpers.roundTrip(tags) == tags)
        let all = RoleTags(integrationID: Snowflake(1), subscriptionListingID: Snowflake(2), isAvailableForPurchase: true)
        #expect(try JSONHelpers.roundTrip(all) == all)
        #expect(try JSONHelpers.string(RoleTags()) == "{}")
    }

    @Test("members: bad user objects are dropped, other bad fields are errors")
    func members() throws {
        let member = try JSONHelpers.decode(GuildMember.self, #"{"user":{"id":"not-a-number"},"roles":["1"],"joined_at":null}"#)
        #expect(member.user == nil)
        #expect(member.roles == [Snowflake(1)])
        let noRoles = try JSONHelpers.decode(GuildMember.self, #"{"nick":"n"}"#)
        #expect(noRoles.roles.isEmpty)
        #expect(try JSONHelpers.object(noRoles)["roles"] as? [Any] != nil)
        #expect(throws: DecodingError.self) { try JSONHelpers.decode(GuildMember.self, #"{"roles":["x"]}"#) }
        #expect(throws: DecodingError.self) { try JSONHelpers.decode(GuildMember.self, #"{"roles":[],"joined_at":"then"}"#) }
        let now = DiscordTimestamp(millisecondsSinceEpoch: 3_786_912_000_000)
        let timedOut = GuildMember(communicationDisabledUntil: now.advanced(by: .seconds(1)))
        #expect(timedOut.isTimedOut(at: now))
        #expect(!timedOut.isTimedOut(at: now.advanced(by: .seconds(1))))
        #expect(!GuildMember().isTimedOut(at: now))
        let full = GuildMember(
            user: User(id: Snowflake(5), username: "u"), nick: "n", avatar: "a", banner: "b", roles: [Snowflake(6)], joinedAt: now,
            premiumSince: now, deaf: false, mute: true, flags: 2, pending: false, permissions: [.viewChannel],
            communicationDisabledUntil: now
        )
        #expect(try JSONHelpers.roundTrip(full) == full)
    }

    @Test("guild lookups and a GUILD_CREATE-shaped round trip")
    func guild() throws {
        var factory = MockFactory(seed: 14)
        let guildID = factory.snowflake(), ownerID = factory.snowflake(), channelID = factory.snowflake(), threadID = factory.snowflake()
        let everyone = Role(id: guildID, name: "@everyone", position: 0, permissions: [.viewChannel])
        let guild = Guild(
            id: guildID, name: "g", ownerID: ownerID, permissions: [.administrator], roles: [everyone], features: ["COMMUNITY"],
            joinedAt: DiscordTimestamp(millisecondsSinceEpoch: 3_786_912_000_000), large: false, unavailable: false, memberCount: 1,
            members: [GuildMember(user: User(id: ownerID, username: "owner"), roles: [])],
            channels: [Channel(id: channelID, type: .guildText, guildID: guildID, position: 0, permissionOverwrites: [.role(guildID, deny: [.sendMessages])], name: "general")],
            threads: [Channel(id: threadID, type: .publicThread, parentID: channelID)]
        )
        #expect(try JSONHelpers.roundTrip(guild) == guild)
        #expect(guild.everyoneRole == everyone)
        #expect(guild.role(factory.snowflake()) == nil)
        #expect(guild.channel(channelID)?.name == "general")
        #expect(guild.channel(threadID)?.type == .publicThread)
        #expect(guild.channel(factory.snowflake()) == nil)
        #expect(guild.member(ownerID)?.user?.username == "owner")
        #expect(guild.member(factory.snowflake()) == nil)
        let object = try JSONHelpers.object(guild)
        #expect(object["owner_id"] as? String == ownerID.description)
        #expect(object["member_count"] as? Int == 1)
        #expect(object["permissions"] as? String == "8")
        let overwrite = try #require(((object["channels"] as? [[String: Any]])?.first?["permission_overwrites"] as? [[String: Any]])?.first)
        #expect(overwrite["deny"] as? String == "2048")
        #expect(overwrite["allow"] as? String == "0")
        #expect(overwrite["type"] as? Int == 0)
        #expect(try JSONHelpers.roundTrip(UnavailableGuild(id: guildID)) == UnavailableGuild(id: guildID, unavailable: true))
        let notManager = CurrentUserGuild(id: guildID, name: "g", owner: false, permissions: [.viewChannel])
        #expect(!notManager.canManage)
        #expect(CurrentUserGuild(id: guildID, name: "g", owner: false, permissions: [.manageGuild]).canManage)
        #expect(try JSONHelpers.roundTrip(notManager) == notManager)
    }

    @Test("entitlements: activity rules")
    func entitlementActivity() throws {
        var factory = MockFactory(seed: 15)
        let now = DiscordTimestamp(millisecondsSinceEpoch: 3_786_912_000_000)
        let base = Entitlement(id: factory.snowflake(), skuID: factory.snowflake(), applicationID: factory.snowflake(), guildID: factory.snowflake(), type: .purchase)
        #expect(base.isActive(at: now))
        var consumed = base
        consumed.consumed = true
        #expect(!consumed.isActive(at: now))
        var ended = base
        ended.endsAt = now
        #expect(!ended.isActive(at: now))
        var future = base
        future.startsAt = now.advanced(by: .seconds(1))
        #expect(!future.isActive(at: now))
        var deleted = base
        deleted.deleted = true
        #expect(!deleted.isActive(at: now))
        #expect(try JSONHelpers.roundTrip(base) == base)
        let request = CreateTestEntitlementRequest(skuID: factory.snowflake(), ownerID: factory.snowflake(), ownerType: .user)
        #expect(try JSONHelpers.object(request)["owner_type"] as? Int == 2)
    }

    @Test("threads, reactions and attachments round-trip")
    func smallModels() throws {
        let now = DiscordTimestamp(millisecondsSinceEpoch: 3_786_912_000_000)
        let metadata = ThreadMetadata(autoArchiveDuration: 60, archiveTimestamp: now, invitable: true, createTimestamp: now)
        #expect(try JSONHelpers.roundTrip(metadata) == metadata)
        let reaction = Reaction(count: 3, countDetails: .init(burst: 1, normal: 2), meBurst: false, emoji: Emoji(id: Snowflake(9), name: "x", animated: true), burstColors: ["#fff"])
        #expect(try JSONHelpers.roundTrip(reaction) == reaction)
        let mention = ChannelMention(id: Snowflake(1), guildID: Snowflake(2), type: .guildText, name: "c")
        #expect(try JSONHelpers.object(mention)["guild_id"] as? String == "2")
        let emoji = Emoji(id: Snowflake(3), name: "e", roles: [Snowflake(4)], user: User(id: Snowflake(5), username: "u"), requireColons: true, managed: false, available: true)
        #expect(try JSONHelpers.roundTrip(emoji) == emoji)
    }
}
