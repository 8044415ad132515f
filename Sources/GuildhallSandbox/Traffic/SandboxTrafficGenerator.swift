import Foundation
import GuildhallCore
import GuildhallDiscordModels
import Synchronization

/// What to generate: MESSAGE_CREATE events at `rate` per second (0: as fast as the sockets
/// take them) across guilds and their members, for a duration or a count, whichever ends first.
public struct SandboxTrafficPlan: Sendable, Codable, Equatable {
    public var rate: Int
    public var durationSeconds: Double?
    public var count: Int?
    /// Guilds to post in; `nil` means every guild.
    public var guildIDs: [Snowflake]?
    /// Dispatches a connection may have queued before the generator waits for it to drain.
    public var maxBacklog: Int

    public init(rate: Int, durationSeconds: Double? = nil, count: Int? = nil, guildIDs: [Snowflake]? = nil, maxBacklog: Int = 50_000) {
        self.rate = rate
        self.durationSeconds = durationSeconds
        self.count = count
        self.guildIDs = guildIDs
        self.maxBacklog = maxBacklog
    }

    enum CodingKeys: String, CodingKey {
        case rate, count
        case durationSeconds = "duration_seconds"
        case guildIDs = "guild_ids"
        case maxBacklog = "max_backlog"
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        rate = try container.decode(Int.self, forKey: .rate)
        durationSeconds = try container.decodeIfPresent(Double.self, forKey: .durationSeconds)
        count = try container.decodeIfPresent(Int.self, forKey: .count)
        guildIDs = try container.decodeIfPresent([Snowflake].self, forKey: .guildIDs)
        maxBacklog = try container.decodeIfPresent(Int.self, forKey: .maxBacklog) ?? 50_000
    }

    func validate() throws {
        func fail(_ message: String) -> GuildhallError { GuildhallError(.invalidInput, "traffic: \(message)") }
        guard (0...10_000_000).contains(rate) else { throw fail("rate must be between 0 and 10000000 events/s") }
        guard durationSeconds != nil || count != nil else { throw fail("give duration_seconds, count or both") }
        if let durationSeconds, !(durationSeconds > 0 && durationSeconds <= 3_600) { throw fail("duration_seconds must be in (0, 3600]") }
        if let count, !(1...100_000_000).contains(count) { throw fail("count must be between 1 and 100000000") }
        guard (1...10_000_000).contains(maxBacklog) else { throw fail("max_backlog must be between 1 and 10000000") }
        if let guildIDs, guildIDs.isEmpty { throw fail("guild_ids, when given, must name at least one guild") }
    }
}

/// A run of the traffic generator, as the control API reports it.
public struct SandboxTrafficStatus: Sendable, Codable, Equatable {
    public enum State: String, Sendable, Codable { case running, finished, stopped }
    public var id: Int
    public var state: State
    public var plan: SandboxTrafficPlan
    public var sent: Int
    public var elapsedSeconds: Double
    /// Time spent waiting for slow connections to drain.
    public var throttledSeconds: Double

    public var achievedRate: Double { elapsedSeconds > 0 ? Double(sent) / elapsedSeconds : 0 }

    enum CodingKeys: String, CodingKey {
        case id, state, plan, sent
        case elapsedSeconds = "elapsed_seconds"
        case throttledSeconds = "throttled_seconds"
        case achievedRate = "achieved_rate"
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(id, forKey: .id)
        try container.encode(state, forKey: .state)
        try container.encode(plan, forKey: .plan)
        try container.encode(sent, forKey: .sent)
        try container.encode(elapsedSeconds, forKey: .elapsedSeconds)
        try container.encode(throttledSeconds, forKey: .throttledSeconds)
        try container.encode(achievedRate, forKey: .achievedRate)
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        id = try container.decode(Int.self, forKey: .id)
        state = try container.decode(State.self, forKey: .state)
        plan = try container.decode(SandboxTrafficPlan.self, forKey: .plan)
        sent = try container.decode(Int.self, forKey: .sent)
        elapsedSeconds = try container.decode(Double.self, forKey: .elapsedSeconds)
        throttledSeconds = try container.decode(Double.self, forKey: .throttledSeconds)
    }

    init(id: Int, plan: SandboxTrafficPlan) {
        self.id = id
        state = .running
        self.plan = plan
        sent = 0
        elapsedSeconds = 0
        throttledSeconds = 0
    }
}

/// Generates member messages fast: each (guild, member) pair's MESSAGE_CREATE is encoded once
/// with the model types, then each event only splices a fresh message id into the bytes and
/// goes to the hub in batches, so the cost per event is a copy, not an encode.
public final class SandboxTrafficGenerator: Sendable {
    private struct Run: Sendable {
        var status: SandboxTrafficStatus
        var task: Task<Void, Never>?
        var stopRequested = false
    }

    private let world: SandboxWorld
    private let runs = Mutex<[Int: Run]>([:])
    private let nextID = Mutex(1)

    init(world: SandboxWorld) {
        self.world = world
    }

    /// Starts a run in the background.
    public func start(_ plan: SandboxTrafficPlan) throws -> SandboxTrafficStatus {
        try plan.validate()
        let templates = try TrafficTemplates(world: world, guildIDs: plan.guildIDs)
        let id = nextID.withLock { value in
            defer { value += 1 }
            return value
        }
        let status = SandboxTrafficStatus(id: id, plan: plan)
        runs.withLock { $0[id] = Run(status: status) }
        let task = Task.detached { [self] in await self.generate(id: id, plan: plan, templates: templates) }
        runs.withLock { $0[id]?.task = task }
        return status
    }

    public func status(id: Int) -> SandboxTrafficStatus? { runs.withLock { $0[id]?.status } }

    public var all: [SandboxTrafficStatus] { runs.withLock { $0.values.map(\.status).sorted { $0.id < $1.id } } }

    /// Asks a run to stop; false if there is no such run.
    @discardableResult
    public func stop(id: Int) -> Bool {
        runs.withLock { runs in
            guard runs[id] != nil else { return false }
            runs[id]?.stopRequested = true
            return true
        }
    }

    public func stopAll() {
        runs.withLock { runs in
            for id in runs.keys { runs[id]?.stopRequested = true }
        }
    }

    /// Waits for a run to end and returns its final status.
    public func wait(id: Int) async -> SandboxTrafficStatus? {
        let task = runs.withLock { $0[id]?.task }
        await task?.value
        return status(id: id)
    }

    private func generate(id: Int, plan: SandboxTrafficPlan, templates: TrafficTemplates) async {
        let clock = ContinuousClock()
        let start = clock.now
        var sent = 0
        var throttled = Duration.zero
        var ids = TrafficIDs()
        let batchLimit = 1_024
        var final = SandboxTrafficStatus.State.finished

        func elapsed() -> Double { SandboxTimes.seconds(clock.now - start) }
        while true {
            if runs.withLock({ $0[id]?.stopRequested ?? true }) || Task.isCancelled {
                final = .stopped
                break
            }
            let seconds = elapsed()
            if let duration = plan.durationSeconds, seconds >= duration { break }
            if let count = plan.count, sent >= count { break }
            var due = plan.rate == 0 ? sent + batchLimit : Int(seconds * Double(plan.rate))
            if let count = plan.count { due = min(due, count) }
            if due <= sent {
                try? await Task.sleep(for: .milliseconds(1))
                continue
            }
            if world.hub.maximumBacklog > plan.maxBacklog {
                let pause = clock.now
                try? await Task.sleep(for: .milliseconds(1))
                throttled += clock.now - pause
                continue
            }
            let amount = min(due - sent, batchLimit)
            var batch: [SandboxDispatch] = []
            batch.reserveCapacity(amount)
            for offset in 0..<amount {
                batch.append(templates.dispatch(index: sent + offset, messageID: ids.next()))
            }
            world.hub.dispatch(batch: batch)
            sent += amount
            runs.withLock {
                $0[id]?.status.sent = sent
                $0[id]?.status.elapsedSeconds = elapsed()
            }
            await Task.yield()
        }
        let total = elapsed()
        runs.withLock {
            $0[id]?.status.sent = sent
            $0[id]?.status.elapsedSeconds = total
            $0[id]?.status.throttledSeconds = SandboxTimes.seconds(throttled)
            $0[id]?.status.state = final
        }
    }
}

/// Message ids for generated traffic: in the mock window (2095, past every id the world's
/// factory hands out), with worker and process 31, so they never collide with stored ones.
struct TrafficIDs: Sendable {
    static let baseMilliseconds: UInt64 = 3_944_678_400_000
    private var counter: UInt64 = 0

    mutating func next() -> Snowflake {
        defer { counter += 1 }
        return Snowflake(
            timestampMilliseconds: Self.baseMilliseconds + counter / 4_096, worker: 31, process: 31, increment: UInt16(counter % 4_096)
        )
    }
}
