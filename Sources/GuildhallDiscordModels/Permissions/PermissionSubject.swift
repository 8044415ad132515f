
/// The member a permission or hierarchy question is about: who they are, which roles they
/// hold, and until when they are timed out.
public struct PermissionSubject: Hashable, Sendable {
    public var userID: Snowflake
    public var roleIDs: [Snowflake]
    public var communicationDisabledUntil: DiscordTimestamp?

    public init(userID: Snowflake, roleIDs: [Snowflake] = [], communicationDisabledUntil: DiscordTimestamp? = nil) {
        self.userID = userID
        self.roleIDs = roleIDs
        self.communicationDisabledUntil = communicationDisabledUntil
    }

    /// From a member whose `user` is absent (MESSAGE_CREATE, resolved members): the id comes
    /// from elsewhere.
    public init(userID: Snowflake, member: GuildMember) {
        self.init(userID: userID, roleIDs: member.roles, communicationDisabledUntil: member.communicationDisabledUntil)
    }

    /// From a full member; `nil` when it carries no `user`.
    public init?(member: GuildMember) {
        guard let user = member.user else { return nil }
        self.init(userID: user.id, member: member)
    }

    public func isTimedOut(at now: DiscordTimestamp) -> Bool {
        guard let until = communicationDisabledUntil else { return false }
        return until > now
    }
}
