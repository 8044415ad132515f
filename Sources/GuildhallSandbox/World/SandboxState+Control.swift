import GuildhallCore
import GuildhallDiscordModels

/// Changes the control API makes on members' behalf: posting, reacting, joining, leaving,
/// role changes. They are checked the way Discord checks a person's client (a member must be
/// able to see and post in a channel), and each sends the event Discord would.
extension SandboxState {
    mutating func postAsMember(channelID: Snowflake, userID: Snowflake, bytes: [UInt8], now: Double) throws -> (SandboxMessage, [SandboxDispatch]) {
        let channel = try channel(channelID)
        _ = try user(userID)
        let guild = try requireSendable(channel, by: userID, now: now)
        let draft = try MessageDraft.parse(bytes, kind: .create, allowedFlags: Self.creatableMessageFlags)
        let granted: Permissions = guild.map { self.permissions(of: userID, in: $0, channel: channel, now: now) } ?? .all
        let (message, dispatch) = storeMessage(
            draft, in: channel, authorID: userID, defaultMentions: .botDefault, senderPermissions: granted, now: now
        )
        return (message, dispatch.map { [$0] } ?? [])
    }

    mutating func addMember(
        guildID: Snowflake, userID: Snowflake?, username: String?, roleIDs: [Snowflake], now: Double
    ) throws -> (SandboxMember, [SandboxDispatch]) {
        let guild = try guild(guildID)
        for roleID in roleIDs where guild.roles[roleID] == nil || roleID == guildID { throw SandboxAPIError.unknownRole }
        let id: Snowflake
        if let userID {
            _ = try user(userID)
            id = userID
        } else {
            guard let username, !username.isEmpty, username.count <= 32 else {
                throw SandboxAPIError.invalidFormBody(["username"], code: "BASE_TYPE_BAD_LENGTH", message: "Give user_id, or a username of 1 to 32 characters.")
            }
            id = nextID()
            users[id] = SandboxUser(id: id, username: username)
        }
        guard guild.members[id] == nil else {
            throw SandboxAPIError(status: 400, code: 0, message: "The user is already a member of this guild.")
        }
        guard guild.bans[id] == nil else {
            throw SandboxAPIError(status: 403, code: 40007, message: "The user is banned from this guild.")
        }
        let member = SandboxMember(
            userID: id, nick: nil, roleIDs: roleIDs, joinedAt: Self.timestamp(now), communicationDisabledUntil: nil, deaf: false, mute: false
        )
        guilds[guildID]?.members[id] = member
        guilds[guildID]?.memberOrder.append(id)
        let json = SandboxWire.set(memberJSON(member), "guild_id", .string(guildID.description))
        return (member, [event("GUILD_MEMBER_ADD", guild: guildID, intents: SandboxIntents.guildMembers, json)])
    }

    mutating func removeMember(guildID: Snowflake, userID: Snowflake) throws -> [SandboxDispatch] {
        _ = try member(userID, in: guildID)
        guard userID != guilds[guildID]?.ownerID, userID != application.botUserID else {
            throw SandboxAPIError(status: 400, code: 0, message: "The owner and the bot cannot leave a sandbox guild.")
        }
        guilds[guildID]?.members[userID] = nil
        guilds[guildID]?.memberOrder.removeAll { $0 == userID }
        return disconnectVoice(userID, guildID: guildID) + [memberRemoveEvent(userID, guildID: guildID)]
    }

    /// The bot is kicked from (or leaves) a guild: its member goes, and its shard gets
    /// GUILD_DELETE without `unavailable`, as Discord sends when a bot is removed.
    mutating func removeBot(guildID: Snowflake) throws -> [SandboxDispatch] {
        _ = try member(application.botUserID, in: guildID)
        guilds[guildID]?.members[application.botUserID] = nil
        guilds[guildID]?.memberOrder.removeAll { $0 == application.botUserID }
        return [event("GUILD_DELETE", guild: guildID, intents: SandboxIntents.guilds, .object(["id": .string(guildID.description)]))]
    }

    /// Gives or takes a role without permission checks (the control API acts as an admin).
    mutating func setMemberRole(guildID: Snowflake, userID: Snowflake, roleID: Snowflake, present: Bool) throws -> [SandboxDispatch] {
        var member = try member(userID, in: guildID)
        guard let role = guilds[guildID]?.roles[roleID], roleID != guildID else { throw SandboxAPIError.unknownRole }
        _ = role
        if present {
            guard !member.roleIDs.contains(roleID) else { return [] }
            member.roleIDs.append(roleID)
        } else {
            guard member.roleIDs.contains(roleID) else { return [] }
            member.roleIDs.removeAll { $0 == roleID }
        }
        guilds[guildID]?.members[userID] = member
        return [memberUpdateEvent(member, guildID: guildID)]
    }

    mutating func controlCreateRole(
        guildID: Snowflake, name: String, permissions: UInt64, position: Int?
    ) throws -> (SandboxRole, [SandboxDispatch]) {
        let guild = try guild(guildID)
        guard guild.roles.count < 250 else { throw SandboxAPIError.maxRoles }
        guard (1...100).contains(name.count) else {
            throw SandboxAPIError.invalidFormBody(["name"], code: "BASE_TYPE_BAD_LENGTH", message: "Must be between 1 and 100 in length.")
        }
        let role = SandboxRole(
            id: nextID(), name: name, position: max(1, position ?? 1), permissions: permissions, color: 0, hoist: false,
            managed: false, mentionable: false, botID: nil
        )
        insertRole(role, into: guildID)
        return (guilds[guildID]!.roles[role.id]!, [roleEvent("GUILD_ROLE_CREATE", role, guildID: guildID)])
    }

    /// Changes a role's permissions, name or position (the bot's own role included, to test
    /// what the bot may do with less).
    mutating func controlUpdateRole(
        guildID: Snowflake, roleID: Snowflake, name: String?, permissions: UInt64?, position: Int?
    ) throws -> (SandboxRole, [SandboxDispatch]) {
        let guild = try guild(guildID)
        guard var role = guild.roles[roleID] else { throw SandboxAPIError.unknownRole }
        if let name {
            guard (1...100).contains(name.count) else {
                throw SandboxAPIError.invalidFormBody(["name"], code: "BASE_TYPE_BAD_LENGTH", message: "Must be between 1 and 100 in length.")
            }
            role.name = name
        }
        if let permissions { role.permissions = permissions }
        var dispatches: [SandboxDispatch] = []
        if let position, roleID != guildID, position != role.position {
            guard position >= 1 else {
                throw SandboxAPIError.invalidFormBody(["position"], code: "NUMBER_TYPE_MIN", message: "int value should be greater than or equal to 1.")
            }
            // Move the role, shifting the ones in between so positions stay distinct.
            var roles = guild.roles
            for id in guild.roleOrder where id != roleID && id != guildID {
                let other = roles[id]!.position
                if role.position < position, other > role.position, other <= position { roles[id]!.position -= 1 }
                if role.position > position, other >= position, other < role.position { roles[id]!.position += 1 }
            }
            role.position = position
            roles[roleID] = role
            for id in guild.roleOrder where id != roleID && roles[id]!.position != guild.roles[id]!.position {
                dispatches.append(roleEvent("GUILD_ROLE_UPDATE", roles[id]!, guildID: guildID))
            }
            guilds[guildID]?.roles = roles
        }
        guilds[guildID]?.roles[roleID] = role
        dispatches.append(roleEvent("GUILD_ROLE_UPDATE", role, guildID: guildID))
        return (role, dispatches)
    }
}
