import FluentKit
import Foundation
import GuildhallBot
import GuildhallCore
import GuildhallKit
import GuildhallLeveling
import GuildhallRedis
import GuildhallSandbox
import GuildhallStorage
import Logging
import Synchronization

/// `guildhall bench xp`: the sandbox's traffic generator sends MESSAGE_CREATE flat out; this
/// process runs the bot as the gateway role does (shards over WebSockets, BotRuntime, the
/// leveling handler) with every award an atomic script on a real Redis. Prints events/s,
/// the latency from each event's arrival to its award, and redis-benchmark's pipelined
/// ops/s on the same server for scale.
struct XPBenchRunner: Sendable {
    var events = 200_000
    var shards = 2
    var guilds = 20
    var members = 200
    var maxBacklog = 20_000
    var maxInFlight = LevelingMessageHandler.defaultMaxInFlight
    var placement = GatewayBenchRunner.Placement.process
    var redisURL: String?
    var executable = Bundle.main.executableURL
    var childEnvironment: [String: String] = [:]
    var redisBenchmark = true
    var deadline: Duration = .seconds(600)

    func validate() throws {
        func fail(_ message: String) -> GuildhallError { GuildhallError(.invalidInput, "bench xp: \(message)") }
        guard (1_000...100_000_000).contains(events) else { throw fail("--events must be 1000...100000000") }
        guard (1...16).contains(shards) else { throw fail("--shards must be 1...16") }
        guard (1...1_000).contains(guilds) else { throw fail("--guilds must be 1...1000") }
        guard (1...10_000).contains(members) else { throw fail("--members must be 1...10000") }
        guard (1...100_000).contains(maxInFlight) else { throw fail("--max-in-flight must be 1...100000") }
    }

    func run() async throws -> XPBenchReport {
        try validate()
        let (url, server) = try LocalRedisServer.url(redisURL)
        defer { server?.stop() }
        var gateway = GatewayBenchRunner()
        gateway.shards = shards
        gateway.guilds = guilds
        gateway.members = members
        gateway.placement = placement
        gateway.executable = executable
        gateway.childEnvironment = childEnvironment
        let sandbox = try await gateway.startSandbox()
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("guildhall-bench-xp-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        do {
            let report = try await measure(sandbox: sandbox, redisURL: url, redisPID: server?.pid, database: folder.appendingPathComponent("bench.sqlite").path)
            await sandbox.stop()
            return report
        } catch {
            await sandbox.stop()
            throw error
        }
    }

    private func measure(sandbox: BenchSandbox, redisURL: String, redisPID: Int32?, database: String) async throws -> XPBenchReport {
        let quiet = Logger(label: "guildhall.bench.xp", factory: { _ in SwiftLogNoOpLogHandler() })
        let latencies = XPBenchLatencies(capacity: events)
        // The catalog's features, with leveling's message handler tuned and observed.
        let features: [any Feature] = FeatureCatalog.features.map { feature in
            feature is LevelingFeature ? LevelingFeature(maxInFlight: maxInFlight, messageObserver: { latencies.record($0) }) : feature
        }
        let platform = try await Platform.open(
            configuration: GuildhallConfiguration(database: .sqliteFile(path: database), redisURL: redisURL), role: .serve, logger: quiet, migrate: true,
            registry: FeatureCatalog.registry(features)
        )
        let apiURL = sandbox.controlURL.deletingLastPathComponent().appendingPathComponent("api/v10").absoluteString
        let target = DiscordTarget(
            apiURL: apiURL, token: sandbox.token, applicationID: nil, publicKeyHex: nil, oauthClientID: nil, oauthClientSecret: nil, sandbox: nil
        )
        let runtime = try await BotAssembly.make(platform: platform, target: target, shardIDs: Array(0..<shards), shardCount: shards, logger: quiet)
        let running = Task { try await runtime.run() }
        do {
            let result = try await drive(runtime: runtime, platform: platform, sandbox: sandbox, redisPID: redisPID, latencies: latencies)
            await runtime.stop()
            _ = try? await running.value
            await platform.close()
            return result
        } catch {
            await runtime.stop()
            _ = try? await running.value
            await platform.close()
            throw error
        }
    }

    private func drive(runtime: BotRuntime, platform: Platform, sandbox: BenchSandbox, redisPID: Int32?, latencies: XPBenchLatencies) async throws -> XPBenchReport {
        // The bot records each guild from its GUILD_CREATE; then leveling is switched on.
        let guildCount = guilds
        guard await eventually(within: .seconds(60), {
            (try? await GuildRecord.query(on: platform.database.database).count()) == guildCount && runtime.manager.isHealthy
        }) else {
            throw GuildhallError(.unavailable, "bench xp: the shards did not connect and register the sandbox's guilds within 60 s")
        }
        for guild in try await GuildRecord.query(on: platform.database.database).all() {
            try await platform.settings.setModule(.leveling, enabled: true, guild: guild.snowflake, actor: Snowflake(databaseValue: guild.ownerID), access: .owner)
        }
        let control = SandboxControlClient(controlURL: sandbox.controlURL)
        let meter = CPUMeter(
            [CPUMeter.thisProcess] + (sandbox.pid.map { [("sandbox", $0)] } ?? []) + (redisPID.map { [("redis-server", $0)] } ?? [])
        )
        let started = ContinuousClock.now
        let run = try await control.startTraffic(SandboxTrafficPlan(rate: 0, count: events, maxBacklog: maxBacklog))
        var lastStatus = run
        while latencies.count < events, started.duration(to: .now) < deadline {
            try await Task.sleep(for: .milliseconds(50))
            lastStatus = try await control.traffic(id: run.id)
        }
        let elapsed = started.duration(to: latencies.lastAt ?? .now)
        let cpu = meter.usage()
        guard latencies.count >= events else {
            try? await control.stopTraffic(id: run.id)
            throw GuildhallError(.unavailable, "bench xp: \(latencies.count) of \(events) events were awarded within \(deadline) (the sandbox sent \(lastStatus.sent))")
        }
        // Every (guild, member) that posted earns once: the run is shorter than the cooldown.
        var awarded = 0
        var highest: Int64 = 0
        let leveling = try platform.capability(LevelingService.self)
        for guild in try await GuildRecord.query(on: platform.database.database).all() {
            _ = try await leveling.flush(guild.snowflake)
            awarded += try await leveling.store.rankedCount(guild: guild.snowflake)
            highest = max(highest, try await leveling.store.leaderboard(guild: guild.snowflake, offset: 0, limit: 1).first?.xp ?? 0)
        }
        var figures: RedisBenchmarkTool.Figures?
        var note: String?
        if redisBenchmark {
            do {
                let configuration = try RedisConfiguration(url: platform.configuration.redisURL ?? "")
                figures = try RedisBenchmarkTool.run(host: configuration.host, port: configuration.port, operations: 200_000, pipeline: 16, clients: 50)
            } catch {
                note = "redis-benchmark did not run: \(error)"
            }
        }
        return XPBenchReport(
            machine: MachineDescription.current(), placement: placement, shards: shards, guilds: guilds, membersPerGuild: self.members, events: latencies.count,
            duration: elapsed, latencies: latencies.sorted(), awardedMembers: awarded, highestTotal: highest, maxInFlight: maxInFlight, redis: figures,
            redisNote: note, cpu: cpu
        )
    }

    private func eventually(within limit: Duration, _ condition: () async -> Bool) async -> Bool {
        let end = ContinuousClock.now + limit
        while ContinuousClock.now < end {
            if await condition() { return true }
            try? await Task.sleep(for: .milliseconds(100))
        }
        return await condition()
    }
}

/// Each award's latency, recorded from many tasks at once.
final class XPBenchLatencies: Sendable {
    private struct State {
        var nanoseconds: [Int64] = []
        var lastAt: ContinuousClock.Instant?
    }

    private let state: Mutex<State>

    init(capacity: Int) {
        var initial = State()
        initial.nanoseconds.reserveCapacity(capacity)
        state = Mutex(initial)
    }

    func record(_ latency: Duration) {
        let (seconds, attoseconds) = latency.components
        let now = ContinuousClock.now
        state.withLock {
            $0.nanoseconds.append(seconds * 1_000_000_000 + attoseconds / 1_000_000_000)
            $0.lastAt = now
        }
    }

    var count: Int { state.withLock { $0.nanoseconds.count } }
    var lastAt: ContinuousClock.Instant? { state.withLock { $0.lastAt } }
    func sorted() -> [Int64] { state.withLock { $0.nanoseconds }.sorted() }
}

/// What `guildhall bench xp` prints.
struct XPBenchReport: Sendable, CustomStringConvertible {
    var machine: String
    var placement: GatewayBenchRunner.Placement
    var shards: Int
    var guilds: Int
    var membersPerGuild: Int
    var events: Int
    var duration: Duration
    /// Sorted, in nanoseconds.
    var latencies: [Int64]
    /// Members with XP in the database after the run (each earned once).
    var awardedMembers: Int
    /// The highest total after the run: at most 25 when every member earned once.
    var highestTotal: Int64
    var maxInFlight: Int
    var redis: RedisBenchmarkTool.Figures?
    var redisNote: String?
    /// This process, the sandbox child and the private redis-server while the events flowed.
    var cpu: CPUUsage? = nil

    var seconds: Double { Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18 }
    var eventsPerSecond: Double { seconds > 0 ? Double(events) / seconds : 0 }

    func percentile(_ p: Double) -> Double {
        guard !latencies.isEmpty else { return 0 }
        let index = min(latencies.count - 1, Int((Double(latencies.count) * p).rounded(.up)) - 1)
        return Double(latencies[max(0, index)]) / 1e6
    }

    var description: String {
        var lines = [
            "guildhall bench xp",
            "machine: \(machine)",
            "sandbox: \(placement == .process ? "a separate guildhall sandbox process" : "in this process (shares its cores)"), \(guilds) guilds × \(membersPerGuild) members, traffic generator at full speed",
            "this process: \(shards) shard(s) over WebSockets → BotRuntime → LevelingMessageHandler (at most \(maxInFlight) messages in flight, awarded in batches) → one atomic script per guild per batch on Redis",
            "events: \(events) MESSAGE_CREATE in \(String(format: "%.2f", seconds)) s = \(Int(eventsPerSecond)) events/s (target: at least 50,000)",
            "latency, arrival to award: p50 \(String(format: "%.2f", percentile(0.5))) ms, p99 \(String(format: "%.2f", percentile(0.99))) ms, max \(String(format: "%.2f", percentile(1)) ) ms",
            cpu.map { $0.line(work: events, unit: "events") } ?? "CPU seconds: not readable here",
            "awards: \(awardedMembers) members earned XP, written behind to the database; the highest total is \(highestTotal) XP \(highestTotal <= 25 ? "(one award each: the 60 s cooldown held every later message)" : "(MORE THAN ONE AWARD: the cooldown did not hold)")",
        ]
        if let redis {
            lines.append("redis-benchmark on the same server, pipeline 16, 50 clients: SET \(Int(redis.set)) ops/s, GET \(Int(redis.get)) ops/s")
        } else if let redisNote {
            lines.append(redisNote)
        }
        return lines.joined(separator: "\n")
    }
}
