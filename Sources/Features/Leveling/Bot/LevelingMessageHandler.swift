import GuildhallBot
import GuildhallCore
import GuildhallDiscordGateway
import GuildhallDiscordModels
import GuildhallGuildSettings
import Logging
import Metrics
import Synchronization

/// MESSAGE_CREATE into XP: where leveling is switched on, an eligible message earns XP once
/// per cooldown through one atomic script, with the guild's rules from memory. No database
/// call on this path (except the one-off rebuild after Redis lost its data); level-ups
/// leave as jobs.
///
/// Messages are queued and awarded beside the event loop in batches: whatever arrived
/// while the previous batch ran goes together, one script per guild, so a busy shard pays
/// one Redis round trip per guild per batch instead of one per message. At most
/// `maxInFlight` messages wait or run at once; beyond that the event loop waits.
public struct LevelingMessageHandler: GatewayEventHandler {
    let settings: GuildSettingsService
    let leveling: LevelingService
    let logger: Logger
    let limit: InFlightLimit
    private let queue: AwardQueue
    /// Called after each message with the time from its arrival to its award (or refusal).
    let observer: (@Sendable (Duration) -> Void)?
    let awardTime = Timer(label: "guildhall_leveling_award_seconds")

    /// Enough for batches to form under load while keeping a burst's memory small.
    public static let defaultMaxInFlight = 256

    public init(
        settings: GuildSettingsService, leveling: LevelingService, logger: Logger, maxInFlight: Int = defaultMaxInFlight,
        observer: (@Sendable (Duration) -> Void)? = nil
    ) {
        self.settings = settings
        self.leveling = leveling
        self.logger = logger
        self.limit = InFlightLimit(maxInFlight)
        self.queue = AwardQueue()
        self.observer = observer
    }

    public func handle(_ event: ShardEvent) async {
        guard case .messageCreate(let message) = event.event, let guild = message.guildID else { return }
        let isBot = message.author.bot ?? false || message.webhookID != nil
        guard !isBot else { return }
        await limit.acquire()
        let pending = AwardQueue.Pending(
            guild: guild, message: .init(channel: message.channelID, author: message.author.id, roles: message.member?.roles ?? []),
            arrived: ContinuousClock.now
        )
        if queue.add(pending) {
            Task { await drainQueue() }
        }
    }

    /// Waits until every award started so far has finished.
    public func drain() async {
        while limit.inUse > 0 { try? await Task.sleep(for: .milliseconds(5)) }
    }

    /// Awards batches until the queue is empty; one drainer runs at a time.
    func drainQueue() async {
        while let batch = queue.take() {
            let byGuild = Dictionary(grouping: batch, by: \.guild)
            await withTaskGroup(of: Void.self) { group in
                for (guild, items) in byGuild {
                    group.addTask { await award(items, in: guild) }
                }
            }
            for item in batch {
                limit.release()
                let elapsed = ContinuousClock.now - item.arrived
                let (seconds, attoseconds) = elapsed.components
                awardTime.recordNanoseconds(seconds * 1_000_000_000 + attoseconds / 1_000_000_000)
                observer?(elapsed)
            }
        }
    }

    func award(_ items: [AwardQueue.Pending], in guild: Snowflake) async {
        do {
            guard try await settings.settings(for: guild).isEnabled(.leveling) else { return }
            _ = try await leveling.handleMessages(guild: guild, items.map(\.message))
        } catch {
            logger.error("XP not awarded", metadata: [LogKey.guildID: "\(guild)", "messages": "\(items.count)", "error": "\(error)"])
        }
    }
}

/// Messages waiting for their award, and whether a drainer is working on them.
final class AwardQueue: Sendable {
    struct Pending: Sendable {
        var guild: Snowflake
        var message: LevelingService.GuildMessage
        var arrived: ContinuousClock.Instant
    }

    private struct State {
        var pending: [Pending] = []
        var draining = false
    }

    private let state = Mutex(State())

    /// Queues `item`; true when the caller must start a drainer.
    func add(_ item: Pending) -> Bool {
        state.withLock { state in
            state.pending.append(item)
            guard !state.draining else { return false }
            state.draining = true
            return true
        }
    }

    /// Everything queued, or nil (and the drainer stops) when nothing is.
    func take() -> [Pending]? {
        state.withLock { state in
            guard !state.pending.isEmpty else {
                state.draining = false
                return nil
            }
            defer { state.pending.removeAll(keepingCapacity: true) }
            return state.pending
        }
    }
}
