import GuildhallCore
import GuildhallDiscordModels
import Logging

/// Everything a command or component handler needs about one interaction.
public struct InteractionContext: Sendable {
    public let interaction: Interaction
    public let logger: Logger

    public init(interaction: Interaction, logger: Logger) {
        self.interaction = interaction
        var logger = logger
        logger[metadataKey: "interaction_id"] = "\(interaction.id)"
        if let guild = interaction.guildID { logger[metadataKey: LogKey.guildID] = "\(guild)" }
        if let user = interaction.invoker?.id { logger[metadataKey: "user_id"] = "\(user)" }
        self.logger = logger
    }

    /// The guild the interaction came from, or a clear error for DMs.
    public func requireGuild() throws -> Snowflake {
        guard let guild = interaction.guildID else {
            throw GuildhallError(.invalidInput, "this command only works inside a server")
        }
        return guild
    }

    /// The person who invoked the interaction.
    public func requireInvoker() throws -> User {
        guard let user = interaction.invoker else {
            throw GuildhallError(.invalidInput, "the interaction names no user")
        }
        return user
    }

    /// The invoker's permissions in the channel, as Discord resolved them for this
    /// interaction (owners and administrators arrive with every bit set).
    public var invokerPermissions: Permissions {
        interaction.member?.permissions ?? []
    }
}
