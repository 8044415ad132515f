import Foundation
import GuildhallBackends
import GuildhallCore
import GuildhallGuildSettings
import GuildhallJobs
import GuildhallKit
import GuildhallPremium
import Logging
import Metrics

/// Giveaways: creating them, taking entries, ending them exactly once, rerolls, cancels.
/// The database is the judge of every step (see GiveawayStore); Discord is told after.
public struct GiveawayService: Sendable {
    public let store: GiveawayStore
    public let discord: GiveawayDiscordSource
    /// Nil only in the copy the job handlers hold (they never schedule anything).
    let queue: JobQueue?
    let premium: PremiumService
    let settings: GuildSettingsService
    let cache: any CacheBackend
    /// A member's leveling level, for minimum-level requirements; nil where leveling is absent.
    /// Members' levels, from whichever feature provides them (nil: level requirements refused).
    let levels: (any MemberLevels)?
    let logger: Logger
    let clock: @Sendable () -> Int64
    /// How long entry-count edits gather entries before one edit shows them all.
    let countEditWindow: Duration
    /// The armed count edits, so a stopping process finishes them before its database closes.
    let pendingEdits = PendingTasks()
    let entryCache = GiveawayEntryCache()
    /// Enter and Leave clicks by outcome (handles made once: clicks are the hot path).
    let entries = CounterFamily(label: "guildhall_giveaways_entries_total", dimensions: ["outcome"])
    /// Entries under load share transactions (group commit).
    let entryWriter: GiveawayEntryWriter

    public init(
        store: GiveawayStore, discord: GiveawayDiscordSource, queue: JobQueue?, premium: PremiumService, settings: GuildSettingsService,
        cache: any CacheBackend, levels: (any MemberLevels)?, logger: Logger,
        clock: @escaping @Sendable () -> Int64 = { Int64(Date().timeIntervalSince1970 * 1_000) }, countEditWindow: Duration = .seconds(3)
    ) {
        self.store = store
        self.discord = discord
        self.queue = queue
        self.premium = premium
        self.settings = settings
        self.cache = cache
        self.levels = levels
        self.logger = logger
        self.clock = clock
        self.countEditWindow = countEditWindow
        entryWriter = GiveawayEntryWriter { requests in try await store.addEntries(requests) }
    }

    /// What a click on Enter did.
    public enum EntryResult: Sendable, Equatable {
        case entered
        case alreadyEntered
        case refused(String)
        case closed
    }

    /// What one run of the end job did.
    public enum EndOutcome: Sendable, Equatable {
        case ended(winners: [Snowflake])
        /// Another run (or an earlier ending) owns it, or it was cancelled: nothing done.
        case alreadyHandled(GiveawayStatus)
        case notFound
    }

    // MARK: Creating

    /// Checks the actor, the module, the plan and the draft; stores the giveaway, schedules
    /// its end (and start), and posts its message unless it starts later.
    public func create(_ draft: GiveawayDraft, guild: Snowflake, actor: GiveawayActor, requestID: String?) async throws -> Giveaway {
        try await requireManager(actor, guild: guild, action: "create")
        let modules = try await settings.settings(for: guild)
        guard modules.isEnabled(.giveaways) else {
            throw GuildhallError(.invalidInput, "giveaways are off in this server (an admin can switch them on with /modules enable giveaways)")
        }
        if draft.requirements.minimumLevel != nil {
            guard let levels, try await levels.areOn(in: guild) else {
                throw GuildhallError(.invalidInput, "giveaway: a minimum level needs leveling switched on")
            }
        }
        let now = clock()
        let status = try await premium.status(guild: guild)
        try draft.validate(limits: status.limits, running: try await store.runningCount(guild: guild), now: Double(now) / 1_000)
        let discord = try discord.require()
        let queue = try requireQueue()
        guard var giveaway = try await store.insert(
            draft, guild: guild, tier: status.tier, createdBy: actor.id, status: draft.startsAt == nil ? .running : .scheduled, now: now,
            runningLimit: status.limits.count(GiveawayPlan.running)
        ) else {
            // Another creation took the last place between the check above and the insert.
            throw GuildhallError(.forbidden, "giveaway: this plan allows \(status.limits.count(GiveawayPlan.running)) giveaways at once")
        }
        do {
            // The end is scheduled before anything is posted: a giveaway that exists always ends.
            try await queue.schedule(
                GiveawayJobs.end, .init(giveaway: giveaway.id), guild: guild, at: Date(timeIntervalSince1970: Double(giveaway.endsAt) / 1_000),
                key: giveaway.endScheduleKey
            )
            if let startsAt = giveaway.startsAt {
                try await queue.schedule(
                    GiveawayJobs.start, .init(giveaway: giveaway.id), guild: guild, at: Date(timeIntervalSince1970: Double(startsAt) / 1_000),
                    key: giveaway.startScheduleKey
                )
            } else {
                let message = try await discord.post(channel: giveaway.channel, GiveawayMessage.createRequest(giveaway, entries: 0))
                try await store.setMessage(giveaway.id, guild: guild, message: message)
                giveaway.message = message
            }
        } catch {
            // Nothing half-made stays behind: the row is cancelled and its jobs unscheduled.
            _ = try? await store.transition(giveaway.id, guild: guild, from: [.running, .scheduled], to: .cancelled, claim: "create-failed", now: now)
            _ = try? await queue.cancelSchedule(key: giveaway.endScheduleKey)
            _ = try? await queue.cancelSchedule(key: giveaway.startScheduleKey)
            logger.warning("giveaway not created: posting or scheduling failed", metadata: [
                LogKey.guildID: "\(guild)", "giveaway_id": "\(giveaway.id)", "error": "\(error)",
            ])
            throw GuildhallError(.unavailable, "the giveaway could not be posted in <#\(draft.channelID)> (\(error)); nothing was kept", underlying: error)
        }
        try await store.audit(
            guild: guild, actor: actor.id, action: "giveaways.create", target: "giveaway:\(giveaway.id)", before: nil,
            after: try GiveawayStore.encode(draft), requestID: requestID
        )
        Counter(label: "guildhall_giveaways_created_total", dimensions: [("scheduled", giveaway.startsAt == nil ? "false" : "true")]).increment()
        logger.info("giveaway created", metadata: [
            LogKey.guildID: "\(guild)", "giveaway_id": "\(giveaway.id)", "actor_id": "\(actor.id)", "winners": "\(giveaway.winnerCount)",
            "ends_ms": "\(giveaway.endsAt)",
        ])
        return giveaway
    }

    /// The start job: a scheduled giveaway opens and its message is posted (once: the
    /// message's nonce makes a repeated post return the first).
    public func start(_ id: Int64, guild: Snowflake) async throws {
        guard var giveaway = try await store.find(id, guild: guild) else { return }
        if giveaway.status == .scheduled {
            _ = try await store.transition(id, guild: guild, from: [.scheduled], to: .running, claim: nil, now: clock())
            giveaway = try await store.find(id, guild: guild) ?? giveaway
        }
        guard giveaway.status == .running, giveaway.message == nil else { return }
        let message = try await discord.require().post(channel: giveaway.channel, GiveawayMessage.createRequest(giveaway, entries: 0))
        try await store.setMessage(id, guild: guild, message: message)
        logger.info("scheduled giveaway started", metadata: [LogKey.guildID: "\(guild)", "giveaway_id": "\(id)"])
    }

    // MARK: Entries

    /// Enters a member: requirements first, then one conditional insert.
    public func enter(_ id: Int64, guild: Snowflake, entrant: GiveawayEntrant) async throws -> EntryResult {
        let giveaway: Giveaway
        if let cached = entryCache.running(id, guild: guild) {
            giveaway = cached
        } else {
            guard let found = try await store.find(id, guild: guild) else {
                throw GuildhallError(.notFound, "this giveaway no longer exists")
            }
            giveaway = found
            entryCache.remember(found)
        }
        guard giveaway.status.takesEntries else { return .closed }
        let now = clock()
        if let reason = try await GiveawayEligibility.refusal(giveaway.requirements, entrant: entrant, now: now, level: { try await level(of: entrant.user, in: guild) }) {
            entries.counter("refused").increment()
            return .refused(reason)
        }
        let inserted = try await entryWriter.add(.init(giveaway: id, guild: guild, user: entrant.user, now: now))
        let outcome: GiveawayStore.EntryOutcome = inserted ? .entered : try await store.hasEntry(id, user: entrant.user) ? .alreadyEntered : .closed
        switch outcome {
        case .entered:
            entries.counter("entered").increment()
            // No count here: COUNT(*) on every click would grow with the giveaway; the
            // message's count follows through the batched edit instead.
            await countChanged(giveaway)
            return .entered
        case .alreadyEntered:
            entries.counter("duplicate").increment()
            return .alreadyEntered
        case .closed:
            entryCache.forget(id)
            return .closed
        }
    }

    /// Takes an entry back while the giveaway runs; true when there was one.
    public func leave(_ id: Int64, guild: Snowflake, user: Snowflake) async throws -> Bool {
        guard let giveaway = try await store.find(id, guild: guild) else {
            throw GuildhallError(.notFound, "this giveaway no longer exists")
        }
        let removed = try await store.removeEntry(id, guild: guild, user: user)
        if removed {
            entries.counter("left").increment()
            await countChanged(giveaway)
        }
        return removed
    }

    func level(of user: Snowflake, in guild: Snowflake) async throws -> Int {
        guard let levels else { return 0 }
        return try await levels.level(of: user, in: guild)
    }

    /// Batches the entry-count edits: the first change in a window arms one edit at the
    /// window's end (see GiveawayKeys.countEdit); later changes ride on it.
    func countChanged(_ giveaway: Giveaway) async {
        // An edit this process armed will show this change too: no Redis call needed.
        guard entryCache.arm(giveaway.id) else { return }
        do {
            let key = try GiveawayKeys.countEdit.key(guild: giveaway.guild, String(giveaway.id))
            guard try await cache.increment(key, by: 1) == 1 else {
                // Another process armed it; its edit will show this change.
                entryCache.disarm(giveaway.id)
                return
            }
        } catch {
            entryCache.disarm(giveaway.id)
            logger.warning("entry count edit not armed; the next entry tries again", metadata: ["giveaway_id": "\(giveaway.id)", "error": "\(error)"])
            return
        }
        let entryCache = entryCache
        let window = countEditWindow
        pendingEdits.start {
            // A little past the key's expiry, so an entry that re-arms it is never missed.
            // Cancelled (the process is stopping): edit at once rather than lose the count.
            try? await Task.sleep(for: window + .milliseconds(100))
            // Disarmed before the count is read: a change after this re-arms a new edit.
            entryCache.disarm(giveaway.id)
            await refreshMessage(giveaway.id, guild: giveaway.guild)
        }
    }

    /// Runs the armed count edits now and waits for them (called once at shutdown).
    public func finishPendingEdits() async {
        await pendingEdits.cancelAndWait()
    }

    /// Edits the giveaway message to its current state and count; failures are logged (the
    /// next change, or the ending, edits it again).
    public func refreshMessage(_ id: Int64, guild: Snowflake) async {
        do {
            guard let giveaway = try await store.find(id, guild: guild), let message = giveaway.message else { return }
            let entries = try await store.entryCount(id)
            try await discord.require().edit(channel: giveaway.channel, message: message, GiveawayMessage.editRequest(giveaway, entries: entries))
            Counter(label: "guildhall_giveaways_message_edits_total").increment()
        } catch {
            logger.warning("giveaway message not edited", metadata: [LogKey.guildID: "\(guild)", "giveaway_id": "\(id)", "error": "\(error)"])
        }
    }

    // MARK: Ending

    /// The end job's body. The ending is claimed in the database first (running → ended,
    /// naming `claimant`); only the claimant goes on, and its retries find the winners it
    /// stored, so a crash, a duplicate job or a failing Discord never draws twice.
    public func end(_ id: Int64, guild: Snowflake, claimant: String, logger: Logger) async throws -> EndOutcome {
        guard var giveaway = try await store.find(id, guild: guild) else { return .notFound }
        let now = clock()
        if giveaway.status == .running || giveaway.status == .scheduled {
            _ = try await store.transition(id, guild: guild, from: [.running, .scheduled], to: .ended, claim: claimant, now: now)
            giveaway = try await store.find(id, guild: guild) ?? giveaway
        }
        guard giveaway.status == .ended, giveaway.endClaim == claimant else {
            Counter(label: "guildhall_giveaways_end_skipped_total").increment()
            logger.info("giveaway end skipped: already handled", metadata: [
                "giveaway_id": "\(id)", "status": "\(giveaway.status.rawValue)", "claim": "\(giveaway.endClaim ?? "none")",
            ])
            return .alreadyHandled(giveaway.status)
        }
        let discord = try discord.require()
        let winners: [Snowflake]
        if let stored = giveaway.winners {
            winners = stored
        } else {
            let started = ContinuousClock.now
            // The plan it was made under: a downgrade since then does not cut its winners.
            let count = min(giveaway.winnerCount, premium.plans.limits(for: giveaway.tier).count(GiveawayPlan.winners))
            let drawn = try await draw(giveaway, count: count, excluding: [], discord: discord, now: now)
            winners = try await store.storeWinners(id, guild: guild, winners: drawn)
            Timer(label: "guildhall_giveaways_draw_seconds").recordNanoseconds((ContinuousClock.now - started).wholeMilliseconds * 1_000_000)
        }
        giveaway.winners = winners
        if giveaway.announcement == nil {
            let message = try await discord.post(channel: giveaway.channel, GiveawayMessage.announcement(giveaway, winners: winners))
            try await store.setAnnouncement(id, guild: guild, message: message)
            Counter(label: "guildhall_giveaways_announcements_total", dimensions: [("kind", "end")]).increment()
        }
        if let message = giveaway.message {
            let entries = try await store.entryCount(id)
            try await discord.edit(channel: giveaway.channel, message: message, GiveawayMessage.editRequest(giveaway, entries: entries))
        }
        Counter(label: "guildhall_giveaways_ended_total", dimensions: [("winners", winners.isEmpty ? "none" : "some")]).increment()
        Timer(label: "guildhall_giveaways_end_delay_seconds").recordMilliseconds(max(0, clock() - giveaway.endsAt))
        logger.info("giveaway ended", metadata: ["giveaway_id": "\(id)", "winners": "\(winners.map(\.description).joined(separator: ","))"])
        return .ended(winners: winners)
    }

    /// Draws from the stored entrants, asking Discord about each candidate only when drawn:
    /// members who left, bots and those who no longer meet the requirements are skipped.
    func draw(_ giveaway: Giveaway, count: Int, excluding: Set<Snowflake>, discord: any GiveawayDiscord, now: Int64) async throws -> [Snowflake] {
        let entrants = try await store.allEntrants(giveaway.id)
        var generator = SystemRandomNumberGenerator()
        let guild = giveaway.guild
        return try await WinnerDraw.draw(from: entrants, count: count, excluding: excluding, using: &generator) { user in
            guard let member = try await discord.member(guild: guild, user: user) else { return false }
            return try await GiveawayEligibility.refusal(giveaway.requirements, entrant: member, now: now, level: { try await level(of: user, in: guild) }) == nil
        }
    }

    /// `/giveaway end`: ends it now through the same job as the timer (the scheduled run
    /// then finds it ended and does nothing).
    public func endNow(_ id: Int64, guild: Snowflake, actor: GiveawayActor, requestID: String?) async throws {
        try await requireManager(actor, guild: guild, action: "end")
        guard let giveaway = try await store.find(id, guild: guild) else { throw GuildhallError(.notFound, "there is no giveaway #\(id) in this server") }
        guard giveaway.status.after(.end) != nil || giveaway.status == .scheduled else {
            throw GuildhallError(.invalidInput, "giveaway #\(id) is \(giveaway.status.rawValue); only a running giveaway can be ended")
        }
        let queue = try requireQueue()
        try await queue.enqueue(GiveawayJobs.end, .init(giveaway: id), guild: guild, idempotencyKey: "giveaway-\(id)-end-now")
        _ = try await queue.cancelSchedule(key: giveaway.endScheduleKey)
        _ = try await queue.cancelSchedule(key: giveaway.startScheduleKey)
        try await store.audit(guild: guild, actor: actor.id, action: "giveaways.end", target: "giveaway:\(id)", before: giveaway.status.rawValue, after: "ended", requestID: requestID)
        logger.info("giveaway ended early", metadata: [LogKey.guildID: "\(guild)", "giveaway_id": "\(id)", "actor_id": "\(actor.id)"])
    }

    /// `/giveaway reroll`: draws `count` more winners from the stored entrants, never anyone
    /// who won before, and announces them. The current plan caps `count`.
    public func reroll(_ id: Int64, guild: Snowflake, count: Int, actor: GiveawayActor, requestID: String?) async throws -> [Snowflake] {
        try await requireManager(actor, guild: guild, action: "reroll")
        let limit = try await premium.status(guild: guild).limits.count(GiveawayPlan.winners)
        guard (1...limit).contains(count) else {
            throw GuildhallError(count > limit ? .forbidden : .invalidInput, "giveaway: a reroll picks 1 to \(limit) winners on this plan")
        }
        guard let giveaway = try await store.find(id, guild: guild) else { throw GuildhallError(.notFound, "there is no giveaway #\(id) in this server") }
        guard giveaway.status == .ended, giveaway.winners != nil else {
            throw GuildhallError(.invalidInput, "giveaway #\(id) has not ended yet; only an ended giveaway can be rerolled")
        }
        let discord = try discord.require()
        let winners = try await draw(giveaway, count: count, excluding: giveaway.everyWinner, discord: discord, now: clock())
        guard try await store.recordReroll(id, guild: guild, seen: giveaway, winners: winners) else {
            throw GuildhallError(.unavailable, "another reroll of giveaway #\(id) happened at the same moment; nothing was changed")
        }
        _ = try await discord.post(channel: giveaway.channel, GiveawayMessage.announcement(giveaway, winners: winners, reroll: giveaway.rerolls + 1))
        Counter(label: "guildhall_giveaways_announcements_total", dimensions: [("kind", "reroll")]).increment()
        try await store.audit(
            guild: guild, actor: actor.id, action: "giveaways.reroll", target: "giveaway:\(id)", before: nil,
            after: try GiveawayStore.encode(winners.map(\.description)), requestID: requestID
        )
        logger.info("giveaway rerolled", metadata: [LogKey.guildID: "\(guild)", "giveaway_id": "\(id)", "winners": "\(winners.count)"])
        return winners
    }

    /// `/giveaway cancel`: nobody wins; the message says so and the jobs are unscheduled.
    public func cancel(_ id: Int64, guild: Snowflake, actor: GiveawayActor, requestID: String?) async throws {
        try await requireManager(actor, guild: guild, action: "cancel")
        guard let giveaway = try await store.find(id, guild: guild) else { throw GuildhallError(.notFound, "there is no giveaway #\(id) in this server") }
        let queue = try requireQueue()
        guard try await store.transition(id, guild: guild, from: [.scheduled, .running], to: .cancelled, claim: "cancel:\(actor.id)", now: clock()) else {
            throw GuildhallError(.invalidInput, "giveaway #\(id) is \(giveaway.status.rawValue); only a scheduled or running giveaway can be cancelled")
        }
        _ = try await queue.cancelSchedule(key: giveaway.endScheduleKey)
        _ = try await queue.cancelSchedule(key: giveaway.startScheduleKey)
        try await store.audit(guild: guild, actor: actor.id, action: "giveaways.cancel", target: "giveaway:\(id)", before: giveaway.status.rawValue, after: "cancelled", requestID: requestID)
        Counter(label: "guildhall_giveaways_cancelled_total").increment()
        logger.info("giveaway cancelled", metadata: [LogKey.guildID: "\(guild)", "giveaway_id": "\(id)", "actor_id": "\(actor.id)"])
        await refreshMessage(id, guild: guild)
    }

    // MARK: Settings and permissions

    /// Sets (or clears) the role whose members may manage giveaways besides Manage Server.
    public func setManagerRole(_ role: Snowflake?, guild: Snowflake, actor: GiveawayActor, requestID: String?) async throws {
        guard case .dashboard(_, let access) = actor, ModuleAccessPolicy.mayToggle(access) else {
            if case .member(_, let permissions, _) = actor, permissions.contains(.manageGuild) || permissions.contains(.administrator) {
                return try await saveManagerRole(role, guild: guild, actor: actor, requestID: requestID)
            }
            throw GuildhallError(.forbidden, "choosing the giveaway manager role needs Manage Server")
        }
        try await saveManagerRole(role, guild: guild, actor: actor, requestID: requestID)
    }

    private func saveManagerRole(_ role: Snowflake?, guild: Snowflake, actor: GiveawayActor, requestID: String?) async throws {
        let before = try await store.managerRole(guild: guild)
        try await store.setManagerRole(role, guild: guild, now: clock())
        try await store.audit(
            guild: guild, actor: actor.id, action: "giveaways.manager-role", target: nil, before: before?.description, after: role?.description, requestID: requestID
        )
    }

    func requireQueue() throws -> JobQueue {
        guard let queue else { throw GuildhallError(.unavailable, "this copy of the giveaway service has no job queue") }
        return queue
    }

    func requireManager(_ actor: GiveawayActor, guild: Snowflake, action: String) async throws {
        guard actor.mayManage(managerRole: try await store.managerRole(guild: guild)) else {
            logger.notice("giveaway change refused", metadata: [LogKey.guildID: "\(guild)", "actor_id": "\(actor.id)", "action": "\(action)"])
            throw GuildhallError(.forbidden, "managing giveaways needs Manage Server or the giveaway manager role")
        }
    }
}
