import ArgumentParser
import Foundation
import GuildhallCore
import GuildhallRedis
import Logging

/// `guildhall bench <name>`: benchmarks print figures and the machine they ran on.
/// They are not tests and assert nothing about speed.
struct BenchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Measure Guildhall on this machine and print the figures.",
        subcommands: [RedisBench.self, PendingBench.self]
    )
}

/// Benchmarks of later issues: named so nobody wonders, and refused plainly.
struct PendingBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "pending",
        abstract: "Benchmarks not built yet: xp (issue #6), jobs (issue #4), gateway (issue #3), giveaways (issue #7).",
        aliases: ["xp", "jobs", "gateway", "giveaways"]
    )

    func run() async throws {
        throw NotBuiltYet(description: "this benchmark is not built yet: xp arrives with issue #6, jobs with #4, gateway with #3, giveaways with #7")
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
