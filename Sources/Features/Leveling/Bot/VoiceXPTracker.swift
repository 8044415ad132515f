import GuildhallBot
import GuildhallCore
import GuildhallDiscordGateway
import GuildhallDiscordModels
import GuildhallGuildSettings
import Logging
import Metrics
import Synchronization

/// Voice XP: keeps the roster of who is in voice from this process's shards (GUILD_CREATE
/// and VOICE_STATE_UPDATE; a guild's voice states only reach the shard that owns it), and
/// on each tick pays a minute of voice XP where leveling is on.
public final class VoiceXPTracker: TickingGatewayEventHandler, Sendable {
    let settings: GuildSettingsService
    let leveling: LevelingService
    let logger: Logger
    /// Time between ticks; each pays one minute's voice XP.
    public let tick: Duration
    private let roster = Mutex(VoiceRoster())

    public init(settings: GuildSettingsService, leveling: LevelingService, logger: Logger, tick: Duration = .seconds(60)) {
        self.settings = settings
        self.leveling = leveling
        self.logger = logger
        self.tick = tick
    }

    /// A copy of the roster (tests, diagnostics).
    public var snapshot: VoiceRoster { roster.withLock { $0 } }

    public func handle(_ event: ShardEvent) async {
        switch event.event {
        case .guildCreate(let guild):
            roster.withLock { $0.seed(guild: guild.id, afkChannel: guild.afkChannelID, members: Self.presences(guild)) }
        case .guildCreateUnavailable(let guild), .guildDelete(let guild):
            roster.withLock { $0.remove(guild: guild.id) }
        case .guildMemberRemove(let left):
            roster.withLock { $0.remove(user: left.user.id, from: left.guildID) }
        case .voiceStateUpdate(let state):
            guard let guild = state.guildID else { return }
            roster.withLock { $0.update(guild: guild, user: state.userID, to: Self.presence(state, member: state.member)) }
        default:
            return
        }
        Gauge(label: "guildhall_leveling_voice_members").record(roster.withLock { $0.count })
    }

    static func presences(_ guild: Guild) -> [Snowflake: VoiceRoster.Presence] {
        var presences: [Snowflake: VoiceRoster.Presence] = [:]
        for state in guild.voiceStates ?? [] {
            // GUILD_CREATE's voice states carry no member; the guild's member list may.
            presences[state.userID] = presence(state, member: state.member ?? guild.member(state.userID))
        }
        return presences
    }

    /// A voice state as the roster keeps it; nil when the member is not in a channel. A
    /// member whose user is unknown counts as a human.
    static func presence(_ state: GatewayVoiceState, member: GuildMember?) -> VoiceRoster.Presence? {
        guard let channel = state.channelID else { return nil }
        return VoiceRoster.Presence(
            channel: channel, isBot: member?.user?.bot ?? false, muted: state.mute || state.selfMute || state.suppress,
            deafened: state.deaf || state.selfDeaf, roles: member?.roles ?? []
        )
    }

    /// One tick: a minute of voice XP for every earner in every guild with leveling on.
    /// Returns how many members were paid.
    @discardableResult
    public func payMinute() async -> Int {
        let earners = roster.withLock { roster in roster.guildIDs.map { ($0, roster.earners(in: $0)) } }
        // Paid at most once per tick even if ticks bunch up: the cooldown is most of a tick.
        let cooldown = min(60_000, max(1, Int(tick / .milliseconds(1) * 0.9)))
        var paid = 0
        for (guild, members) in earners where !members.isEmpty {
            do {
                guard try await settings.settings(for: guild).isEnabled(.leveling) else { continue }
                paid += try await leveling.awardVoiceMinute(guild: guild, earners: members, cooldownMilliseconds: cooldown)
            } catch {
                logger.error("voice XP not paid", metadata: [LogKey.guildID: "\(guild)", "members": "\(members.count)", "error": "\(error)"])
            }
        }
        return paid
    }

    /// Ticks until cancelled.
    public func run() async throws {
        while !Task.isCancelled {
            try await Task.sleep(for: tick)
            await payMinute()
        }
    }
}
