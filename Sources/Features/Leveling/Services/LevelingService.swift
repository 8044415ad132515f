import Foundation
import GuildhallCore
import GuildhallDiscordREST
import GuildhallGuildSettings
import GuildhallJobs
import Logging
import Metrics
import Synchronization

/// A member's standing: live XP, level, progress and place on the leaderboard.
public struct RankCard: Sendable, Equatable {
    public var user: Snowflake
    public var xp: Int64
    public var level: Int
    /// XP earned inside the current level, and what the next level needs.
    public var progress: Int64
    public var needed: Int64
    public var rank: Int
    public var ranked: Int
}

/// Leveling's operations: the message hot path, admin changes, resets, the rebuild from
/// the database, the write-behind and reward roles. The bot, the API and the jobs all come
/// here, so every path applies the same checks.
public final class LevelingService: Sendable {
    public let settings: LevelingSettingsService
    public let store: LevelingStore
    public let awards: XPAwards
    /// Where level-ups and reward syncs go (nil in tools that only read).
    let queue: JobQueue?
    let logger: Logger
    private let rebuilds = Mutex<[Snowflake: Task<Int, any Error>]>([:])
    private let premiumAllowed = Mutex<[PlanCheck: (allowed: Bool, until: ContinuousClock.Instant)]>([:])
    // The message path's metric handles, made once.
    private let levelUps = Counter(label: "guildhall_leveling_level_ups_total")
    private let messagesAwarded = Counter(label: "guildhall_leveling_messages_total", dimensions: [("awarded", "true")])
    private let messagesNotAwarded = Counter(label: "guildhall_leveling_messages_total", dimensions: [("awarded", "false")])

    private struct PlanCheck: Hashable {
        var guild: Snowflake
        var voice: Bool
    }

    public init(settings: LevelingSettingsService, awards: XPAwards, queue: JobQueue?, logger: Logger) {
        self.settings = settings
        self.store = settings.store
        self.awards = awards
        self.queue = queue
        var logger = logger
        logger[metadataKey: LogKey.feature] = .string(LevelingSettingsService.feature)
        self.logger = logger
    }

    // MARK: The hot path

    /// A message from a member: XP once per cooldown, a level-up job when a level is reached.
    /// Returns nil when the message earns nothing (a bot, an ignored channel or role).
    @discardableResult
    public func handleMessage(guild: Snowflake, channel: Snowflake, author: Snowflake, authorIsBot: Bool, roles: [Snowflake]) async throws -> XPAward? {
        try await handleMessages(guild: guild, [GuildMessage(channel: channel, author: author, authorIsBot: authorIsBot, roles: roles)])[0]
    }

    /// A message as the hot path needs it.
    public struct GuildMessage: Sendable, Equatable {
        public var channel: Snowflake
        public var author: Snowflake
        public var authorIsBot: Bool
        public var roles: [Snowflake]

        public init(channel: Snowflake, author: Snowflake, authorIsBot: Bool = false, roles: [Snowflake] = []) {
            self.channel = channel
            self.author = author
            self.authorIsBot = authorIsBot
            self.roles = roles
        }
    }

    /// Several messages of one guild, in order, with one award script: the answers are in
    /// the order of `messages` (nil for one that earns nothing).
    public func handleMessages(guild: Snowflake, _ messages: [GuildMessage]) async throws -> [XPAward?] {
        let config = try await settings.config(for: guild)
        let rules = config.rules
        var generator = SystemRandomNumberGenerator()
        var multipliersOn: Bool?
        var eligible: [(index: Int, user: Snowflake, amount: Int64)] = []
        for (index, message) in messages.enumerated() {
            guard rules.isEligible(authorIsBot: message.authorIsBot, channel: message.channel, roles: message.roles) else { continue }
            var multiplier = 1.0
            if !rules.roleMultipliers.isEmpty, message.roles.contains(where: { rules.roleMultipliers[$0] != nil }) {
                if multipliersOn == nil { multipliersOn = await multipliersAllowed(guild: guild) }
                multiplier = rules.multiplier(roles: message.roles, premium: multipliersOn ?? false)
            }
            eligible.append((index, message.author, rules.xpForMessage(multiplier: multiplier, using: &generator)))
        }
        var answers = [XPAward?](repeating: nil, count: messages.count)
        guard !eligible.isEmpty else { return answers }
        let batch = eligible.map { (user: $0.user, amount: $0.amount) }
        let awards = try await loaded(guild) { try await self.awards.award(batch: batch, in: guild, cooldownSeconds: rules.cooldownSeconds) }
        var earned = 0
        for (entry, award) in zip(eligible, awards) {
            answers[entry.index] = award
            if award.awarded { earned += 1 }
            if award.leveledUp {
                levelUps.increment()
                logger.info("level up", metadata: [LogKey.guildID: "\(guild)", "user_id": "\(entry.user)", "level": "\(award.levelAfter)", "xp": "\(award.total)"])
                try await enqueueLevelUp(user: entry.user, channel: messages[entry.index].channel, award: award, guild: guild)
            }
        }
        messagesAwarded.increment(by: Int64(earned))
        messagesNotAwarded.increment(by: Int64(awards.count - earned))
        return answers
    }

    func enqueueLevelUp(user: Snowflake, channel: Snowflake, award: XPAward, guild: Snowflake, fromVoice: Bool = false) async throws {
        guard let queue else { return }
        // The total makes the key unique per award, so a level reached again after a reset
        // is announced again, and a duplicate enqueue of one award is not.
        _ = try await queue.enqueue(
            LevelingJobs.levelUp,
            LevelingJobs.LevelUp(user: user, channel: channel, level: award.levelAfter, xp: award.total, fromVoice: fromVoice ? true : nil), guild: guild,
            idempotencyKey: "levelup-\(user)-\(award.levelAfter)-\(award.total)"
        )
    }

    /// Multipliers apply only while the plan allows them; the answer is kept 30 s so the hot
    /// path does not ask the database per message.
    func multipliersAllowed(guild: Snowflake) async -> Bool {
        await planAllows(PlanCheck(guild: guild, voice: false))
    }

    /// Voice XP is paid only while the plan allows it (asked at most every 30 s).
    func voiceXPAllowed(guild: Snowflake) async -> Bool {
        await planAllows(PlanCheck(guild: guild, voice: true))
    }

    private func planAllows(_ check: PlanCheck) async -> Bool {
        let now = ContinuousClock.now
        if let cached = premiumAllowed.withLock({ $0[check] }), cached.until > now { return cached.allowed }
        let allowed = check.voice ? await settings.voiceXPAllowed(guild: check.guild) : await settings.multipliersAllowed(guild: check.guild)
        premiumAllowed.withLock { $0[check] = (allowed, now + .seconds(30)) }
        return allowed
    }

    // MARK: Voice

    /// One voice tick in `guild`: each earner gets the guild's voice XP per minute (with
    /// role multipliers, minus ignored channels and roles), at most once per
    /// `cooldownMilliseconds`. Nothing when voice XP is off or the plan does not allow it.
    /// Returns how many members were paid.
    @discardableResult
    public func awardVoiceMinute(guild: Snowflake, earners: [VoiceRoster.Earner], cooldownMilliseconds: Int) async throws -> Int {
        guard !earners.isEmpty else { return 0 }
        let config = try await settings.config(for: guild)
        guard config.voiceXPPerMinute > 0 else { return 0 }
        guard await voiceXPAllowed(guild: guild) else {
            Counter(label: "guildhall_leveling_voice_unpaid_total", dimensions: [("reason", "plan")]).increment(by: Int64(earners.count))
            return 0
        }
        let rules = config.rules
        let multipliersOn = rules.roleMultipliers.isEmpty ? false : await multipliersAllowed(guild: guild)
        var paid = 0
        for earner in earners where rules.isEligible(authorIsBot: false, channel: earner.channel, roles: earner.roles) {
            let multiplier = rules.multiplier(roles: earner.roles, premium: multipliersOn)
            let amount = max(1, Int64((Double(config.voiceXPPerMinute) * multiplier).rounded()))
            let award = try await loaded(guild) {
                try await self.awards.awardVoice(amount, to: earner.user, in: guild, cooldownMilliseconds: cooldownMilliseconds)
            }
            guard award.awarded else { continue }
            paid += 1
            if award.leveledUp {
                Counter(label: "guildhall_leveling_level_ups_total").increment()
                logger.info("level up in voice", metadata: [
                    LogKey.guildID: "\(guild)", "user_id": "\(earner.user)", "level": "\(award.levelAfter)", "xp": "\(award.total)",
                ])
                try await enqueueLevelUp(user: earner.user, channel: earner.channel, award: award, guild: guild, fromVoice: true)
            }
        }
        Counter(label: "guildhall_leveling_voice_awards_total").increment(by: Int64(paid))
        return paid
    }

    /// Runs a totals operation, rebuilding the guild from the database first when the
    /// cache does not hold its totals (first use, or Redis lost its data).
    func loaded<T: Sendable>(_ guild: Snowflake, _ operation: @Sendable () async throws -> T) async throws -> T {
        do {
            return try await operation()
        } catch let error as GuildhallError where error.code == XPAwards.notLoadedCode {
            _ = try await rebuild(guild)
            return try await operation()
        }
    }

    // MARK: Rebuild

    /// Loads the guild's durable totals into the cache, once per process at a time; returns
    /// how many members it loaded. Live totals already there are kept.
    @discardableResult
    public func rebuild(_ guild: Snowflake) async throws -> Int {
        let task = rebuilds.withLock { running -> Task<Int, any Error> in
            if let task = running[guild] { return task }
            let task = Task { try await self.performRebuild(guild) }
            running[guild] = task
            return task
        }
        defer { rebuilds.withLock { running in if running[guild] == task { running[guild] = nil } } }
        return try await task.value
    }

    private func performRebuild(_ guild: Snowflake) async throws -> Int {
        let started = ContinuousClock.now
        var loaded = 0
        var after: Snowflake? = nil
        while true {
            let page: [(user: Snowflake, xp: Int64)]
            do {
                page = try await store.totals(guild: guild, after: after, limit: 1_000)
            } catch {
                throw GuildhallError(.unavailable, "the database could not be read to rebuild guild \(guild)'s XP", underlying: error)
            }
            try await awards.load(page, into: guild, last: page.count < 1_000)
            loaded += page.count
            guard page.count == 1_000, let last = page.last else { break }
            after = last.user
        }
        Counter(label: "guildhall_leveling_rebuilds_total").increment()
        logger.notice("XP totals rebuilt from the database", metadata: [
            LogKey.guildID: "\(guild)", "members": "\(loaded)", "duration_ms": "\((ContinuousClock.now - started).wholeMilliseconds)",
        ])
        return loaded
    }

    // MARK: Admin changes

    /// `/xp add|remove|set|reset`, from a command or the API. Needs the same access as the
    /// settings; audited; the member's reward roles follow.
    public func adjust(
        _ user: Snowflake, in guild: Snowflake, _ adjustment: XPAwards.Adjustment, actor: Snowflake, access: GuildAccess, requestID: String?
    ) async throws -> XPAward {
        try requireManage(access, guild: guild, actor: actor, action: "xp change")
        let award = try await loaded(guild) { try await self.awards.adjust(user, in: guild, adjustment) }
        try await store.audit(
            guild: guild, actor: actor, action: "leveling.xp", target: user.description, before: "{\"level\":\(award.levelBefore)}",
            after: "{\"xp\":\(award.total),\"level\":\(award.levelAfter)}", requestID: requestID
        )
        logger.info("XP changed by an admin", metadata: [
            LogKey.guildID: "\(guild)", "actor_id": "\(actor)", "user_id": "\(user)", "xp": "\(award.total)", "level": "\(award.levelAfter)",
        ])
        try await enqueueRewardSync([user], guild: guild)
        return award
    }

    /// `/xp reset-all`: every member back to 0, keeping a snapshot `/xp restore` brings back.
    /// Returns how many members were reset.
    public func resetAll(guild: Snowflake, actor: Snowflake, access: GuildAccess, requestID: String?) async throws -> Int {
        try requireManage(access, guild: guild, actor: actor, action: "reset-all")
        _ = try await flush(guild)
        let users = try await store.resetAll(guild: guild)
        do {
            try await awards.clear(users, in: guild)
        } catch {
            // The cache still has the old totals: put the database back as it was, so the
            // write-behind cannot meet an empty table and a later restore cannot double them.
            try? await store.undoReset(guild: guild)
            throw error
        }
        // A flush that ran between the snapshot and the clear may have written old totals
        // back; delete them again now that the cache no longer has them.
        try await store.deleteTotals(guild: guild)
        try await store.audit(guild: guild, actor: actor, action: "leveling.reset-all", target: nil, before: "{\"members\":\(users.count)}", after: nil, requestID: requestID)
        logger.notice("XP reset for the whole guild", metadata: [LogKey.guildID: "\(guild)", "actor_id": "\(actor)", "members": "\(users.count)"])
        try await enqueueRewardSync(users, guild: guild)
        return users.count
    }

    /// `/xp restore`: adds back what the last reset-all took (XP earned since is kept).
    public func restore(guild: Snowflake, actor: Snowflake, access: GuildAccess, requestID: String?) async throws -> Int {
        try requireManage(access, guild: guild, actor: actor, action: "restore")
        // Taken out of the database first: a second restore finds nothing to apply.
        let snapshot = try await store.takeSnapshot(guild: guild)
        guard !snapshot.isEmpty else { throw GuildhallError(.notFound, "there is no reset to restore") }
        for (index, entry) in snapshot.enumerated() {
            do {
                _ = try await loaded(guild) { try await self.awards.adjust(entry.user, in: guild, .add(entry.xp)) }
            } catch {
                // What was not applied goes back, so trying again finishes the job.
                try? await store.putBackSnapshot(Array(snapshot[index...]), guild: guild)
                throw error
            }
        }
        _ = try await flush(guild)
        try await store.audit(guild: guild, actor: actor, action: "leveling.restore", target: nil, before: nil, after: "{\"members\":\(snapshot.count)}", requestID: requestID)
        logger.notice("XP restored from the last reset", metadata: [LogKey.guildID: "\(guild)", "actor_id": "\(actor)", "members": "\(snapshot.count)"])
        try await enqueueRewardSync(snapshot.map(\.user), guild: guild)
        return snapshot.count
    }

    func requireManage(_ access: GuildAccess, guild: Snowflake, actor: Snowflake, action: String) throws {
        guard ModuleAccessPolicy.mayToggle(access) else {
            logger.notice("leveling change refused", metadata: [LogKey.guildID: "\(guild)", "actor_id": "\(actor)", "action": "\(action)", "access": "\(access)"])
            throw GuildhallError(.forbidden, "you need Manage Server (or an editor grant) to change XP")
        }
    }

    func enqueueRewardSync(_ users: [Snowflake], guild: Snowflake) async throws {
        guard let queue, !users.isEmpty else { return }
        let stamp = Int64(Date().timeIntervalSince1970 * 1_000)
        for (index, start) in stride(from: 0, to: users.count, by: LevelingJobs.syncBatch).enumerated() {
            let chunk = Array(users[start..<min(users.count, start + LevelingJobs.syncBatch)])
            _ = try await queue.enqueue(LevelingJobs.syncRewards, .init(users: chunk), guild: guild, idempotencyKey: "rewards-\(stamp)-\(index)-\(chunk[0])")
        }
    }

    // MARK: Reading

    /// A member's live level (giveaways' minimum-level requirement reads it).
    public func level(of user: Snowflake, in guild: Snowflake) async throws -> Int {
        LevelingRules.level(forTotalXP: try await liveTotal(of: user, in: guild))
    }

    func liveTotal(of user: Snowflake, in guild: Snowflake) async throws -> Int64 {
        try await loaded(guild) { () -> Int64 in
            guard try await self.awards.isLoaded(guild) else { throw XPAwards.notLoaded }
            return try await self.awards.total(of: user, in: guild)
        }
    }

    public func rankCard(_ user: Snowflake, in guild: Snowflake) async throws -> RankCard {
        let xp = try await liveTotal(of: user, in: guild)
        let level = LevelingRules.level(forTotalXP: xp)
        let rank = try await store.rank(of: user, xp: xp, guild: guild)
        let ranked = try await store.rankedCount(guild: guild)
        return RankCard(
            user: user, xp: xp, level: level, progress: xp - LevelingRules.totalXP(forLevel: level), needed: LevelingRules.xpToNextLevel(from: level),
            rank: rank, ranked: max(ranked, rank)
        )
    }

    // MARK: Reward roles

    /// Brings one member's reward roles in line with their live level.
    public func syncRewards(user: Snowflake, guild: Snowflake, discord: any LevelingDiscord, logger: Logger) async throws {
        guard let member = try await discord.member(guild: guild, user: user) else { return }
        let config = try await settings.config(for: guild)
        try await applyRewards(user: user, guild: guild, roles: member.roles, config: config, discord: discord, logger: logger)
    }

    func applyRewards(user: Snowflake, guild: Snowflake, roles: Set<Snowflake>, config: LevelingConfig, discord: any LevelingDiscord, logger: Logger) async throws {
        guard !config.rewards.isEmpty else { return }
        let xp = try await loaded(guild) { () -> Int64 in
            guard try await self.awards.isLoaded(guild) else { throw XPAwards.notLoaded }
            return try await self.awards.total(of: user, in: guild)
        }
        let level = LevelingRules.level(forTotalXP: xp)
        let plan = RoleRewardPlan.plan(rewards: config.rewards, mode: config.rewardMode, level: level, currentRoles: roles)
        for role in plan.add {
            try await changeRole(role, user: user, guild: guild, logger: logger) {
                try await discord.addRole(role, to: user, guild: guild, reason: "Guildhall leveling: reached level \(level)")
            }
        }
        for role in plan.remove {
            try await changeRole(role, user: user, guild: guild, logger: logger) {
                try await discord.removeRole(role, from: user, guild: guild, reason: "Guildhall leveling: level \(level)")
            }
        }
        if !plan.isEmpty {
            Counter(label: "guildhall_leveling_reward_changes_total").increment(by: plan.add.count + plan.remove.count)
            logger.info("reward roles updated", metadata: [
                LogKey.guildID: "\(guild)", "user_id": "\(user)", "level": "\(level)", "added": "\(plan.add)", "removed": "\(plan.remove)",
            ])
        }
    }

    /// A role above the bot's own (or without Manage Roles) is refused by Discord with 403:
    /// logged and skipped, since retrying cannot fix it. Other failures are retried.
    private func changeRole(_ role: Snowflake, user: Snowflake, guild: Snowflake, logger: Logger, _ change: () async throws -> Void) async throws {
        do {
            try await change()
        } catch let error as DiscordRESTError where error.status == 403 || error.status == 404 {
            Counter(label: "guildhall_leveling_reward_refusals_total").increment()
            logger.warning("reward role refused by Discord (role above the bot's, or missing Manage Roles)", metadata: [
                LogKey.guildID: "\(guild)", "user_id": "\(user)", "role_id": "\(role)", "error": "\(error)",
            ])
        }
    }

    // MARK: Write-behind

    /// Writes the guild's changed totals to the database; returns how many. Safe to run
    /// twice or from two workers: the totals are absolute.
    @discardableResult
    public func flush(_ guild: Snowflake) async throws -> Int {
        let batch = try await awards.beginFlush(guild)
        guard !batch.isEmpty else { return 0 }
        do {
            try await store.write(batch, guild: guild)
        } catch {
            throw GuildhallError(.unavailable, "the database refused guild \(guild)'s XP totals; they stay queued in the cache", underlying: error)
        }
        try await awards.finishFlush(guild)
        return batch.count
    }

    /// One write-behind pass over every guild that uses leveling; returns the members
    /// written. A guild that fails is logged and left for the next pass.
    @discardableResult
    public func flushAll() async throws -> Int {
        let started = ContinuousClock.now
        var written = 0
        for guild in try await store.levelingGuilds() {
            do {
                written += try await flush(guild)
            } catch {
                Counter(label: "guildhall_leveling_flush_failures_total").increment()
                logger.warning("XP write-behind failed; retrying next pass", metadata: [LogKey.guildID: "\(guild)", "error": "\(error)"])
            }
        }
        Timer(label: "guildhall_leveling_flush_seconds").recordNanoseconds((ContinuousClock.now - started).wholeMilliseconds * 1_000_000)
        Counter(label: "guildhall_leveling_flushed_totals_total").increment(by: written)
        return written
    }
}
