
extension RoleHierarchy {
    /// May `actor` take `action` against `target`? In order: nobody acts on themselves or on
    /// the owner; administrators cannot be timed out; the owner may do anything else; others
    /// need the action's permission (at `now`, so a timed-out moderator has none) and a
    /// highest role strictly above the target's. `party` says whose side a refusal names.
    public func check(
        _ action: ModerationAction, by actor: PermissionSubject, on target: PermissionSubject,
        as party: ModerationRefusal.Party = .actor, at now: DiscordTimestamp
    ) -> ModerationDecision {
        let subject = party == .actor ? "You" : "I"
        if actor.userID == target.userID {
            return refuse(.targetIsSelf, party, "\(subject) cannot \(action.verb) \(party == .actor ? "yourself" : "myself").")
        }
        if guild.isOwner(target) {
            return refuse(.targetIsOwner, party, "\(subject) cannot \(action.verb) the server owner.")
        }
        if action == .timeout, guild.isAdministrator(target) {
            return refuse(.targetIsAdministrator, party, "\(subject) cannot time out an administrator.")
        }
        if guild.isOwner(actor) { return .allowed }
        let missing = action.requiredPermission.subtracting(guild.basePermissions(of: actor, at: now))
        if !missing.isEmpty {
            return .refused(ModerationRefusal(
                code: .missingPermissions, party: party, missingPermissions: missing,
                message: "\(subject) need the \(missing.names.joined(separator: ", ")) permission to \(action.verb) members."
            ))
        }
        if !outranks(actor, target) {
            let whose = party == .actor ? "your" : "my"
            return refuse(.targetNotBelow, party, "\(subject) cannot \(action.verb) someone whose highest role is not below \(whose) highest role.")
        }
        return .allowed
    }

    /// Checks the member who asked, then the bot that would carry it out: a command runs only
    /// when both may.
    public func check(
        _ action: ModerationAction, invoker: PermissionSubject, bot: PermissionSubject, on target: PermissionSubject,
        at now: DiscordTimestamp
    ) -> ModerationDecision {
        check(action, by: invoker, on: target, as: .actor, at: now)
            .then { check(action, by: bot, on: target, as: .bot, at: now) }
    }

    /// May `actor` give or take away the role `roleID`? The role must exist, not be @everyone,
    /// not be managed by an integration, and (unless the actor owns the guild) lie strictly
    /// below the actor's highest role, with MANAGE_ROLES held at `now`.
    public func checkRoleAssignment(
        _ roleID: Snowflake, by actor: PermissionSubject, as party: ModerationRefusal.Party = .actor, at now: DiscordTimestamp
    ) -> ModerationDecision {
        let subject = party == .actor ? "You" : "I"
        guard let role = guild.roles[roleID] else {
            return refuse(.unknownRole, party, "That role does not exist in this server.")
        }
        if role.id == guild.guildID {
            return refuse(.roleIsEveryone, party, "@everyone cannot be assigned or removed.")
        }
        if role.managed {
            return refuse(.roleIsManaged, party, "The role \(role.name) is managed by an integration and cannot be assigned by hand.")
        }
        if guild.isOwner(actor) { return .allowed }
        if !guild.basePermissions(of: actor, at: now).contains(.manageRoles) {
            return .refused(ModerationRefusal(
                code: .missingPermissions, party: party, missingPermissions: .manageRoles,
                message: "\(subject) need the MANAGE_ROLES permission to assign roles."
            ))
        }
        if !Self.ranks(highestRole(of: actor), above: role) {
            let whose = party == .actor ? "your" : "my"
            return refuse(.roleNotBelow, party, "The role \(role.name) is not below \(whose) highest role.")
        }
        return .allowed
    }

    /// Checks the member who asked, then the bot.
    public func checkRoleAssignment(
        _ roleID: Snowflake, invoker: PermissionSubject, bot: PermissionSubject, at now: DiscordTimestamp
    ) -> ModerationDecision {
        checkRoleAssignment(roleID, by: invoker, as: .actor, at: now)
            .then { checkRoleAssignment(roleID, by: bot, as: .bot, at: now) }
    }

    /// A timeout must end after `now` and at most 28 days later.
    public static func validateTimeout(until: DiscordTimestamp, now: DiscordTimestamp) -> ModerationDecision {
        let length = until.duration(since: now)
        if length <= .zero {
            return .refused(ModerationRefusal(code: .timeoutNotInFuture, party: nil, message: "A timeout must end in the future."))
        }
        if length > maximumTimeout {
            return .refused(ModerationRefusal(code: .timeoutTooLong, party: nil, message: "A timeout can last at most 28 days."))
        }
        return .allowed
    }

    /// A timeout of `length` starting at `now`.
    public static func validateTimeout(length: Duration, now: DiscordTimestamp) -> ModerationDecision {
        validateTimeout(until: now.advanced(by: length), now: now)
    }

    private func refuse(_ code: ModerationRefusal.Code, _ party: ModerationRefusal.Party, _ message: String) -> ModerationDecision {
        .refused(ModerationRefusal(code: code, party: party, message: message))
    }
}
