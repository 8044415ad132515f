import GuildhallCore
import GuildhallDiscordModels
import Logging
import NIOCore
import NIOPosix
import Synchronization

/// Runs a range of shards in this process, with identify permits from an `IdentifyLimiter`
/// (in-process, or Redis when several processes share the bot), and hands out each shard's
/// dispatches through its own bounded queue.
///
/// ```swift
/// let manager = try ShardManager(configuration: configuration, identifyLimiter: limiter)
/// async let running: Void = manager.run()
/// for (shard, queue) in manager.queues { … for await item in queue { item.sequence, item.event } … }
/// ```
public final class ShardManager: Sendable {
    public let configuration: Configuration
    /// Each shard's dispatches, in order, at most `eventQueueCapacity` waiting: one consumer
    /// per queue. They finish when `run()` returns.
    public let queues: [Int: ShardEventQueue]
    private let merged = Mutex<ShardEventQueue?>(nil)
    private let shards: [Int: GatewayShard]
    private let logger: Logger
    private let started = Mutex(false)

    public init(
        configuration: Configuration, identifyLimiter: any IdentifyLimiter = InProcessIdentifyLimiter(),
        random: ShardRandomSource = .system, logger: Logger = Logger(label: "guildhall.gateway"),
        eventLoopGroup: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton
    ) throws {
        let problems = configuration.problems
        guard problems.isEmpty else {
            throw GuildhallError(.invalidConfiguration, "gateway configuration: " + problems.joined(separator: "; "))
        }
        self.configuration = configuration
        self.logger = logger
        var shards: [Int: GatewayShard] = [:]
        var queues: [Int: ShardEventQueue] = [:]
        for id in configuration.shardIDs {
            let queue = ShardEventQueue(capacity: configuration.eventQueueCapacity)
            queues[id] = queue
            shards[id] = GatewayShard(
                configuration: configuration.shardConfiguration(id: id), identifyLimiter: identifyLimiter, random: random,
                logger: logger, eventLoopGroup: eventLoopGroup
            ) { event in
                await queue.push(event)
            }
        }
        self.shards = shards
        self.queues = queues
    }

    /// Every shard's dispatches in one sequence, in order per shard, for a single consumer
    /// that does not care which shard an event came from (benchmarks, tests). Bounded like
    /// the shard queues: a slow consumer slows every shard. Made on first use; later uses
    /// return the same sequence.
    public var events: ShardEventQueue {
        merged.withLock { merged in
            if let merged { return merged }
            let queue = ShardEventQueue(capacity: configuration.eventQueueCapacity)
            merged = queue
            let sources = Array(queues.values)
            Task {
                await withTaskGroup(of: Void.self) { group in
                    for source in sources {
                        group.addTask { for await event in source { await queue.push(event) } }
                    }
                }
                queue.finish()
            }
            return queue
        }
    }

    /// The shard ids this manager runs, ascending.
    public var shardIDs: [Int] { configuration.shardIDs.sorted() }

    /// Runs every shard until `stop()` or cancellation. A fatal close code on any shard (bad
    /// token, intents, shard or version) stops them all and is thrown: the others would fail
    /// the same way. The event sequence finishes when this returns.
    public func run() async throws {
        try started.withLock { started in
            guard !started else { throw GuildhallError(.conflict, "the shard manager is already running") }
            started = true
        }
        defer { for queue in queues.values { queue.finish() } }
        logger.info("shard manager starting", metadata: [
            "shards": "\(shardIDs)", "shard_count": "\(configuration.shardCount)", "max_concurrency": "\(configuration.maxConcurrency)",
        ])
        try await withThrowingTaskGroup(of: Void.self) { group in
            for id in shardIDs {
                let shard = shards[id]!
                group.addTask { try await shard.run() }
            }
            do {
                while try await group.next() != nil {}
            } catch {
                logger.error("a shard failed fatally; stopping every shard", metadata: ["error": "\(error)"])
                await stop()
                while (try? await group.next()) != nil {}
                throw error
            }
        }
    }

    /// Stops every shard (closing with 1000) and makes `run()` return.
    public func stop() async {
        await withTaskGroup(of: Void.self) { group in
            for shard in shards.values {
                group.addTask { await shard.stop() }
            }
        }
    }

    // MARK: Routing

    /// The shard that receives `guild`'s events: `(guild_id >> 22) % shard_count`.
    public func shardID(for guild: Snowflake) -> Int {
        guild.shard(count: configuration.shardCount)
    }

    /// The shard of this process that serves `guild`, or nil when another process runs it.
    public func shard(for guild: Snowflake) -> GatewayShard? {
        shards[shardID(for: guild)]
    }

    public func shard(id: Int) -> GatewayShard? {
        shards[id]
    }

    // MARK: Commands

    /// Sends a command on one shard (see `GatewayShard.send`).
    public func send(_ command: GatewayCommand, toShard id: Int) async throws {
        guard let shard = shards[id] else {
            throw GuildhallError(.gatewayCommandRejected, "shard \(id) is not run by this process (it runs \(shardIDs))")
        }
        try await shard.send(command)
    }

    /// Sends a guild's command (member request, voice state) on the shard that serves the guild.
    public func send(_ command: GatewayCommand, forGuild guild: Snowflake) async throws {
        try await send(command, toShard: shardID(for: guild))
    }

    /// Sends a command to every shard (a presence update is per session).
    public func broadcast(_ command: GatewayCommand) async throws {
        try await withThrowingTaskGroup(of: Void.self) { group in
            for shard in shards.values {
                group.addTask { try await shard.send(command) }
            }
            try await group.waitForAll()
        }
    }

    // MARK: Status

    public func status(ofShard id: Int) -> ShardStatus? {
        shards[id]?.status
    }

    /// Every shard's state, by shard id.
    public var snapshots: [ShardSnapshot] {
        shardIDs.compactMap { shards[$0]?.snapshot }
    }

    /// True when every shard of this process is connected.
    public var isHealthy: Bool {
        shards.values.allSatisfy { $0.status.isHealthy }
    }
}
