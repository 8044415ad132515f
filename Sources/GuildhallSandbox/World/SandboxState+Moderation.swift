import GuildhallCore
import GuildhallDiscordModels

/// What the bot may do to members (nicknames, roles, timeouts, kicks, bans) and roles, with
/// Discord's permission and hierarchy checks (FACTS.md §5.2) and the events that follow.
extension SandboxState {
    static let maxTimeoutSeconds: Double = 28 * 86_400

    func requireBotPermission(_ permission: Permissions, in guild: SandboxGuild, now: Double) throws(SandboxAPIError) {
        guard permissions(of: application.botUserID, in: guild, channel: nil, now: now).contains(permission) else {
            throw .missingPermissions
        }
    }

    func memberUpdateEvent(_ member: SandboxMember, guildID: Snowflake) -> SandboxDispatch {
        let json = SandboxWire.set(memberJSON(member), "guild_id", .string(guildID.description))
        // The bot hears about its own member even without GUILD_MEMBERS.
        let intents = member.userID == application.botUserID ? 0 : SandboxIntents.guildMembers
        return event("GUILD_MEMBER_UPDATE", guild: guildID, intents: intents, json)
    }

    func memberRemoveEvent(_ userID: Snowflake, guildID: Snowflake) -> SandboxDispatch {
        event("GUILD_MEMBER_REMOVE", guild: guildID, intents: SandboxIntents.guildMembers,
              .object(["guild_id": .string(guildID.description), "user": userJSON(userID)]))
    }

    mutating func audit(_ guildID: Snowflake, _ action: String, target: Snowflake?, reason: String?, now: Double) {
        guilds[guildID]?.auditLog.append(SandboxAuditEntry(action: action, targetID: target, reason: reason, at: Self.timestamp(now)))
    }

    mutating func modifyMember(
        guildID: Snowflake, userID: Snowflake, bytes: [UInt8], reason: String?, now: Double
    ) throws(SandboxAPIError) -> (SandboxMember, [SandboxDispatch]) {
        let guild = try guild(guildID)
        var member = try member(userID, in: guildID)
        let request = try RequestBody.decode(ModifyGuildMemberRequest.self, bytes: bytes)
        let issues = request.validationIssues(now: Self.timestamp(now))
        if !issues.isEmpty { throw .invalidFormBody(issues) }
        let bot = application.botUserID
        let granted = permissions(of: bot, in: guild, channel: nil, now: now)

        if !request.nick.isAbsent {
            if userID == bot {
                guard granted.contains(.changeNickname) || granted.contains(.manageNicknames) else { throw .missingPermissions }
            } else {
                guard botMay(.changeNickname, on: userID, in: guild, now: now) else { throw .missingPermissions }
            }
            member.nick = request.nick.wrapped.flatMap { $0.isEmpty ? nil : $0 }
        }
        if let requested = request.roles {
            guard granted.contains(.manageRoles) else { throw .missingPermissions }
            for (index, id) in requested.enumerated() where guild.roles[id] == nil || id == guild.id {
                throw .invalidFormBody(["roles", String(index)], code: "UNKNOWN_ROLE", message: "Unknown role")
            }
            for id in Set(requested).symmetricDifference(member.roleIDs).sorted() {
                try requireBotMayAssign(id, in: guild, now: now)
            }
            var unique: [Snowflake] = []
            for id in requested where !unique.contains(id) { unique.append(id) }
            member.roleIDs = unique
        }
        if !request.communicationDisabledUntil.isAbsent {
            guard botMay(.timeout, on: userID, in: guild, now: now) else { throw .missingPermissions }
            member.communicationDisabledUntil = request.communicationDisabledUntil.wrapped
        }
        if let mute = request.mute {
            guard granted.contains(.muteMembers) else { throw .missingPermissions }
            member.mute = mute
        }
        if let deaf = request.deaf {
            guard granted.contains(.deafenMembers) else { throw .missingPermissions }
            member.deaf = deaf
        }
        guilds[guildID]?.members[userID] = member
        audit(guildID, "member_update", target: userID, reason: reason, now: now)
        return (member, [memberUpdateEvent(member, guildID: guildID)])
    }

    mutating func changeMemberRole(
        guildID: Snowflake, userID: Snowflake, roleID: Snowflake, add: Bool, reason: String?, now: Double
    ) throws(SandboxAPIError) -> [SandboxDispatch] {
        let guild = try guild(guildID)
        var member = try member(userID, in: guildID)
        try requireBotMayAssign(roleID, in: guild, now: now)
        if add {
            guard !member.roleIDs.contains(roleID) else { return [] }
            member.roleIDs.append(roleID)
        } else {
            guard member.roleIDs.contains(roleID) else { return [] }
            member.roleIDs.removeAll { $0 == roleID }
        }
        guilds[guildID]?.members[userID] = member
        audit(guildID, "member_role_update", target: userID, reason: reason, now: now)
        return [memberUpdateEvent(member, guildID: guildID)]
    }

    mutating func kickMember(guildID: Snowflake, userID: Snowflake, reason: String?, now: Double) throws(SandboxAPIError) -> [SandboxDispatch] {
        let guild = try guild(guildID)
        _ = try member(userID, in: guildID)
        guard botMay(.kick, on: userID, in: guild, now: now) else { throw .missingPermissions }
        guilds[guildID]?.members[userID] = nil
        guilds[guildID]?.memberOrder.removeAll { $0 == userID }
        audit(guildID, "member_kick", target: userID, reason: reason, now: now)
        return disconnectVoice(userID, guildID: guildID) + [memberRemoveEvent(userID, guildID: guildID)]
    }

    mutating func banMember(
        guildID: Snowflake, userID: Snowflake, bytes: [UInt8], reason: String?, now: Double
    ) throws(SandboxAPIError) -> [SandboxDispatch] {
        let guild = try guild(guildID)
        _ = try user(userID)
        let request = try RequestBody.decode(CreateGuildBanRequest.self, bytes: bytes)
        if let seconds = request.deleteMessageSeconds, !(0...CreateGuildBanRequest.maximumDeleteMessageSeconds).contains(seconds) {
            throw .invalidFormBody(["delete_message_seconds"], code: "NUMBER_TYPE_MAX", message: "int value should be less than or equal to 604800.")
        }
        if let days = request.deleteMessageDays, !(0...7).contains(days) {
            throw .invalidFormBody(["delete_message_days"], code: "NUMBER_TYPE_MAX", message: "int value should be less than or equal to 7.")
        }
        try requireBotPermission(.banMembers, in: guild, now: now)
        if guild.members[userID] != nil || userID == guild.ownerID {
            guard botMay(.ban, on: userID, in: guild, now: now) else { throw .missingPermissions }
        }
        let seconds = max(request.deleteMessageSeconds ?? 0, (request.deleteMessageDays ?? 0) * 86_400)

        var dispatches: [SandboxDispatch] = []
        if guild.members[userID] != nil {
            guilds[guildID]?.members[userID] = nil
            guilds[guildID]?.memberOrder.removeAll { $0 == userID }
            dispatches += disconnectVoice(userID, guildID: guildID)
            dispatches.append(memberRemoveEvent(userID, guildID: guildID))
        }
        guilds[guildID]?.bans[userID] = SandboxBan(userID: userID, reason: reason)
        dispatches.append(event("GUILD_BAN_ADD", guild: guildID, intents: SandboxIntents.guildModeration,
                                .object(["guild_id": .string(guildID.description), "user": userJSON(userID)])))
        if seconds > 0 {
            let cutoff = Self.timestamp(now - Double(seconds))
            for channelID in guild.channelIDs {
                let doomed = (channelMessages[channelID] ?? []).compactMap { messages[$0] }
                    .filter { $0.authorID == userID && $0.timestamp >= cutoff }
                for message in doomed {
                    removeMessage(message)
                    dispatches.append(messageDeleteEvent(message))
                }
            }
        }
        audit(guildID, "member_ban_add", target: userID, reason: reason, now: now)
        return dispatches
    }

    mutating func unbanMember(guildID: Snowflake, userID: Snowflake, reason: String?, now: Double) throws(SandboxAPIError) -> [SandboxDispatch] {
        let guild = try guild(guildID)
        try requireBotPermission(.banMembers, in: guild, now: now)
        guard guild.bans[userID] != nil else { throw .unknownBan }
        guilds[guildID]?.bans[userID] = nil
        audit(guildID, "member_ban_remove", target: userID, reason: reason, now: now)
        return [event("GUILD_BAN_REMOVE", guild: guildID, intents: SandboxIntents.guildModeration,
                      .object(["guild_id": .string(guildID.description), "user": userJSON(userID)]))]
    }

    func bans(guildID: Snowflake, now: Double) throws(SandboxAPIError) -> [SandboxBan] {
        let guild = try guild(guildID)
        try requireBotPermission(.banMembers, in: guild, now: now)
        return guild.bans.values.sorted { $0.userID < $1.userID }
    }

    /// Members by user id after `after`, at most `limit` (1–1000, default 1). Needs the
    /// GUILD_MEMBERS intent switched on for the application, as on Discord.
    func listMembers(guildID: Snowflake, query: [String: String], privilegedIntents: UInt64) throws(SandboxAPIError) -> [SandboxMember] {
        let guild = try guild(guildID)
        guard privilegedIntents & SandboxIntents.guildMembers != 0 else { throw .missingAccess }
        let limit = try Self.queryInteger(query, "limit", range: 1...1_000) ?? 1
        let after = try Self.querySnowflake(query, "after") ?? Snowflake(0)
        return Array(guild.members.values.filter { $0.userID > after }.sorted { $0.userID < $1.userID }.prefix(limit))
    }

    mutating func createRole(guildID: Snowflake, body: RequestBody, reason: String?, now: Double) throws(SandboxAPIError) -> (SandboxRole, [SandboxDispatch]) {
        let guild = try guild(guildID)
        try requireBotPermission(.manageRoles, in: guild, now: now)
        guard guild.roles.count < 250 else { throw .maxRoles }
        let name = try body.string("name", maxLength: 100) ?? "new role"
        var bits: UInt64 = guild.roles[guild.id]?.permissions ?? 0
        switch body.fields["permissions"] {
        case .string(let text)?:
            guard let value = UInt64(text) else {
                throw .invalidFormBody(["permissions"], code: "NUMBER_TYPE_COERCE", message: "Value \"\(text)\" is not int.")
            }
            bits = value
        case nil, .null?:
            break
        default:
            bits = UInt64(try body.integer("permissions", range: 0...Int64.max) ?? 0)
        }
        let botPermissions = basePermissions(of: application.botUserID, in: guild)
        guard botPermissions.isSuperset(of: Permissions(rawValue: bits)) else { throw .missingPermissions }
        let role = SandboxRole(
            id: nextID(), name: name, position: 1, permissions: bits, color: Int(try body.integer("color", range: 0...0xFFFFFF) ?? 0),
            hoist: try body.bool("hoist") ?? false, managed: false, mentionable: try body.bool("mentionable") ?? false, botID: nil
        )
        insertRole(role, into: guildID)
        audit(guildID, "role_create", target: role.id, reason: reason, now: now)
        return (role, [roleEvent("GUILD_ROLE_CREATE", role, guildID: guildID)])
    }

    /// Adds `role`, moving every role at or above its position up one, as Discord keeps positions distinct.
    mutating func insertRole(_ role: SandboxRole, into guildID: Snowflake) {
        guard var guild = guilds[guildID] else { return }
        for id in guild.roleOrder where id != guildID && guild.roles[id]!.position >= role.position {
            guild.roles[id]!.position += 1
        }
        guild.roles[role.id] = role
        guild.roleOrder.append(role.id)
        guilds[guildID] = guild
    }

    func roleEvent(_ name: String, _ role: SandboxRole, guildID: Snowflake) -> SandboxDispatch {
        event(name, guild: guildID, intents: SandboxIntents.guilds,
              .object(["guild_id": .string(guildID.description), "role": roleJSON(role)]))
    }
}
