import GuildhallGuildSettings

extension InteractionContext {
    /// The invoker's access to the guild's settings, from the permissions Discord resolved
    /// for this interaction: owners and administrators arrive with every bit, so
    /// MANAGE_GUILD covers all three. Features check it again where the effect happens.
    public var invokerAccess: GuildAccess {
        invokerPermissions.contains(.administrator) || invokerPermissions.contains(.manageGuild) ? .manager : .none
    }
}
