import GuildhallCore
import GuildhallDiscordGateway
import GuildhallDiscordModels
import GuildhallGuildSettings
import GuildhallLeveling
import Logging

/// MESSAGE_CREATE into XP: where leveling is switched on, an eligible message earns XP once
/// per cooldown through one atomic script, with the guild's rules from memory. No database
/// call on this path (except the one-off rebuild after Redis lost its data); level-ups
/// leave as jobs.
public struct LevelingMessageHandler: GatewayEventHandler {
    let settings: GuildSettingsService
    let leveling: LevelingService
    let logger: Logger

    public init(settings: GuildSettingsService, leveling: LevelingService, logger: Logger) {
        self.settings = settings
        self.leveling = leveling
        self.logger = logger
    }

    public func handle(_ event: ShardEvent) async {
        guard case .messageCreate(let message) = event.event, let guild = message.guildID else { return }
        let isBot = message.author.bot ?? false || message.webhookID != nil
        guard !isBot else { return }
        do {
            guard try await settings.settings(for: guild).isEnabled(.leveling) else { return }
            try await leveling.handleMessage(
                guild: guild, channel: message.channelID, author: message.author.id, authorIsBot: isBot, roles: message.member?.roles ?? []
            )
        } catch {
            logger.error("XP not awarded", metadata: [LogKey.guildID: "\(guild)", "user_id": "\(message.author.id)", "error": "\(error)"])
        }
    }
}
