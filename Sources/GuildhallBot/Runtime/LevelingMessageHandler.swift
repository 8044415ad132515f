import GuildhallCore
import GuildhallDiscordGateway
import GuildhallDiscordModels
import GuildhallGuildSettings
import GuildhallLeveling
import Logging
import Metrics

/// MESSAGE_CREATE into XP: where leveling is switched on, an eligible message earns XP once
/// per cooldown through one atomic script. No database call on this path: the module
/// switch comes from the settings service's memory copy, the award from the cache backend.
/// (The guild's own rules, level-up announcements, role rewards and the write-behind to the
/// database come with the rest of issue #6; until then every guild uses the default rules.)
public struct LevelingMessageHandler: GatewayEventHandler {
    let settings: GuildSettingsService
    let awards: XPAwards
    let rules: LevelingRules
    let logger: Logger

    public init(settings: GuildSettingsService, awards: XPAwards, rules: LevelingRules = LevelingRules(), logger: Logger) {
        self.settings = settings
        self.awards = awards
        self.rules = rules
        self.logger = logger
    }

    public func handle(_ event: ShardEvent) async {
        guard case .messageCreate(let message) = event.event, let guild = message.guildID else { return }
        guard rules.isEligible(authorIsBot: message.author.bot ?? false || message.webhookID != nil, channel: message.channelID, roles: message.member?.roles ?? []) else {
            return
        }
        do {
            guard try await settings.settings(for: guild).isEnabled(.leveling) else { return }
            var generator = SystemRandomNumberGenerator()
            let amount = rules.xpForMessage(multiplier: 1, using: &generator)
            let award = try await awards.award(amount, to: message.author.id, in: guild, cooldownSeconds: rules.cooldownSeconds)
            Counter(label: "guildhall_leveling_messages_total", dimensions: [("awarded", "\(award.awarded)")]).increment()
            if award.leveledUp {
                logger.info("level up", metadata: [
                    LogKey.guildID: "\(guild)", "user_id": "\(message.author.id)", "level": "\(award.levelAfter)", "xp": "\(award.total)",
                ])
            }
        } catch {
            logger.error("XP not awarded", metadata: [LogKey.guildID: "\(guild)", "user_id": "\(message.author.id)", "error": "\(error)"])
        }
    }
}
