import FluentKit
import Foundation
import GuildhallCore
import GuildhallDiscordModels
@testable import GuildhallGiveaways
import GuildhallGuildSettings
import GuildhallJobs
import GuildhallPremium
import GuildhallSandbox
import GuildhallTestSupport
import SQLKit
import Testing

/// Giveaways from creation to reroll on both stacks, against the sandbox Discord over
/// sockets: what is stored, what is posted, and that every ending happens once.
@Suite("GiveawayServiceTests", .serialized)
struct GiveawayServiceTests {
    @Test("create posts the message with its Enter button and schedules the end", arguments: GiveawayFixture.Stack.allCases)
    func create(stack: GiveawayFixture.Stack) async throws {
        try await GiveawayFixture.with(stack) { fixture in
            let guild = try await fixture.prepare()
            let giveaway = try await fixture.giveaways.create(fixture.draft(prize: "Nitro", winners: 2), guild: guild, actor: fixture.owner, requestID: "r1")
            #expect(giveaway.status == .running)
            let message = try #require(giveaway.message)
            let posted = try #require(fixture.messages(in: fixture.textChannel).first { $0.id == message })
            #expect(posted.embeds.first?.title == "🎉 Nitro")
            #expect(posted.embeds.first?.footer?.text == "Giveaway #\(giveaway.id)")
            guard case .actionRow(let row)? = posted.components.first, case .button(let button)? = row.components.first else {
                Issue.record("no Enter button: \(posted.components)")
                return
            }
            #expect(button.customID == GiveawayMessage.enterID(giveaway.id))
            let schedule = try #require(try await fixture.jobs.queue.schedules.find(key: giveaway.endScheduleKey))
            #expect(schedule.jobName == GiveawayJobs.end.name)
            #expect(try await fixture.giveaways.store.find(giveaway.id, guild: guild) == giveaway)
            // Another guild cannot see it.
            #expect(try await fixture.giveaways.store.find(giveaway.id, guild: Snowflake(42)) == nil)
        }
    }

    @Test("bad drafts, missing permissions and the plan's limits are refused and store nothing")
    func refusals() async throws {
        try await GiveawayFixture.with(.embedded) { fixture in
            let guild = try await fixture.prepare()
            let member = fixture.humans.first { $0 != fixture.guild.ownerID }!
            let plain = GiveawayActor.member(member, permissions: [.sendMessages], roles: [])
            await #expect(throws: GuildhallError.self) { try await fixture.giveaways.create(fixture.draft(), guild: guild, actor: plain, requestID: nil) }
            await #expect(throws: GuildhallError.self) { try await fixture.giveaways.create(fixture.draft(prize: " "), guild: guild, actor: fixture.owner, requestID: nil) }
            let tooMany = try await #require(throws: GuildhallError.self) {
                try await fixture.giveaways.create(fixture.draft(winners: 21), guild: guild, actor: fixture.owner, requestID: nil)
            }
            #expect(tooMany.code == .forbidden)
            #expect(tooMany.message.contains("20 winners"))
            #expect(try await fixture.giveaways.store.list(guild: guild).isEmpty)
            // Premium raises the limit.
            try await fixture.premium.grant(guild: guild, until: Date().addingTimeInterval(86_400))
            let big = try await fixture.giveaways.create(fixture.draft(winners: 21), guild: guild, actor: fixture.owner, requestID: nil)
            #expect(big.tier == .premium)
            // A manager role lets a plain member manage giveaways.
            let role = fixture.guild.roleOrder.last!
            try await fixture.giveaways.setManagerRole(role, guild: guild, actor: .dashboard(fixture.guild.ownerID, access: .owner), requestID: nil)
            let managed = try await fixture.giveaways.create(
                fixture.draft(), guild: guild, actor: .member(member, permissions: [], roles: [role]), requestID: nil
            )
            #expect(managed.createdBy == member)
            await #expect(throws: GuildhallError.self) {
                try await fixture.giveaways.setManagerRole(nil, guild: guild, actor: .dashboard(member, access: .grant(.viewer)), requestID: nil)
            }
            // Giveaways switched off: refused.
            try await fixture.settings.setModule(.giveaways, enabled: false, guild: guild, actor: fixture.guild.ownerID, access: .owner)
            await #expect(throws: GuildhallError.self) { try await fixture.giveaways.create(fixture.draft(), guild: guild, actor: fixture.owner, requestID: nil) }
            #expect(try await fixture.giveaways.store.list(guild: guild).count == 2)
        }
    }

    @Test("the free plan's limit of 10 running giveaways holds, and a posting failure keeps nothing running")
    func runningLimit() async throws {
        try await GiveawayFixture.with(.embedded) { fixture in
            let guild = try await fixture.prepare()
            for index in 0..<10 {
                _ = try await fixture.giveaways.create(fixture.draft(prize: "Prize \(index)"), guild: guild, actor: fixture.owner, requestID: nil)
            }
            let refused = try await #require(throws: GuildhallError.self) {
                try await fixture.giveaways.create(fixture.draft(prize: "Eleventh"), guild: guild, actor: fixture.owner, requestID: nil)
            }
            #expect(refused.message.contains("10 giveaways at once"))
            // A channel Discord does not know: the giveaway is not kept running.
            try await fixture.premium.grant(guild: guild, until: Date().addingTimeInterval(86_400))
            var draft = fixture.draft(prize: "Lost")
            draft.channelID = Snowflake(12_345)
            await #expect(throws: GuildhallError.self) { try await fixture.giveaways.create(draft, guild: guild, actor: fixture.owner, requestID: nil) }
            let lost = try #require(try await fixture.giveaways.store.list(guild: guild).first { $0.prize == "Lost" })
            #expect(lost.status == .cancelled)
            #expect(try await fixture.giveaways.store.runningCount(guild: guild) == 10)
        }
    }

    @Test("creations at the same moment cannot pass the running limit together", arguments: GiveawayFixture.Stack.allCases)
    func concurrentCreations(stack: GiveawayFixture.Stack) async throws {
        try await GiveawayFixture.with(stack) { fixture in
            let guild = try await fixture.prepare()
            for index in 0..<8 {
                _ = try await fixture.giveaways.create(fixture.draft(prize: "Prize \(index)"), guild: guild, actor: fixture.owner, requestID: nil)
            }
            let giveaways = fixture.giveaways
            let (owner, drafts) = (fixture.owner, (0..<6).map { fixture.draft(prize: "Rush \($0)") })
            let outcomes = await withTaskGroup(of: GuildhallError?.self) { group in
                for draft in drafts {
                    group.addTask {
                        do {
                            _ = try await giveaways.create(draft, guild: guild, actor: owner, requestID: nil)
                            return nil
                        } catch let error as GuildhallError {
                            return error
                        } catch {
                            return GuildhallError(.internalError, "\(error)")
                        }
                    }
                }
                return await group.reduce(into: [GuildhallError?]()) { $0.append($1) }
            }
            #expect(outcomes.filter { $0 == nil }.count == 2, "two places were left: \(outcomes)")
            #expect(outcomes.compactMap { $0 }.allSatisfy { $0.code == .forbidden && $0.message.contains("10 giveaways at once") })
            #expect(try await fixture.giveaways.store.runningCount(guild: guild) == 10)
        }
    }

    @Test("entering, entering twice, leaving, requirements; the count edit is batched", arguments: GiveawayFixture.Stack.allCases)
    func entries(stack: GiveawayFixture.Stack) async throws {
        try await GiveawayFixture.with(stack) { fixture in
            let guild = try await fixture.prepare()
            let role = fixture.guild.roleOrder.last!
            let giveaway = try await fixture.giveaways.create(
                fixture.draft(requirements: .init(minimumLevel: 3)), guild: guild, actor: fixture.owner, requestID: nil
            )
            let humans = fixture.humans
            fixture.levels.withLock { levels in for user in humans { levels[user] = 5 } }
            let low = humans[0]
            fixture.levels.withLock { $0[low] = 1 }
            #expect(try await fixture.giveaways.enter(giveaway.id, guild: guild, entrant: fixture.entrant(low)) == .refused("you need level 3 (you are level 1)"))
            for user in humans.dropFirst() {
                #expect(try await fixture.giveaways.enter(giveaway.id, guild: guild, entrant: fixture.entrant(user)) == .entered)
            }
            #expect(try await fixture.giveaways.enter(giveaway.id, guild: guild, entrant: fixture.entrant(humans[1])) == .alreadyEntered)
            #expect(try await fixture.giveaways.enter(giveaway.id, guild: guild, entrant: GiveawayEntrant(user: Snowflake(77), isBot: true)) == .refused("bots cannot take part"))
            #expect(try await fixture.giveaways.leave(giveaway.id, guild: guild, user: humans[1]))
            #expect(try await !fixture.giveaways.leave(giveaway.id, guild: guild, user: humans[1]))
            let expected = humans.count - 2
            #expect(try await fixture.giveaways.store.entryCount(giveaway.id) == expected)
            // One edit shows the count, however many entries came in the window.
            let edited = await waitUntil(timeout: .seconds(10)) {
                fixture.messages(in: fixture.textChannel).first { $0.id == giveaway.message }?.embeds.first?.description?.contains("Entries: \(expected)") == true
            }
            #expect(edited)
            let roleGiveaway = try await fixture.giveaways.create(fixture.draft(requirements: .init(roleID: role)), guild: guild, actor: fixture.owner, requestID: nil)
            let outcome = try await fixture.giveaways.enter(roleGiveaway.id, guild: guild, entrant: GiveawayEntrant(user: humans[2], roles: []))
            #expect(outcome == .refused("you need the role <@&\(role)>"))
            #expect(try await fixture.giveaways.enter(roleGiveaway.id, guild: guild, entrant: GiveawayEntrant(user: humans[2], roles: [role])) == .entered)
            await #expect(throws: GuildhallError.self) { try await fixture.giveaways.enter(9_999, guild: guild, entrant: fixture.entrant(humans[2])) }
        }
    }

    @Test("members entering at once share statements: every entry stored once, every duplicate seen", arguments: GiveawayFixture.Stack.allCases)
    func concurrentEntries(stack: GiveawayFixture.Stack) async throws {
        try await GiveawayFixture.with(stack) { fixture in
            let guild = try await fixture.prepare()
            let giveaway = try await fixture.giveaways.create(fixture.draft(), guild: guild, actor: fixture.owner, requestID: nil)
            let humans = fixture.humans
            let entrants = (humans + humans).map { fixture.entrant($0) }
            let giveaways = fixture.giveaways
            let results = try await withThrowingTaskGroup(of: GiveawayService.EntryResult.self) { group in
                for entrant in entrants { group.addTask { try await giveaways.enter(giveaway.id, guild: guild, entrant: entrant) } }
                return try await group.reduce(into: [GiveawayService.EntryResult]()) { $0.append($1) }
            }
            #expect(results.filter { $0 == .entered }.count == humans.count)
            #expect(results.filter { $0 == .alreadyEntered }.count == humans.count)
            #expect(try await fixture.giveaways.store.entryCount(giveaway.id) == humans.count)
            // One batch with an entry, a duplicate, another guild's view, a giveaway that does not
            // exist, and the same entry twice.
            let second = try await fixture.giveaways.create(fixture.draft(), guild: guild, actor: fixture.owner, requestID: nil)
            let store = fixture.giveaways.store
            #expect(try await store.addEntries([]) == [])
            let mixed = try await store.addEntries([
                .init(giveaway: second.id, guild: guild, user: humans[0], now: fixture.now),
                .init(giveaway: giveaway.id, guild: guild, user: humans[0], now: fixture.now),
                .init(giveaway: second.id, guild: Snowflake(42), user: humans[1], now: fixture.now),
                .init(giveaway: 9_999, guild: guild, user: humans[1], now: fixture.now),
                .init(giveaway: second.id, guild: guild, user: humans[2], now: fixture.now),
                .init(giveaway: second.id, guild: guild, user: humans[2], now: fixture.now),
            ])
            #expect(mixed == [true, false, false, false, true, false], "a pair asked twice in one batch is inserted once")
            #expect(try await store.entryCount(second.id) == 2)
        }
    }

    /// The race between an entry and the ending's claim, made to happen: the claim is
    /// written in a transaction held open while an entry comes in. The entry waits for the
    /// claim and then sees the giveaway ended, so no entry is stored that the draw (which
    /// reads after the claim) would miss. (SQLite runs one writer at a time.)
    @Test("on PostgreSQL an entry racing the ending's claim waits for it, and is refused")
    func entryRacingTheClaim() async throws {
        try await GiveawayFixture.with(.postgresRedis) { fixture in
            let guild = try await fixture.prepare()
            let giveaway = try await fixture.giveaways.create(fixture.draft(), guild: guild, actor: fixture.owner, requestID: nil)
            let store = fixture.giveaways.store
            let entrant = fixture.humans[0]
            let entry = Shared<Task<[Bool], any Error>?>(nil)
            try await fixture.database.database.transaction { database in
                _ = try await (database as! any SQLDatabase).raw("UPDATE giveaways SET status = 'ended', end_claim = 'job:test' WHERE id = \(bind: giveaway.id)").run()
                entry.withLock { $0 = Task { try await store.addEntries([.init(giveaway: giveaway.id, guild: guild, user: entrant, now: fixture.now)]) } }
                // Give the entry time to reach the server and wait on the claim's row lock.
                try await Task.sleep(for: .milliseconds(500))
            }
            let inserted = try await #require(entry.withLock { $0 }).value
            #expect(inserted == [false])
            #expect(try await store.entryCount(giveaway.id) == 0)
        }
    }

    @Test("the end job draws once, announces once and edits the message; a second end job does nothing", arguments: GiveawayFixture.Stack.allCases)
    func endsOnce(stack: GiveawayFixture.Stack) async throws {
        try await GiveawayFixture.with(stack) { fixture in
            let guild = try await fixture.prepare()
            let giveaway = try await fixture.giveaways.create(fixture.draft(prize: "Keyboard", winners: 3), guild: guild, actor: fixture.owner, requestID: nil)
            let humans = fixture.humans
            for user in humans { _ = try await fixture.giveaways.enter(giveaway.id, guild: guild, entrant: fixture.entrant(user)) }
            // The bot itself slipped in (stored directly): it must never win.
            let bot = fixture.sandbox.world.read { $0.application.botUserID }
            #expect(try await fixture.giveaways.store.addEntry(giveaway.id, guild: guild, user: bot, now: fixture.now) == .entered)
            // A member who left after entering never wins either.
            let departed = humans.first { $0 != fixture.guild.ownerID }!
            try fixture.sandbox.control.removeMember(guildID: guild, userID: departed)
            // Two different end jobs for the same giveaway.
            try await fixture.jobs.queue.enqueue(GiveawayJobs.end, .init(giveaway: giveaway.id), guild: guild)
            try await fixture.jobs.queue.enqueue(GiveawayJobs.end, .init(giveaway: giveaway.id), guild: guild)
            let ended = try await fixture.runJobs {
                (try? await fixture.giveaways.store.find(giveaway.id, guild: guild)?.announcement) != nil
            }
            #expect(ended)
            try await Task.sleep(for: .milliseconds(300))
            let stored = try #require(try await fixture.giveaways.store.find(giveaway.id, guild: guild))
            let winners = try #require(stored.winners)
            #expect(stored.status == .ended)
            #expect(winners.count == 3)
            #expect(Set(winners).count == 3)
            #expect(!winners.contains(bot))
            #expect(!winners.contains(departed))
            #expect(fixture.announcements(of: stored).count == 1)
            let announcement = try #require(fixture.announcements(of: stored).first)
            for winner in winners { #expect(announcement.content.contains("<@\(winner)>")) }
            #expect(Set(announcement.mentionIDs) == Set(winners))
            let message = try #require(fixture.messages(in: fixture.textChannel).first { $0.id == giveaway.message })
            #expect(message.embeds.first?.description?.contains("Winners: <@") == true)
            // Running the end again (as the same claimant: a retry) changes nothing.
            let again = try await fixture.giveaways.end(giveaway.id, guild: guild, claimant: try #require(stored.endClaim), logger: fixture.logs.logger(label: "t"))
            #expect(again == .ended(winners: winners))
            #expect(fixture.announcements(of: stored).count == 1)
            #expect(try await fixture.giveaways.end(giveaway.id, guild: guild, claimant: "job:other", logger: fixture.logs.logger(label: "t")) == .alreadyHandled(.ended))
        }
    }

    @Test("Discord failing while announcing: the retry announces the winners drawn first")
    func discordFailsWhileAnnouncing() async throws {
        try await GiveawayFixture.with(.embedded) { fixture in
            let guild = try await fixture.prepare()
            let giveaway = try await fixture.giveaways.create(fixture.draft(winners: 2), guild: guild, actor: fixture.owner, requestID: nil)
            for user in fixture.humans { _ = try await fixture.giveaways.enter(giveaway.id, guild: guild, entrant: fixture.entrant(user)) }
            let fault = try fixture.sandbox.control.addFault(SandboxRESTFault(kind: .serverError, route: "POST /channels/{channel_id}/messages", status: 503))
            let logger = fixture.logs.logger(label: "t")
            await #expect(throws: (any Error).self) { try await fixture.giveaways.end(giveaway.id, guild: guild, claimant: "job:a", logger: logger) }
            let drawn = try #require(try await fixture.giveaways.store.find(giveaway.id, guild: guild)?.winners)
            #expect(drawn.count == 2)
            _ = fixture.sandbox.control.removeFault(id: fault.id)
            #expect(try await fixture.giveaways.end(giveaway.id, guild: guild, claimant: "job:a", logger: logger) == .ended(winners: drawn))
            let stored = try #require(try await fixture.giveaways.store.find(giveaway.id, guild: guild))
            #expect(fixture.announcements(of: stored).count == 1)
        }
    }

    @Test("no entrants: it ends with nobody winning; reroll and cancel follow the lifecycle")
    func noEntrantsRerollCancel() async throws {
        try await GiveawayFixture.with(.embedded) { fixture in
            let guild = try await fixture.prepare()
            let logger = fixture.logs.logger(label: "t")
            let empty = try await fixture.giveaways.create(fixture.draft(prize: "Nothing"), guild: guild, actor: fixture.owner, requestID: nil)
            #expect(try await fixture.giveaways.end(empty.id, guild: guild, claimant: "job:e", logger: logger) == .ended(winners: []))
            let emptyStored = try #require(try await fixture.giveaways.store.find(empty.id, guild: guild))
            #expect(fixture.announcements(of: emptyStored).first?.content.contains("nobody could win") == true)

            let giveaway = try await fixture.giveaways.create(fixture.draft(prize: "Game", winners: 1), guild: guild, actor: fixture.owner, requestID: nil)
            await #expect(throws: GuildhallError.self) { try await fixture.giveaways.reroll(giveaway.id, guild: guild, count: 1, actor: fixture.owner, requestID: nil) }
            let humans = Array(fixture.humans.prefix(3))
            for user in humans { _ = try await fixture.giveaways.enter(giveaway.id, guild: guild, entrant: fixture.entrant(user)) }
            guard case .ended(let first) = try await fixture.giveaways.end(giveaway.id, guild: guild, claimant: "job:g", logger: logger) else {
                Issue.record("did not end")
                return
            }
            let second = try await fixture.giveaways.reroll(giveaway.id, guild: guild, count: 1, actor: fixture.owner, requestID: nil)
            let third = try await fixture.giveaways.reroll(giveaway.id, guild: guild, count: 5, actor: fixture.owner, requestID: nil)
            #expect(Set(first + second + third) == Set(humans))
            #expect(Set(first).isDisjoint(with: second))
            #expect(try await fixture.giveaways.reroll(giveaway.id, guild: guild, count: 1, actor: fixture.owner, requestID: nil).isEmpty)
            let tooMany = try await #require(throws: GuildhallError.self) {
                try await fixture.giveaways.reroll(giveaway.id, guild: guild, count: 21, actor: fixture.owner, requestID: nil)
            }
            #expect(tooMany.code == .forbidden)
            await #expect(throws: GuildhallError.self) { try await fixture.giveaways.cancel(giveaway.id, guild: guild, actor: fixture.owner, requestID: nil) }

            let cancelled = try await fixture.giveaways.create(fixture.draft(prize: "Gone"), guild: guild, actor: fixture.owner, requestID: nil)
            try await fixture.giveaways.cancel(cancelled.id, guild: guild, actor: fixture.owner, requestID: nil)
            #expect(try await fixture.jobs.queue.schedules.find(key: cancelled.endScheduleKey)?.state == "cancelled")
            #expect(try await fixture.giveaways.end(cancelled.id, guild: guild, claimant: "job:c", logger: logger) == .alreadyHandled(.cancelled))
            #expect(try await fixture.giveaways.enter(cancelled.id, guild: guild, entrant: fixture.entrant(humans[0])) == .closed)
            let message = try #require(fixture.messages(in: fixture.textChannel).first { $0.id == cancelled.message })
            #expect(message.embeds.first?.description?.contains("Cancelled") == true)
            #expect(try await fixture.giveaways.end(Int64(99_999), guild: guild, claimant: "job:x", logger: logger) == .notFound)
        }
    }

    @Test("a scheduled giveaway opens by its start job; ending early goes through the end job")
    func scheduledAndEndNow() async throws {
        try await GiveawayFixture.with(.embedded) { fixture in
            let guild = try await fixture.prepare()
            var draft = fixture.draft(seconds: 3_600)
            draft.startsAt = Double(fixture.now) / 1_000 + 600
            let giveaway = try await fixture.giveaways.create(draft, guild: guild, actor: fixture.owner, requestID: nil)
            #expect(giveaway.status == .scheduled)
            #expect(giveaway.message == nil)
            #expect(try await fixture.giveaways.enter(giveaway.id, guild: guild, entrant: fixture.entrant(fixture.humans[0])) == .closed)
            try await fixture.jobs.queue.enqueue(GiveawayJobs.start, .init(giveaway: giveaway.id), guild: guild)
            #expect(try await fixture.runJobs { (try? await fixture.giveaways.store.find(giveaway.id, guild: guild)?.message) != nil })
            #expect(try await fixture.giveaways.enter(giveaway.id, guild: guild, entrant: fixture.entrant(fixture.humans[0])) == .entered)
            try await fixture.giveaways.endNow(giveaway.id, guild: guild, actor: fixture.owner, requestID: nil)
            #expect(try await fixture.runJobs { (try? await fixture.giveaways.store.find(giveaway.id, guild: guild)?.announcement) != nil })
            #expect(try await fixture.giveaways.store.find(giveaway.id, guild: guild)?.winners == [fixture.humans[0]])
            #expect(try await fixture.jobs.queue.schedules.find(key: giveaway.endScheduleKey)?.state == "cancelled")
            await #expect(throws: GuildhallError.self) { try await fixture.giveaways.endNow(giveaway.id, guild: guild, actor: fixture.owner, requestID: nil) }
        }
    }

    @Test("a downgrade lets a running giveaway draw the winners its plan allowed")
    func downgradeKeepsWinners() async throws {
        try await GiveawayFixture.with(.embedded) { fixture in
            let guild = try await fixture.prepare()
            try await fixture.premium.grant(guild: guild, until: Date().addingTimeInterval(86_400))
            let giveaway = try await fixture.giveaways.create(fixture.draft(winners: 25), guild: guild, actor: fixture.owner, requestID: nil)
            _ = try await fixture.premium.revokeGrants(guild: guild)
            #expect(try await fixture.premium.status(guild: guild).tier == .free)
            for index in 0..<20 { _ = try fixture.sandbox.control.addMember(guildID: guild, username: "extra\(index)") }
            #expect(fixture.humans.count > 25)
            for user in fixture.humans { _ = try await fixture.giveaways.enter(giveaway.id, guild: guild, entrant: fixture.entrant(user)) }
            guard case .ended(let winners) = try await fixture.giveaways.end(giveaway.id, guild: guild, claimant: "job:d", logger: fixture.logs.logger(label: "t")) else {
                Issue.record("did not end")
                return
            }
            // Drawn on the premium limits it was made under, not the free plan's 20.
            #expect(winners.count == 25)
        }
    }
}
