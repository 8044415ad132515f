import GuildhallCore
import GuildhallDiscordModels

/// Starting interactions for members (a slash command, a button click) and building the
/// interaction object Discord would send (FACTS.md §4.2).
extension SandboxState {
    /// Where an interaction happens and who starts it, checked against the world.
    private func interactionContext(channelID: Snowflake, userID: Snowflake, now: Double) throws(SandboxAPIError)
        -> (channel: SandboxChannel, guild: SandboxGuild?)
    {
        let channel = try channel(channelID)
        _ = try user(userID)
        guard let guildID = channel.guildID else {
            guard channel.recipientID == userID else { throw .missingAccess }
            return (channel, nil)
        }
        let guild = try guild(guildID)
        guard guild.members[userID] != nil else { throw .unknownMember }
        guard permissions(of: userID, in: guild, channel: channel, now: now).contains(.viewChannel) else { throw .missingAccess }
        return (channel, guild)
    }

    /// A slash, user or message command invoked by `userID` in `channelID`. `options` are
    /// `{name, value}` objects; their `type` is filled in from the registered command.
    mutating func startCommandInteraction(
        channelID: Snowflake, userID: Snowflake, name: String, type: Int, options: [JSONValue], targetID: Snowflake?, now: Double
    ) throws(SandboxAPIError) -> SandboxInteraction {
        let (channel, guild) = try interactionContext(channelID: channelID, userID: userID, now: now)
        guard let command = registeredCommand(named: name, type: type, guildID: guild?.id) else { throw .unknownCommand }
        if let guild, let required = command.defaultMemberPermissions,
           !permissions(of: userID, in: guild, channel: channel, now: now).isSuperset(of: required)
        {
            // Discord hides such a command from the member; invoking it is refused.
            throw .missingPermissions
        }
        let typed = Self.typedOptions(options, definitions: command.options ?? [])
        var decoded: [ApplicationCommandInteractionOption] = []
        for (index, option) in typed.enumerated() {
            decoded.append(try RequestBody.decode(ApplicationCommandInteractionOption.self, from: option, path: ["options", String(index)]))
        }
        let resolved = resolve(decoded, targetID: targetID, guild: guild)
        let data = ApplicationCommandInteractionData(
            id: command.id ?? Snowflake(0), name: command.name, type: command.type ?? .chatInput,
            resolved: resolved, options: decoded.isEmpty ? nil : decoded, guildID: command.guildID, targetID: targetID
        )
        return makeInteraction(type: 2, data: .applicationCommand(data), channel: channel, guild: guild, userID: userID, message: nil, now: now)
    }

    /// A click on a button (or a choice in a select menu) of `messageID` by `userID`.
    mutating func startComponentInteraction(
        channelID: Snowflake, messageID: Snowflake, userID: Snowflake, customID: String, values: [String]?, now: Double
    ) throws(SandboxAPIError) -> SandboxInteraction {
        let (channel, guild) = try interactionContext(channelID: channelID, userID: userID, now: now)
        let message = try message(messageID, in: channelID)
        guard let component = message.components.flatMap(\.flattened).first(where: { $0.customID == customID }) else {
            throw .invalidFormBody(["custom_id"], code: "COMPONENT_NOT_FOUND", message: "No component with custom_id \(customID) on this message.")
        }
        let data = MessageComponentInteractionData(customID: customID, componentType: component.type, values: values)
        var interaction = makeInteraction(
            type: 3, data: .messageComponent(data), channel: channel, guild: guild, userID: userID, message: message, now: now
        )
        interaction.sourceMessageID = messageID
        interactions[interaction.id] = interaction
        return interaction
    }

    private mutating func makeInteraction(
        type: Int, data: InteractionData, channel: SandboxChannel, guild: SandboxGuild?, userID: Snowflake,
        message: SandboxMessage?, now: Double
    ) -> SandboxInteraction {
        let id = nextID()
        let token = "sandbox." + SandboxOAuthLedger.randomToken(length: 60)
        let bot = application.botUserID
        var model = Interaction(
            id: id, applicationID: application.id, type: InteractionType(rawValue: type), data: data, guildID: guild?.id,
            channel: Channel(id: channel.id, type: ChannelType(rawValue: channel.kind.rawValue), guildID: channel.guildID, name: channel.kind == .dm ? nil : channel.name),
            channelID: channel.id, token: token, version: 1, locale: "en-US", guildLocale: guild == nil ? nil : "en-US",
            entitlements: activeEntitlements(userID: userID, guildID: guild?.id, now: now),
            authorizingIntegrationOwners: [guild == nil ? "1" : "0": guild?.id ?? userID],
            context: InteractionContextType(rawValue: guild == nil ? 1 : 0), attachmentSizeLimit: 10_485_760
        )
        var json: JSONValue
        if let guild {
            model.appPermissions = permissions(of: bot, in: guild, channel: channel, now: now)
            json = SandboxWire.json(model)
            var member = guild.members[userID].map { memberJSON($0) } ?? .null
            let granted = permissions(of: userID, in: guild, channel: channel, now: now)
            member = SandboxWire.set(member, "permissions", .string(String(granted.rawValue)))
            json = SandboxWire.set(json, "member", member)
        } else {
            model.appPermissions = GuildPermissions.directMessagePermissions
            json = SandboxWire.set(SandboxWire.json(model), "user", userJSON(userID))
        }
        json = SandboxWire.mapEach(json, "entitlements") { SandboxWire.complete($0, with: ["user_id": .null, "starts_at": .null, "ends_at": .null]) }
        if let message { json = SandboxWire.set(json, "message", messageJSON(message)) }
        let interaction = SandboxInteraction(
            id: id, token: token, type: type, guildID: guild?.id, channelID: channel.id, userID: userID, payload: json,
            createdAt: now, delivery: .gateway, response: nil, respondedAt: nil, originalMessageID: nil, followUpIDs: [],
            sourceMessageID: message?.id
        )
        interactions[id] = interaction
        interactionOrder.append(id)
        interactionTokens[token] = id
        return interaction
    }

    /// Fills in each option's `type` from the command's definition when the caller left it
    /// out, walking into subcommands.
    static func typedOptions(_ options: [JSONValue], definitions: [ApplicationCommandOption]) -> [JSONValue] {
        options.map { option in
            guard case .object(var fields) = option, case .string(let name)? = fields["name"],
                  let definition = definitions.first(where: { $0.name == name })
            else { return option }
            if fields["type"] == nil { fields["type"] = .integer(Int64(definition.type.rawValue)) }
            if case .array(let nested)? = fields["options"] {
                fields["options"] = .array(typedOptions(nested, definitions: definition.options ?? []))
            }
            return .object(fields)
        }
    }

    /// The users, members, roles and channels that options (and a context-menu target) name.
    private func resolve(_ options: [ApplicationCommandInteractionOption], targetID: Snowflake?, guild: SandboxGuild?) -> ResolvedData? {
        var resolved = ResolvedData()
        func add(_ id: Snowflake) {
            if let user = users[id] {
                resolved.users[id] = userModel(user)
                if let member = guild?.members[id] { resolved.members[id] = memberModel(member, includeUser: false) }
            } else if let guild, let role = guild.roles[id] {
                resolved.roles[id] = roleModel(role)
            } else if let channel = channels[id], channel.guildID == guild?.id {
                resolved.channels[id] = Channel(id: channel.id, type: ChannelType(rawValue: channel.kind.rawValue), name: channel.name)
            } else if let message = messages[id] {
                resolved.messages[id] = messageModel(message)
            }
        }
        func walk(_ options: [ApplicationCommandInteractionOption]) {
            for option in options {
                if [6, 7, 8, 9].contains(option.type.rawValue), let id = option.value?.snowflakeValue { add(id) }
                walk(option.options ?? [])
            }
        }
        walk(options)
        if let targetID { add(targetID) }
        let empty = resolved.users.isEmpty && resolved.roles.isEmpty && resolved.channels.isEmpty && resolved.messages.isEmpty
        return empty ? nil : resolved
    }

    /// INTERACTION_CREATE for `interaction`, on its guild's shard (always sent: no intent).
    func interactionEvent(_ interaction: SandboxInteraction) -> SandboxDispatch {
        event("INTERACTION_CREATE", guild: interaction.guildID, intents: 0, interaction.payload)
    }
}
