import ArgumentParser
import Foundation
import GuildhallBot
import GuildhallCore
import GuildhallKit
import GuildhallLeveling
import GuildhallRedis
import Logging

/// `guildhall bench <name>`: benchmarks print figures and the machine they ran on.
/// They are not tests and assert nothing about speed.
struct BenchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Measure Guildhall on this machine and print the figures.",
        subcommands: [RedisBench.self, JobsBench.self, GatewayBench.self, XPBench.self, GiveawayBench.self]
    )
}

/// `guildhall bench giveaways`: entries through the interaction path, then endings due in
/// the same second.
struct GiveawayBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "giveaways",
        abstract: "Click Enter through the sandbox and the bot, then end giveaways due in the same second; print entries/min, the time to the last announcement and that each was posted once."
    )

    @Option(help: "Entries (Enter clicks by distinct members).") var entries = 100_000
    @Option(help: "Giveaways due to end in the same second.") var endings = 1_000
    @Option(help: "Members entering each giveaway of the entry phase.") var entrants = 1_000
    @Option(help: "Clicks in flight at once.") var clickers = 64
    @Option(help: "Job slots ending giveaways.") var workers = 32
    @Flag(name: .customLong("discord-limits"), help: "Use Discord's rate limits in the sandbox (50 requests/s make 1,000 endings in 5 s impossible).")
    var discordLimits = false
    @Option(name: .customLong("redis-url"), help: "Server to use (env REDIS_URL). Unset: a private redis-server on a free loopback port.")
    var redisURL: String?
    @Option(name: .customLong("database-url"), help: "Database to use (a PostgreSQL URL, or sqlite:path). Unset: an SQLite file in a temporary folder.")
    var databaseURL: String?

    func runner() throws -> GiveawayBenchRunner {
        var runner = GiveawayBenchRunner()
        runner.entries = entries
        runner.endings = endings
        runner.entrantsPerGiveaway = entrants
        runner.clickers = clickers
        runner.workers = workers
        runner.discordLimits = discordLimits
        runner.redisURL = redisURL ?? ProcessInfo.processInfo.environment["REDIS_URL"]
        runner.databaseURL = databaseURL
        do { try runner.validate() } catch { throw ValidationError("\(error)") }
        return runner
    }

    func validate() throws { _ = try runner() }

    func run() async throws {
        print(try await runner().run())
    }
}

struct RedisBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "redis",
        abstract: "Our Redis client's SET/GET ops/s beside redis-benchmark's, same server, same pipeline depth."
    )

    @Option(name: .customLong("redis-url"), help: "Server to use (env REDIS_URL). Unset: a private redis-server on a free loopback port.")
    var redisURL: String?
    @Option(help: "Operations per run (half SET, half GET).") var operations = 200_000
    @Option(help: "Pipeline depth (commands in flight per connection).") var pipeline = 16
    @Option(help: "Clients issuing commands at once (our tasks and redis-benchmark's -c).") var clients = 50
    @Option(help: "Our client's pooled connections.") var connections = 4

    func validate() throws {
        guard operations > 0, pipeline > 0, connections > 0, clients > 0 else {
            throw ValidationError("--operations, --pipeline, --clients and --connections must be positive")
        }
    }

    func run() async throws {
        let report = try await RedisBenchRunner(
            redisURL: redisURL ?? ProcessInfo.processInfo.environment["REDIS_URL"],
            operations: operations, pipeline: pipeline, connections: connections, clients: clients
        ).run()
        print(report)
    }
}

/// `guildhall bench jobs`: the worker retry simulation, verified in the database.
struct JobsBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "jobs",
        abstract: "Run jobs with injected transient failures and duplicate enqueues; print throughput, retries, duplicates suppressed and dead letters, and verify every effect happened exactly once."
    )

    @Option(help: "Jobs to run.") var jobs = 10_000
    @Option(name: .customLong("failure-rate"), help: "Share of attempts that fail on purpose (0 to below 1).") var failureRate = 0.3
    @Option(help: "Extra enqueues of already-enqueued jobs (same idempotency key).") var duplicates = 1_000
    @Option(help: "Jobs the worker runs at once.") var concurrency = 32
    @Option(name: .customLong("max-attempts"), help: "Attempts per job before it is dead-lettered.") var maxAttempts = 5
    @Option(help: "redis or in-process.") var driver = "redis"
    @Option(name: .customLong("redis-url"), help: "Redis to use (env REDIS_URL). Unset: a private redis-server on a free loopback port.")
    var redisURL: String?
    @Option(name: .customLong("database-url"), help: "Database for effects and dead letters (env DATABASE_URL). Unset: a throwaway SQLite file.")
    var databaseURL: String?
    @Option(help: "Seed of the injected failures and duplicate choices.") var seed: UInt64 = 2090

    func validate() throws {
        guard JobsBenchRunner.Driver(rawValue: driver) != nil else { throw ValidationError("--driver must be redis or in-process") }
        var runner = JobsBenchRunner()
        runner.jobs = jobs
        runner.failureRate = failureRate
        runner.duplicates = duplicates
        runner.concurrency = concurrency
        runner.maximumAttempts = maxAttempts
        do { try runner.validate() } catch { throw ValidationError("\(error)") }
    }

    func run() async throws {
        let environment = ProcessInfo.processInfo.environment
        var runner = JobsBenchRunner()
        runner.jobs = jobs
        runner.failureRate = failureRate
        runner.duplicates = duplicates
        runner.concurrency = concurrency
        runner.maximumAttempts = maxAttempts
        runner.driver = JobsBenchRunner.Driver(rawValue: driver) ?? .redis
        runner.redisURL = redisURL ?? environment["REDIS_URL"]
        runner.seed = seed
        if let url = databaseURL ?? environment["DATABASE_URL"] {
            runner.database = try DatabaseLocation.parse(url)
        }
        print(try await runner.run())
    }
}

/// `guildhall bench gateway`: events/s decoded and dispatched by this process from the
/// sandbox's traffic generator, with the number of events in flight.
struct GatewayBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "gateway",
        abstract: "Drive MESSAGE_CREATE from the sandbox's traffic generator through real WebSockets into this process's shards; print events/s and events in flight."
    )

    @Option(help: "MESSAGE_CREATE events to send.") var events = 300_000
    @Option(help: "Shards this process runs (the sandbox routes guilds over them).") var shards = 2
    @Option(help: "Guilds in the sandbox's world.") var guilds = 40
    @Option(help: "Members per guild.") var members = 50
    @Option(name: .customLong("max-backlog"), help: "Frames a connection may have queued in the sandbox before the generator waits.")
    var maxBacklog = 20_000
    @Option(help: "process (a guildhall sandbox child) or in-process.") var sandbox = "process"
    @Option(name: .customLong("socket-free-frames"), help: "Frames per shard for the figure without sockets beside it (0 skips it).")
    var socketFreeFrames = 100_000

    func runner() throws -> GatewayBenchRunner {
        guard let placement = GatewayBenchRunner.Placement(rawValue: sandbox) else {
            throw ValidationError("--sandbox must be process or in-process")
        }
        var runner = GatewayBenchRunner()
        runner.events = events
        runner.shards = shards
        runner.guilds = guilds
        runner.members = members
        runner.maxBacklog = maxBacklog
        runner.placement = placement
        runner.socketFreeFrames = socketFreeFrames
        do { try runner.validate() } catch { throw ValidationError("\(error)") }
        return runner
    }

    func validate() throws { _ = try runner() }

    func run() async throws {
        print(try await runner().run())
    }
}

/// `guildhall bench xp`: MESSAGE_CREATE from the sandbox's traffic generator through the
/// bot's real gateway path into leveling's atomic script on Redis.
struct XPBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "xp",
        abstract: "Drive MESSAGE_CREATE through the gateway, the bot and leveling's script on Redis; print events/s, p50/p99 latency and redis-benchmark's figure."
    )

    @Option(help: "MESSAGE_CREATE events to send.") var events = 200_000
    @Option(help: "Shards this process runs.") var shards = 2
    @Option(help: "Guilds in the sandbox's world.") var guilds = 20
    @Option(help: "Members per guild.") var members = 200
    @Option(name: .customLong("max-in-flight"), help: "Messages waiting or being awarded at once (the handler's limit; production's is 256).") var maxInFlight = LevelingMessageHandler.defaultMaxInFlight
    @Option(name: .customLong("redis-url"), help: "Server to use (env REDIS_URL). Unset: a private redis-server on a free loopback port.")
    var redisURL: String?
    @Option(help: "process (a guildhall sandbox child) or in-process.") var sandbox = "process"

    func runner() throws -> XPBenchRunner {
        guard let placement = GatewayBenchRunner.Placement(rawValue: sandbox) else {
            throw ValidationError("--sandbox must be process or in-process")
        }
        var runner = XPBenchRunner()
        runner.events = events
        runner.shards = shards
        runner.guilds = guilds
        runner.members = members
        runner.maxInFlight = maxInFlight
        runner.placement = placement
        runner.redisURL = redisURL ?? ProcessInfo.processInfo.environment["REDIS_URL"]
        do { try runner.validate() } catch { throw ValidationError("\(error)") }
        return runner
    }

    func validate() throws { _ = try runner() }

    func run() async throws {
        print(try await runner().run())
    }
}
