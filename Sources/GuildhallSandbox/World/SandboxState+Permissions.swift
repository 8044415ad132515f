import GuildhallCore
import GuildhallDiscordModels

/// Permissions and the role hierarchy from the world, through the model's `GuildPermissions`
/// and `RoleHierarchy` (FACTS.md §5): the sandbox refuses what Discord would refuse, by the
/// same algorithm the bot uses to decide what to try.
extension SandboxState {
    func roleModel(_ role: SandboxRole) -> Role {
        Role(
            id: role.id, name: role.name, color: role.color, hoist: role.hoist, position: role.position,
            permissions: Permissions(rawValue: role.permissions), managed: role.managed, mentionable: role.mentionable,
            tags: role.botID.map { RoleTags(botID: $0) }
        )
    }

    func guildPermissions(_ guild: SandboxGuild) -> GuildPermissions {
        GuildPermissions(guildID: guild.id, ownerID: guild.ownerID, roles: guild.orderedRoles.map(roleModel))
    }

    func subject(_ userID: Snowflake, in guild: SandboxGuild) -> PermissionSubject {
        let member = guild.members[userID]
        return PermissionSubject(
            userID: userID, roleIDs: member?.roleIDs ?? [], communicationDisabledUntil: member?.communicationDisabledUntil
        )
    }

    /// Guild-level permissions (what `GET /users/@me/guilds` reports); nothing for non-members.
    func basePermissions(of userID: Snowflake, in guild: SandboxGuild) -> Permissions {
        guard guild.members[userID] != nil else { return [] }
        return guildPermissions(guild).basePermissions(of: subject(userID, in: guild))
    }

    /// Permissions in `channel` at `now` (overwrites, timeouts and the implicit rules applied);
    /// guild-level ones when `channel` is nil.
    func permissions(of userID: Snowflake, in guild: SandboxGuild, channel: SandboxChannel?, now: Double) -> Permissions {
        guard guild.members[userID] != nil else { return [] }
        let calculator = guildPermissions(guild)
        let who = subject(userID, in: guild)
        guard let channel else { return calculator.basePermissions(of: who, at: Self.timestamp(now)) }
        return calculator.channelPermissions(of: who, overwrites: channel.overwrites.map(Self.overwrite), at: Self.timestamp(now))
    }

    static func overwrite(_ record: SandboxOverwrite) -> PermissionOverwrite {
        PermissionOverwrite(
            id: record.id, type: record.target == .role ? .role : .member,
            allow: Permissions(rawValue: record.allow), deny: Permissions(rawValue: record.deny)
        )
    }

    /// Whether the bot may take `action` against `targetID` (permission, owner, administrator
    /// and hierarchy rules); Discord answers a refusal with 50013.
    func botMay(_ action: ModerationAction, on targetID: Snowflake, in guild: SandboxGuild, now: Double) -> Bool {
        RoleHierarchy(guildPermissions(guild)).check(
            action, by: subject(application.botUserID, in: guild), on: subject(targetID, in: guild), as: .bot,
            at: Self.timestamp(now)
        ).isAllowed
    }

    /// Whether the bot may give or take `roleID`: 10011 for a role that does not exist, 50013
    /// for one that is managed, @everyone, or not below the bot's highest role.
    func requireBotMayAssign(_ roleID: Snowflake, in guild: SandboxGuild, now: Double) throws(SandboxAPIError) {
        let decision = RoleHierarchy(guildPermissions(guild)).checkRoleAssignment(
            roleID, by: subject(application.botUserID, in: guild), as: .bot, at: Self.timestamp(now)
        )
        switch decision.refusal?.code {
        case nil: return
        case .unknownRole?: throw .unknownRole
        default: throw .missingPermissions
        }
    }
}
