
extension GuildPermissions {
    /// Permissions in a channel with `overwrites` (FACTS.md §5.1 steps 5–7): owners and
    /// administrators hold all; otherwise the @everyone overwrite, then the member's role
    /// overwrites combined (allow beats deny between roles), then the member's own overwrite.
    /// The implicit rules follow: without VIEW_CHANNEL nothing is left; without SEND_MESSAGES
    /// the permissions that only matter when sending go too; a running timeout at `now` leaves
    /// VIEW_CHANNEL and READ_MESSAGE_HISTORY.
    public func channelPermissions(
        of subject: PermissionSubject, overwrites: [PermissionOverwrite], at now: DiscordTimestamp? = nil
    ) -> Permissions {
        resolve(subject, overwrites: overwrites, isThread: false, at: now)
    }

    /// Permissions in `channel`. A thread takes its overwrites from `parent` (the channel
    /// named by its `parent_id`), and sending in it needs SEND_MESSAGES_IN_THREADS, which the
    /// result reports as SEND_MESSAGES. DMs are outside any guild: they yield the permissions
    /// a DM allows.
    public func permissions(
        of subject: PermissionSubject, in channel: Channel, parent: Channel? = nil, at now: DiscordTimestamp? = nil
    ) -> Permissions {
        if channel.type.isPrivate { return Self.directMessagePermissions }
        if channel.type.isThread {
            let overwrites = parent?.permissionOverwrites ?? channel.permissionOverwrites ?? []
            return resolve(subject, overwrites: overwrites, isThread: true, at: now)
        }
        return resolve(subject, overwrites: channel.permissionOverwrites ?? [], isThread: false, at: now)
    }

    /// What anyone may do in a DM with the bot.
    public static let directMessagePermissions: Permissions = [
        .viewChannel, .sendMessages, .readMessageHistory, .embedLinks, .attachFiles, .addReactions, .useExternalEmojis,
    ]

    private func resolve(
        _ subject: PermissionSubject, overwrites: [PermissionOverwrite], isThread: Bool, at now: DiscordTimestamp?
    ) -> Permissions {
        var permissions = unrestrictedBasePermissions(of: subject)
        if permissions == .all { return .all }

        if let everyone = overwrites.first(where: { $0.id == guildID && $0.type == .role }) {
            permissions = everyone.apply(to: permissions)
        }
        var roleAllow: Permissions = []
        var roleDeny: Permissions = []
        for overwrite in overwrites where overwrite.type == .role && overwrite.id != guildID {
            if subject.roleIDs.contains(overwrite.id) {
                roleAllow.formUnion(overwrite.allow)
                roleDeny.formUnion(overwrite.deny)
            }
        }
        permissions = permissions.subtracting(roleDeny).union(roleAllow)
        if let own = overwrites.first(where: { $0.type == .member && $0.id == subject.userID }) {
            permissions = own.apply(to: permissions)
        }

        if isThread {
            if permissions.contains(.sendMessagesInThreads) {
                permissions.insert(.sendMessages)
            } else {
                permissions.remove(.sendMessages)
            }
        }
        if let now, subject.isTimedOut(at: now) {
            permissions.formIntersection(.keptDuringTimeout)
        }
        if !permissions.contains(.viewChannel) { return [] }
        if !permissions.contains(.sendMessages) { permissions.subtract(.dependentOnSendMessages) }
        return permissions
    }
}
