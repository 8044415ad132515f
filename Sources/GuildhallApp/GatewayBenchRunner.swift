import Foundation
import GuildhallCore
import GuildhallDiscordGateway
import GuildhallDiscordModels
import GuildhallSandbox
import Logging
import Synchronization

/// `guildhall bench gateway`: the sandbox's traffic generator sends MESSAGE_CREATE as fast as
/// the sockets take it; this process's shard manager reads it over real WebSockets, decodes
/// it and hands it to one consumer, as the gateway role does. Prints events/s and how many
/// events were in flight (sent by the sandbox, not yet consumed here) while it ran.
struct GatewayBenchRunner: Sendable {
    enum Placement: String, Sendable, CaseIterable {
        /// `guildhall sandbox` in a child process: the figure is this process's alone.
        case process
        /// The sandbox in this process, sharing its cores (for tests and quick looks).
        case inProcess = "in-process"
    }

    var events = 300_000
    var shards = 2
    var guilds = 40
    var members = 50
    /// Frames a connection may have queued in the sandbox before its generator waits.
    var maxBacklog = 20_000
    var placement = Placement.process
    /// The `guildhall` binary started as the sandbox child.
    var executable = Bundle.main.executableURL
    /// Frames per shard for the socket-free figure beside it (0 skips it).
    var socketFreeFrames = 100_000
    /// Extra environment for the sandbox child (tests point its coverage profile elsewhere).
    var childEnvironment: [String: String] = [:]
    var deadline: Duration = .seconds(600)

    func validate() throws {
        func fail(_ message: String) -> GuildhallError { GuildhallError(.invalidInput, "bench gateway: \(message)") }
        guard (1_000...100_000_000).contains(events) else { throw fail("--events must be 1000...100000000") }
        guard (1...64).contains(shards) else { throw fail("--shards must be 1...64") }
        guard (1...10_000).contains(guilds) else { throw fail("--guilds must be 1...10000") }
        guard (1...10_000).contains(members) else { throw fail("--members must be 1...10000") }
        guard (1...10_000_000).contains(maxBacklog) else { throw fail("--max-backlog must be 1...10000000") }
        guard (0...10_000_000).contains(socketFreeFrames) else { throw fail("--socket-free-frames must be 0...10000000") }
    }

    func run() async throws -> GatewayBenchReport {
        try validate()
        let sandbox = try await startSandbox()
        do {
            let report = try await measure(against: sandbox)
            await sandbox.stop()
            return report
        } catch {
            await sandbox.stop()
            throw error
        }
    }

    private func measure(against sandbox: BenchSandbox) async throws -> GatewayBenchReport {
        let quiet = Logger(label: "guildhall.bench.gateway", factory: { _ in SwiftLogNoOpLogHandler() })
        let configuration = ShardManager.Configuration(
            token: sandbox.token, intents: [.guilds, .guildMessages, .messageContent], shardIDs: Array(0..<shards),
            shardCount: shards, gatewayURL: sandbox.gatewayURL, maxConcurrency: sandbox.maxConcurrency
        )
        let manager = try ShardManager(configuration: configuration, logger: quiet)
        let running = Task { try await manager.run() }
        defer { running.cancel() }
        let tally = GatewayBenchTally()
        let target = events
        let consumer = Task { await tally.consume(manager.events, target: target) }

        guard await eventually(within: .seconds(60), { manager.isHealthy }) else {
            await manager.stop()
            throw GuildhallError(.unavailable, "bench gateway: the shards did not connect to the sandbox within 60 s")
        }
        let control = SandboxControlClient(controlURL: sandbox.controlURL)
        let meter = CPUMeter([CPUMeter.thisProcess] + (sandbox.pid.map { [("sandbox", $0)] } ?? []))
        let run = try await control.startTraffic(SandboxTrafficPlan(rate: 0, count: events, maxBacklog: maxBacklog))
        let started = ContinuousClock.now
        var inFlight: [Int] = []
        var lastStatus = run
        while tally.messages < target, started.duration(to: .now) < deadline {
            try await Task.sleep(for: .milliseconds(50))
            lastStatus = try await control.traffic(id: run.id)
            inFlight.append(max(0, lastStatus.sent - tally.messages))
        }
        let finished = tally.messages >= target
        let cpu = meter.usage()
        if !finished { try? await control.stopTraffic(id: run.id) }
        consumer.cancel()
        let outcome = await consumer.value
        await manager.stop()
        guard finished else {
            throw GuildhallError(
                .unavailable, "bench gateway: \(outcome.messages) of \(target) events arrived within \(deadline) (the sandbox sent \(lastStatus.sent))"
            )
        }
        var socketFree: GatewayDispatchBenchmark.Result?
        if socketFreeFrames > 0 {
            let frames = GatewayDispatchBenchmark.messageFrames(count: socketFreeFrames, guilds: guilds)
            socketFree = try await GatewayDispatchBenchmark.run(framesPerShard: frames, shards: shards)
        }
        return GatewayBenchReport(
            machine: MachineDescription.current(), placement: placement, shards: shards, guilds: guilds, events: outcome.messages,
            duration: started.duration(to: outcome.lastArrival ?? .now), inFlightSamples: inFlight,
            sequenceProblems: outcome.sequenceProblems, contentBytes: outcome.contentBytes, socketFree: socketFree, cpu: cpu
        )
    }

    private func eventually(within limit: Duration, _ condition: () -> Bool) async -> Bool {
        let end = ContinuousClock.now + limit
        while ContinuousClock.now < end {
            if condition() { return true }
            try? await Task.sleep(for: .milliseconds(50))
        }
        return condition()
    }

    // MARK: The sandbox

    func startSandbox() async throws -> BenchSandbox {
        switch placement {
        case .inProcess:
            let logger = Logger(label: "guildhall.bench.sandbox", factory: { _ in SwiftLogNoOpLogHandler() })
            let server = try SandboxServer(configuration: SandboxConfiguration(
                seed: 2090, guildCount: guilds, membersPerGuild: members, recommendedShards: shards, maxConcurrency: shards, logger: logger
            ))
            let endpoints = try await server.start()
            return BenchSandbox(
                token: server.world.read { $0.application.token }, gatewayURL: endpoints.gatewayURL, controlURL: endpoints.controlURL,
                maxConcurrency: shards, stop: { await server.stop() }
            )
        case .process:
            guard let executable else { throw GuildhallError(.unavailable, "bench gateway: cannot find the guildhall binary to start the sandbox") }
            return try await SandboxChildProcess.start(
                executable: executable,
                arguments: [
                    "sandbox", "--sandbox-guilds", String(guilds), "--sandbox-members", String(members),
                    "--sandbox-shards", String(shards), "--sandbox-seed", "2090",
                ],
                extraEnvironment: childEnvironment
            )
        }
    }
}

/// A sandbox the benchmark talks to, wherever it runs.
struct BenchSandbox: Sendable {
    var token: String
    var gatewayURL: String
    var controlURL: URL
    /// Identify buckets the sandbox allows per 5 s (`guildhall sandbox` allows Discord's 1).
    var maxConcurrency = 1
    var stop: @Sendable () async -> Void
    /// The child process's id (nil when the sandbox runs in this process).
    var pid: Int32? = nil
}

/// Counts what the consumer took off the manager's event sequence.
final class GatewayBenchTally: Sendable {
    struct Outcome: Sendable {
        var messages = 0
        var contentBytes = 0
        /// Dispatches whose sequence was not the shard's previous one plus one.
        var sequenceProblems = 0
        var lastArrival: ContinuousClock.Instant?
    }

    private let consumed = Atomic<Int>(0)

    var messages: Int { consumed.load(ordering: .relaxed) }

    /// Reads `events` until `target` MESSAGE_CREATEs arrived (or the task is cancelled).
    func consume(_ events: ShardEventQueue, target: Int) async -> Outcome {
        var outcome = Outcome()
        var lastSequence: [Int: Int] = [:]
        for await item in events {
            if let sequence = item.sequence {
                if let last = lastSequence[item.shardID], sequence != last + 1 { outcome.sequenceProblems += 1 }
                lastSequence[item.shardID] = sequence
            }
            guard case .messageCreate(let message) = item.event else { continue }
            outcome.contentBytes += message.content.utf8.count
            outcome.messages += 1
            consumed.store(outcome.messages, ordering: .relaxed)
            if outcome.messages >= target {
                outcome.lastArrival = .now
                break
            }
            if Task.isCancelled { break }
        }
        return outcome
    }
}

/// What `guildhall bench gateway` prints.
struct GatewayBenchReport: Sendable, CustomStringConvertible {
    var machine: String
    var placement: GatewayBenchRunner.Placement
    var shards: Int
    var guilds: Int
    var events: Int
    var duration: Duration
    var inFlightSamples: [Int]
    var sequenceProblems: Int
    var contentBytes: Int
    var socketFree: GatewayDispatchBenchmark.Result?
    /// What this process and the sandbox child used while the events flowed.
    var cpu: CPUUsage? = nil

    var seconds: Double { Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18 }
    var eventsPerSecond: Double { seconds > 0 ? Double(events) / seconds : 0 }
    var peakInFlight: Int { inFlightSamples.max() ?? 0 }
    var medianInFlight: Int {
        let sorted = inFlightSamples.sorted()
        return sorted.isEmpty ? 0 : sorted[sorted.count / 2]
    }

    var description: String {
        var lines = [
            "guildhall bench gateway",
            "machine: \(machine)",
            "sandbox: \(placement == .process ? "a separate guildhall sandbox process" : "in this process (shares its cores)"), \(guilds) guilds, traffic generator at full speed",
            "this process: \(shards) shard(s) over WebSockets, every event decoded and taken by one consumer",
            "events: \(events) MESSAGE_CREATE in \(String(format: "%.2f", seconds)) s = \(Int(eventsPerSecond)) events/s",
            "in flight (sent by the sandbox, not yet consumed; \(inFlightSamples.count) samples): median \(medianInFlight), peak \(peakInFlight); the seed's rule asks for at least 1,000",
            "sequence check: \(sequenceProblems == 0 ? "every dispatch in order, none missed or repeated" : "\(sequenceProblems) dispatch(es) out of sequence")",
        ]
        if let cpu { lines.append(cpu.line(work: events, unit: "events")) }
        if let socketFree {
            lines.append("without sockets (decode and dispatch only, \(socketFree.shards) shard(s) at once): \(Int(socketFree.eventsPerSecond)) events/s over \(socketFree.events) events")
        }
        return lines.joined(separator: "\n")
    }
}
