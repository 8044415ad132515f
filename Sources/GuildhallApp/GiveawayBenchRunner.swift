import FluentKit
import Foundation
import GuildhallBot
import GuildhallCore
import GuildhallGiveaways
import GuildhallJobs
import GuildhallSandbox
import GuildhallStorage
import Logging
import SQLKit
import Synchronization

/// `guildhall bench giveaways`, the seed's giveaway stress test, in two phases against a
/// sandbox Discord over loopback sockets, with the bot, the job worker and the scheduler
/// of this process on a private redis-server and an SQLite file:
/// 1. entries: members click Enter through the real interaction path (the sandbox sends
///    INTERACTION_CREATE over the gateway, the bot answers by REST), counted in the database;
/// 2. endings: `endings` giveaways are rescheduled to end in the same second; the time until
///    the last winners' announcement is posted, and that each was posted exactly once.
struct GiveawayBenchRunner: Sendable {
    var entries = 100_000
    var endings = 1_000
    /// Members who enter each giveaway of the entry phase.
    var entrantsPerGiveaway = 1_000
    /// Clicks in flight at once.
    var clickers = 64
    var workers = 32
    var redisURL: String?
    /// Where the database lives; nil is an SQLite file in a temporary folder.
    var databaseURL: String?
    /// Discord's own rate limits (50 requests/s, 5 messages per 5 s per channel) instead of
    /// limits that never bite: those make the 5 s target impossible for 1,000 endings, so
    /// the default measures Guildhall rather than the limits.
    var discordLimits = false
    var deadline: Duration = .seconds(600)

    /// The bot's own global budget (`DISCORD_GLOBAL_RATE_LIMIT`): Discord's 50 per second
    /// with `--discord-limits`, else the most Guildhall accepts, as a bot with a higher
    /// global limit would set it. At 50 per second, 1,000 endings (a post and an edit each) need
    /// 40 s whatever Guildhall does.
    var globalRateLimit: Int { discordLimits ? 50 : 10_000 }
    var showProgress = true

    /// Premium's limit of running giveaways per guild.
    static let perGuild = 100

    func validate() throws {
        func fail(_ message: String) -> GuildhallError { GuildhallError(.invalidInput, "bench giveaways: \(message)") }
        guard (1_000...1_000_000).contains(entries) else { throw fail("--entries must be 1000...1000000") }
        guard (1...5_000).contains(endings) else { throw fail("--endings must be 1...5000") }
        guard (10...5_000).contains(entrantsPerGiveaway) else { throw fail("--entrants must be 10...5000") }
        guard (1...1_024).contains(clickers) else { throw fail("--clickers must be 1...1024") }
        guard (1...512).contains(workers) else { throw fail("--workers must be 1...512") }
        guard giveaways <= 5_000 else { throw fail("--entries / --entrants asks for \(giveaways) giveaways (at most 5000); raise --entrants") }
    }

    var entryGiveaways: Int { (entries + entrantsPerGiveaway - 1) / entrantsPerGiveaway }
    var giveaways: Int { max(endings, entryGiveaways) }
    var guilds: Int { (giveaways + Self.perGuild - 1) / Self.perGuild }

    func run() async throws -> GiveawayBenchReport {
        try validate()
        let (url, server) = try LocalRedisServer.url(redisURL)
        defer { server?.stop() }
        let quiet = Logger(label: "guildhall.bench.giveaways", factory: { _ in SwiftLogNoOpLogHandler() })
        let sandbox = try SandboxServer(configuration: SandboxConfiguration(
            seed: 77, guildCount: guilds, membersPerGuild: entrantsPerGiveaway + 40, recommendedShards: 1,
            rateLimits: discordLimits ? .discordLike : .relaxed, logger: quiet
        ))
        let endpoints = try await sandbox.start()
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("guildhall-bench-giveaways-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        do {
            var configuration = GuildhallConfiguration(
                database: try databaseURL.map { try DatabaseLocation.parse($0) } ?? .sqliteFile(path: folder.appendingPathComponent("bench.sqlite").path),
                redisURL: url
            )
            configuration.discordGlobalRateLimit = globalRateLimit
            let platform = try await Platform.open(configuration: configuration, role: .serve, logger: quiet, migrate: true)
            let application = sandbox.world.read { $0.application }
            let target = DiscordTarget(
                apiURL: endpoints.apiBaseURL.absoluteString, token: application.token, applicationID: application.id, publicKeyHex: nil,
                oauthClientID: nil, oauthClientSecret: nil, sandbox: nil
            )
            let runtime = try await BotAssembly.make(platform: platform, target: target, shardIDs: nil, shardCount: nil, logger: quiet)
            let running = Task { try await runtime.run() }
            defer { running.cancel() }
            do {
                let report = try await measure(platform: platform, runtime: runtime, sandbox: sandbox, redisPID: server?.pid, logger: quiet)
                await runtime.stop()
                await platform.close()
                await sandbox.stop()
                return report
            } catch {
                await runtime.stop()
                await platform.close()
                throw error
            }
        } catch {
            await sandbox.stop()
            throw error
        }
    }

    struct Prepared {
        var giveaways: [Giveaway]
        var humans: [Snowflake: [Snowflake]]
        var creation: Duration
    }

    private func measure(platform: Platform, runtime: BotRuntime, sandbox: SandboxServer, redisPID: Int32?, logger: Logger) async throws -> GiveawayBenchReport {
        let prepared = try await prepare(platform: platform, runtime: runtime, sandbox: sandbox)
        // The sandbox runs in this process, so its share is in guildhall's.
        let processes = [CPUMeter.thisProcess] + (redisPID.map { [("redis-server", $0)] } ?? [])
        let entryMeter = CPUMeter(processes)
        let entryPhase = try await enter(prepared, platform: platform, sandbox: sandbox)
        let entryCPU = entryMeter.usage()
        let endMeter = CPUMeter(processes)
        let endPhase = try await end(Array(prepared.giveaways.prefix(endings)), platform: platform, sandbox: sandbox, logger: logger)
        let endCPU = endMeter.usage()
        return GiveawayBenchReport(
            machine: MachineDescription.current(), database: platform.database.location.description, discordLimits: discordLimits, guilds: guilds, giveaways: prepared.giveaways.count,
            creation: prepared.creation, entries: entryPhase, endings: endPhase, clickers: clickers, workers: workers,
            globalRateLimit: globalRateLimit, entryCPU: entryCPU, endCPU: endCPU
        )
    }

    /// Waits for the bot to register every guild, switches giveaways on with premium (100
    /// running per guild), and creates the giveaways through the service, messages and all.
    private func prepare(platform: Platform, runtime: BotRuntime, sandbox: SandboxServer) async throws -> Prepared {
        let guildCount = guilds
        progress("waiting for the bot to register \(guildCount) guilds")
        guard await eventually(within: .seconds(120), {
            (try? await GuildRecord.query(on: platform.database.database).count()) == guildCount && runtime.manager.isHealthy
        }) else {
            throw GuildhallError(.unavailable, "bench giveaways: the bot did not register the sandbox's \(guildCount) guilds within 120 s")
        }
        let world = sandbox.world.read { state in
            state.orderedGuilds.map { guild in
                (
                    guild: guild, channel: guild.channelIDs.first { state.channels[$0]?.kind == .text }!,
                    humans: guild.orderedMembers.map(\.userID).filter { state.users[$0]?.isBot == false && $0 != guild.ownerID }
                )
            }
        }
        var humans: [Snowflake: [Snowflake]] = [:]
        for entry in world {
            humans[entry.guild.id] = Array(entry.humans.prefix(entrantsPerGiveaway))
            try await platform.settings.setModule(.giveaways, enabled: true, guild: entry.guild.id, actor: entry.guild.ownerID, access: .owner)
            try await platform.premium.grant(guild: entry.guild.id, until: Date().addingTimeInterval(86_400))
        }
        progress("creating \(giveaways) giveaways")
        let started = ContinuousClock.now
        var created: [Giveaway] = []
        for index in 0..<giveaways {
            let entry = world[index % world.count]
            let draft = GiveawayDraft(prize: "Bench prize \(index)", winners: 1, channelID: entry.channel, endsAt: Date().timeIntervalSince1970 + 3_600)
            created.append(try await platform.capability(GiveawayService.self).create(
                draft, guild: entry.guild.id, actor: .member(entry.guild.ownerID, permissions: .all, roles: []), requestID: nil
            ))
        }
        return Prepared(giveaways: created, humans: humans, creation: started.duration(to: .now))
    }

    /// Phase 1: every click goes through the sandbox as a member's would.
    private func enter(_ prepared: Prepared, platform: Platform, sandbox: SandboxServer) async throws -> GiveawayBenchReport.Entries {
        var clicks: [(channel: Snowflake, message: Snowflake, user: Snowflake, customID: String)] = []
        clicks.reserveCapacity(entries)
        outer: for giveaway in prepared.giveaways.prefix(entryGiveaways) {
            guard let message = giveaway.message else { continue }
            for user in prepared.humans[giveaway.guild] ?? [] {
                if clicks.count == entries { break outer }
                clicks.append((giveaway.channel, message, user, GiveawayMessage.enterID(giveaway.id)))
            }
        }
        guard clicks.count == entries else {
            throw GuildhallError(.unavailable, "bench giveaways: only \(clicks.count) distinct entries are possible with this world")
        }
        let control = sandbox.control
        progress("sending \(entries) Enter clicks")
        let tally = ClickTally()
        let work = clicks
        let window = clickers
        let answeredBefore = control.answeredCount
        let started = ContinuousClock.now
        // A few senders keep the window full; a sender waiting for room sleeps a millisecond
        // at a time, so fewer senders mean fewer wake-ups stealing the bot's CPU.
        await withTaskGroup(of: Void.self) { group in
            for _ in 0..<min(clickers, 4) {
                group.addTask {
                    while true {
                        let index = tally.next.wrappingAdd(1, ordering: .relaxed).oldValue
                        guard index < work.count else { return }
                        // At most `clickers` clicks wait for their answer at any time, as
                        // members wait for theirs: the backlog, and so the latency, stay
                        // bounded. A click not answered within Discord's 3 s stops holding its place.
                        let giveUp = ContinuousClock.now + .seconds(3)
                        while index - (control.answeredCount - answeredBefore) >= window, ContinuousClock.now < giveUp {
                            try? await Task.sleep(for: .milliseconds(1))
                        }
                        let click = work[index]
                        do {
                            _ = try await control.clickComponent(
                                channelID: click.channel, messageID: click.message, userID: click.user, customID: click.customID
                            )
                        } catch {
                            tally.failures.wrappingAdd(1, ordering: .relaxed)
                        }
                    }
                }
            }
        }
        let sent = started.duration(to: .now)
        progress("clicks sent in \(sent); waiting for the entries and the answers")
        let target = entries - tally.failures.load(ordering: .relaxed)
        var stored = 0
        var answered = 0
        var lastReport = ContinuousClock.now
        var lastChange = ContinuousClock.now
        // Done when every entry is in the database and every click has its answer, or when
        // the answers stopped coming for 5 s (a late answer is refused, as Discord refuses
        // it: the member sees "This interaction failed"; the report counts them).
        let counted = await eventually(within: deadline) {
            stored = (try? await Self.count("SELECT COUNT(*) AS n FROM giveaway_entries", platform)) ?? 0
            let now = control.answeredCount - answeredBefore
            if now != answered {
                answered = now
                lastChange = .now
            }
            if stored < target || answered < target, ContinuousClock.now > lastReport + .seconds(5) {
                lastReport = .now
                progress("\(stored) stored, \(answered) answered of \(target)")
            }
            return stored >= target && (answered >= target || lastChange.duration(to: .now) > .seconds(5))
        }
        let elapsed = started.duration(to: answered >= target ? .now : lastChange)
        guard counted else {
            throw GuildhallError(.unavailable, "bench giveaways: \(stored) of \(target) entries were stored and \(answered) answered within \(deadline)")
        }
        // Click-to-answer latencies and the answers, as the sandbox recorded them. An answer
        // deferred under load ("thinking…", then the reply edited in) counts by its final text.
        let answers = sandbox.world.read { state in
            state.interactions.values.filter { $0.type == 3 }.map { interaction in
                let final = interaction.originalMessageID.flatMap { state.messages[$0]?.content }
                return (interaction.respondedAt.map { $0 - interaction.createdAt }, final ?? interaction.response?["data"]?["content"]?.stringValue ?? "")
            }
        }
        let latencies = answers.compactMap(\.0).map { Int64($0 * 1_000_000) }.sorted()
        let entered = answers.filter { $0.1.hasPrefix("🎉 You're in") }.count
        // Any other answer, by its text (at most a few), so a run that is off says how.
        let others = Dictionary(answers.filter { !$0.1.hasPrefix("🎉 You're in") }.map { (String($0.1.prefix(120)), 1) }, uniquingKeysWith: +)
        return .init(
            clicks: entries, failedClicks: entries - target, stored: stored, answered: answered, sending: sent, duration: elapsed,
            latenciesMicroseconds: latencies, enteredAnswers: entered, otherAnswers: others
        )
    }

    /// Phase 2: every giveaway is rescheduled to end at the same whole second `T`; this
    /// process's scheduler and worker end them.
    private func end(_ chosen: [Giveaway], platform: Platform, sandbox: SandboxServer, logger: Logger) async throws -> GiveawayBenchReport.Endings {
        progress("scheduling \(chosen.count) endings for the same second")
        let scheduleStarted = Date()
        // Enough lead to schedule them all first (about 2 ms each; 5 allowed) and a whole second.
        let lead = 3 + Double(chosen.count) * 0.005
        let endAt = (scheduleStarted.timeIntervalSince1970 + lead).rounded(.up)
        for giveaway in chosen {
            try await platform.jobs.queue.schedule(
                GiveawayJobs.end, .init(giveaway: giveaway.id), guild: giveaway.guild, at: Date(timeIntervalSince1970: endAt), key: giveaway.endScheduleKey, replace: true
            )
        }
        let scheduledBy = Date().timeIntervalSince1970
        guard scheduledBy < endAt else {
            throw GuildhallError(.unavailable, "bench giveaways: scheduling \(chosen.count) endings took longer than the \(Int(lead)) s before they were due")
        }
        let worker = try platform.jobs.worker(configuration: .init(concurrency: workers, pollInterval: .milliseconds(20)), logger: logger)
        let scheduler = try platform.jobs.scheduler(configuration: .init(lookahead: .seconds(5), tickInterval: .milliseconds(200), batchSize: 1_000), logger: logger)
        let workerTask = Task { await worker.run() }
        let schedulerTask = Task { await scheduler.run() }
        defer {
            worker.shutdown()
            schedulerTask.cancel()
        }
        let ids = chosen.map(\.id)
        var announced = 0
        let finished = await eventually(within: deadline) {
            announced = (try? await Self.count("SELECT COUNT(*) AS n FROM giveaways WHERE announcement_id IS NOT NULL", platform)) ?? 0
            return announced >= ids.count
        }
        worker.shutdown()
        await workerTask.value
        guard finished else {
            throw GuildhallError(.unavailable, "bench giveaways: \(announced) of \(ids.count) endings were announced within \(deadline)")
        }
        // Every announcement in the sandbox, by giveaway: its nonce names the ending.
        let byID = Dictionary(uniqueKeysWithValues: chosen.map { ($0.id, $0) })
        var posted: [Int64: [Double]] = [:]
        sandbox.world.read { state in
            for message in state.messages.values {
                guard case .string(let nonce)? = message.nonce, nonce.hasPrefix("gw"), nonce.hasSuffix("e"),
                      let id = Int64(nonce.dropFirst(2).dropLast()), byID[id] != nil else { continue }
                posted[id, default: []].append(Double(message.timestamp.microsecondsSinceEpoch) / 1_000_000)
            }
        }
        var onceCount = 0
        var missing = 0
        var duplicated = 0
        var delays: [Double] = []
        for id in ids {
            let times = posted[id] ?? []
            if times.isEmpty { missing += 1 } else if times.count > 1 { duplicated += 1 } else { onceCount += 1 }
            if let first = times.min() { delays.append(first - endAt) }
        }
        var winnersStored = 0
        for giveaway in chosen {
            if try await platform.capability(GiveawayService.self).store.find(giveaway.id, guild: giveaway.guild)?.winners?.isEmpty == false { winnersStored += 1 }
        }
        return .init(
            endings: ids.count, scheduling: scheduledBy - scheduleStarted.timeIntervalSince1970, delays: delays.sorted(), exactlyOnce: onceCount,
            missing: missing, duplicated: duplicated, winnersStored: winnersStored
        )
    }

    /// Progress for whoever watches the run; the report comes at the end on standard output.
    func progress(_ text: String) {
        if showProgress { FileHandle.standardError.write(Data(("bench giveaways: " + text + "\n").utf8)) }
    }

    static func count(_ query: String, _ platform: Platform) async throws -> Int {
        let row = try await platform.database.sql.raw(SQLQueryString(query)).first()
        return Int(try row?.decode(column: "n", as: Int64.self) ?? 0)
    }

    private func eventually(within limit: Duration, _ condition: () async -> Bool) async -> Bool {
        let deadline = ContinuousClock.now + limit
        while ContinuousClock.now < deadline {
            if await condition() { return true }
            try? await Task.sleep(for: .milliseconds(250))
        }
        return await condition()
    }
}

/// The click phase's shared counters: the next click to send, and clicks the sandbox refused.
final class ClickTally: Sendable {
    let next = Atomic<Int>(0)
    let failures = Atomic<Int>(0)
}

/// What `bench giveaways` prints.
struct GiveawayBenchReport: Sendable, CustomStringConvertible {
    struct Entries: Sendable {
        var clicks: Int
        var failedClicks: Int
        var stored: Int
        /// Clicks whose answer reached the sandbox in time (Discord allows 3 s).
        var answered: Int
        /// Until the last click was handed to the sandbox.
        var sending: Duration
        /// Until the last entry was in the database.
        var duration: Duration
        var latenciesMicroseconds: [Int64]
        var enteredAnswers: Int
        /// Answers other than "You're in", by text, with how many times each came.
        var otherAnswers: [String: Int] = [:]

        var perMinute: Double { Double(stored) / max(duration.seconds, 0.001) * 60 }
    }

    struct Endings: Sendable {
        var endings: Int
        var scheduling: Double
        /// Seconds from the end time to each giveaway's announcement, sorted.
        var delays: [Double]
        var exactlyOnce: Int
        var missing: Int
        var duplicated: Int
        var winnersStored: Int

        var last: Double { delays.last ?? .infinity }
    }

    var machine: String
    var database: String
    var discordLimits: Bool
    var guilds: Int
    var giveaways: Int
    var creation: Duration
    var entries: Entries
    var endings: Endings
    var clickers: Int
    var workers: Int
    var globalRateLimit: Int
    /// This process (the sandbox with it) and the private redis-server, per phase.
    var entryCPU: CPUUsage? = nil
    var endCPU: CPUUsage? = nil

    static func percentile(_ sorted: [Int64], _ p: Double) -> Double {
        guard !sorted.isEmpty else { return 0 }
        return Double(sorted[min(sorted.count - 1, Int((Double(sorted.count - 1) * p).rounded()))]) / 1_000
    }

    var description: String {
        let e = entries
        let n = endings
        func f(_ value: Double, _ digits: Int = 2) -> String { String(format: "%.\(digits)f", value) }
        let entryTarget = e.stored >= 100_000 && e.answered == e.clicks && e.duration.seconds <= 60
        let endTarget = n.last <= 5 && n.exactlyOnce == n.endings
        return [
            "guildhall bench giveaways",
            "machine: \(machine)",
            "sandbox rate limits: \(discordLimits ? "Discord's (50 requests/s, 5 messages per 5 s per channel)" : "relaxed (never bite; --discord-limits for Discord's)")",
            "bot's global REST budget (DISCORD_GLOBAL_RATE_LIMIT): \(globalRateLimit) requests/s",
            "database: \(database)",
            "world: \(guilds) guilds, \(giveaways) giveaways created in \(f(creation.seconds)) s (messages posted, ends scheduled)",
            "",
            "entries (Enter clicks through the sandbox → INTERACTION_CREATE → bot → database → callback):",
            "  clicks: \(e.clicks) (\(clickers) in flight), failed to send: \(e.failedClicks)",
            "  stored and answered: \(e.stored) in \(f(e.duration.seconds)) s (last click sent at \(f(e.sending.seconds)) s) = \(f(e.perMinute, 0)) entries/min",
            "  click → answer: p50 \(f(Self.percentile(e.latenciesMicroseconds, 0.5))) ms, p99 \(f(Self.percentile(e.latenciesMicroseconds, 0.99))) ms, max \(f(Self.percentile(e.latenciesMicroseconds, 1))) ms",
            "  answered in time: \(e.answered) of \(e.clicks) (late answers are refused, as Discord refuses them); \"You're in\": \(e.enteredAnswers)",
            "  target 100,000 entries within a minute: \(entryTarget ? "met" : "NOT met")",
            "  " + (entryCPU.map { $0.line(work: e.stored, unit: "entries") } ?? "CPU seconds: not readable here"),
            "",
            "endings (\(n.endings) giveaways due in the same second; \(workers) job slots):",
            "  scheduled in \(f(n.scheduling)) s, before the due second",
            "  end time → announcement: p50 \(f(n.delays.isEmpty ? 0 : n.delays[n.delays.count / 2])) s, last \(f(n.last)) s",
            "  announcements: exactly once \(n.exactlyOnce), missing \(n.missing), more than once \(n.duplicated); winners stored \(n.winnersStored)",
            "  target every winner message within 5 s, each exactly once: \(endTarget ? "met" : "NOT met")",
            "  " + (endCPU.map { $0.line(work: n.exactlyOnce, unit: "endings") } ?? "CPU seconds: not readable here"),
        ].joined(separator: "\n")
    }
}

fileprivate extension Duration {
    var seconds: Double { Double(components.seconds) + Double(components.attoseconds) / 1e18 }
}
