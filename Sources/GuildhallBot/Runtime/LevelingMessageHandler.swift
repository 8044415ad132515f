import GuildhallCore
import GuildhallDiscordGateway
import GuildhallDiscordModels
import GuildhallGuildSettings
import GuildhallLeveling
import Logging
import Metrics

/// MESSAGE_CREATE into XP: where leveling is switched on, an eligible message earns XP once
/// per cooldown through one atomic script, with the guild's rules from memory. No database
/// call on this path (except the one-off rebuild after Redis lost its data); level-ups
/// leave as jobs.
///
/// Awards run beside the event loop, at most `maxInFlight` at once (default
/// `defaultMaxInFlight`); when every slot is busy, the event loop waits. Order between
/// awards does not matter: each is one atomic script, and the cooldown is in Redis.
public struct LevelingMessageHandler: GatewayEventHandler {
    let settings: GuildSettingsService
    let leveling: LevelingService
    let logger: Logger
    let limit: InFlightLimit
    /// Called after each message with the time from its arrival to its award (or refusal).
    let observer: (@Sendable (Duration) -> Void)?

    /// Enough to hide one Redis round trip per message behind the next ones.
    public static let defaultMaxInFlight = 64

    public init(
        settings: GuildSettingsService, leveling: LevelingService, logger: Logger, maxInFlight: Int = defaultMaxInFlight,
        observer: (@Sendable (Duration) -> Void)? = nil
    ) {
        self.settings = settings
        self.leveling = leveling
        self.logger = logger
        self.limit = InFlightLimit(maxInFlight)
        self.observer = observer
    }

    public func handle(_ event: ShardEvent) async {
        guard case .messageCreate(let message) = event.event, message.guildID != nil else { return }
        let arrived = ContinuousClock.now
        await limit.acquire()
        Task {
            await award(message)
            limit.release()
            let elapsed = ContinuousClock.now - arrived
            let (seconds, attoseconds) = elapsed.components
            Timer(label: "guildhall_leveling_award_seconds").recordNanoseconds(seconds * 1_000_000_000 + attoseconds / 1_000_000_000)
            observer?(elapsed)
        }
    }

    /// Waits until every award started so far has finished.
    public func drain() async {
        while limit.inUse > 0 { try? await Task.sleep(for: .milliseconds(5)) }
    }

    func award(_ message: Message) async {
        guard let guild = message.guildID else { return }
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
