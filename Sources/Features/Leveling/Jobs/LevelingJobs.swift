import GuildhallCore
import GuildhallDiscordREST
import GuildhallJobs
import Logging
import Metrics

/// Leveling's jobs. A level-up posts its announcement once (claimed in the effect ledger)
/// and brings the member's reward roles in line; a reward sync does the latter for members
/// an admin changed. Role changes are idempotent (Discord's PUT and DELETE), so a job that
/// runs twice changes nothing more.
public enum LevelingJobs {
    public struct LevelUp: Codable, Sendable, Equatable {
        public var user: Snowflake
        /// Where the message that levelled them up was posted, or the voice channel.
        public var channel: Snowflake
        public var level: Int
        public var xp: Int64
        /// True when a minute in voice levelled them up: there is no text channel to answer
        /// in, so "same channel" announcements are not posted (rewards still are).
        public var fromVoice: Bool?

        public init(user: Snowflake, channel: Snowflake, level: Int, xp: Int64, fromVoice: Bool? = nil) {
            self.user = user
            self.channel = channel
            self.level = level
            self.xp = xp
            self.fromVoice = fromVoice
        }

        enum CodingKeys: String, CodingKey { case user, channel, level, xp, fromVoice = "from_voice" }
    }

    public struct SyncRewards: Codable, Sendable, Equatable {
        public var users: [Snowflake]

        public init(users: [Snowflake]) {
            self.users = users
        }
    }

    public static let levelUp = JobKind<LevelUp>(uncheckedName: "leveling.level-up", timeout: .seconds(30))
    public static let syncRewards = JobKind<SyncRewards>(uncheckedName: "leveling.sync-rewards", timeout: .seconds(120))
    /// Members per reward-sync job (reset-all and restore split theirs).
    public static let syncBatch = 50

    public static func register(in registry: inout JobRegistry, leveling: LevelingService, discord: LevelingDiscordSource) throws {
        try registry.register(levelUp) { context, payload in
            try await runLevelUp(payload, context: context, leveling: leveling, discord: try discord.require())
        }
        try registry.register(syncRewards) { context, payload in
            let discord = try discord.require()
            for user in payload.users {
                try await leveling.syncRewards(user: user, guild: context.guild, discord: discord, logger: context.logger)
            }
        }
    }

    static func runLevelUp(_ payload: LevelUp, context: JobContext, leveling: LevelingService, discord: any LevelingDiscord) async throws {
        let guild = context.guild
        let config = try await leveling.settings.config(for: guild)
        guard let member = try await discord.member(guild: guild, user: payload.user) else {
            context.logger.info("level-up skipped: the member left", metadata: ["user_id": "\(payload.user)"])
            return
        }
        // Rewards first: an announcement that cannot be posted must not hold them back.
        try await leveling.applyRewards(user: payload.user, guild: guild, roles: member.roles, config: config, discord: discord, logger: context.logger)
        if config.announcement.mode == .sameChannel, payload.fromVoice == true {
            context.logger.info("voice level-up not announced: same-channel announcements need a text channel", metadata: [
                "user_id": "\(payload.user)", "level": "\(payload.level)",
            ])
        } else if config.announcement.mode != .off {
            let effect = "leveling.announce.\(guild).\(payload.user).\(payload.level).\(payload.xp)"
            // Claim first, post second: a crash between the two loses one announcement
            // rather than posting it twice; a failed post gives the claim back for the retry.
            if try await context.effects.claim(effect, by: context.claimant) {
                do {
                    let text = LevelUpAnnouncement.render(config.announcement.template, .init(
                        user: payload.user, userName: member.name, level: payload.level, xp: payload.xp, serverName: try await discord.guildName(guild)
                    ))
                    switch config.announcement.mode {
                    case .off: break
                    case .sameChannel: try await discord.post(channel: payload.channel, content: text, mention: payload.user)
                    case .channel: try await discord.post(channel: config.announcement.channelID ?? payload.channel, content: text, mention: payload.user)
                    case .directMessage: try await discord.directMessage(user: payload.user, content: text)
                    }
                } catch let error as DiscordRESTError where error.status == 403 || error.status == 404 {
                    // Closed DMs, a deleted channel, no Send Messages: retrying cannot help.
                    Counter(label: "guildhall_leveling_announcement_refusals_total").increment()
                    context.logger.warning("level-up announcement refused by Discord; skipped", metadata: [
                        "user_id": "\(payload.user)", "mode": "\(config.announcement.mode.rawValue)", "error": "\(error)",
                    ])
                    return
                } catch {
                    _ = try? await context.effects.release(effect)
                    throw error
                }
                Counter(label: "guildhall_leveling_announcements_total", dimensions: [("mode", config.announcement.mode.rawValue)]).increment()
                context.logger.info("level-up announced", metadata: [
                    "user_id": "\(payload.user)", "level": "\(payload.level)", "mode": "\(config.announcement.mode.rawValue)",
                ])
            }
        }
    }
}
