import Foundation
import GuildhallCore
import GuildhallRedis
import Logging

/// Runs our client and `redis-benchmark` against the same server and formats both.
public struct RedisBenchRunner: Sendable {
    public let redisURL: String?
    public let operations: Int
    public let pipeline: Int
    /// Pool size of our client.
    public let connections: Int
    /// Tasks issuing commands at once (redis-benchmark's `-c`, default 50 there too).
    public let clients: Int

    /// Keys the benchmark writes; deleted when it ends.
    public static let benchKind = RedisKeyKind(
        feature: "bench", name: "load", lifetime: .persistent(reason: "written by `guildhall bench redis` like redis-benchmark's own keys"),
        cleanup: "deleted by the benchmark when it ends", parts: ["n"]
    )

    public init(redisURL: String?, operations: Int, pipeline: Int, connections: Int, clients: Int = 50) {
        self.redisURL = redisURL
        self.operations = operations
        self.pipeline = pipeline
        self.connections = connections
        self.clients = clients
    }

    public func run() async throws -> String {
        let (url, server) = try LocalRedisServer.url(redisURL)
        defer { server?.stop() }
        let configuration = try RedisConfiguration(url: url)
        var clientConfiguration = configuration
        clientConfiguration.poolSize = connections
        let client = RedisClient(configuration: clientConfiguration, logger: Logger(label: "bench"))
        let prefix = try Self.benchKind.prefix(guild: Keyspace.platform)
        let keySpace = RedisLoadBenchmark.defaultKeySpace
        let ours: RedisLoadBenchmark.Result
        let theirs: RedisBenchmarkTool.Figures
        do {
            _ = try await client.send(["PING"])
            // A short warm-up so connections exist and code paths are hot.
            _ = try await RedisLoadBenchmark.run(client: client, keyPrefix: prefix, keySpace: keySpace, totalOperations: min(operations, 20_000), pipelineDepth: pipeline, concurrency: clients)
            ours = try await RedisLoadBenchmark.run(client: client, keyPrefix: prefix, keySpace: keySpace, totalOperations: operations, pipelineDepth: pipeline, concurrency: clients)
            theirs = try RedisBenchmarkTool.run(host: configuration.host, port: configuration.port, operations: operations / 2, pipeline: pipeline, clients: clients)
            try await Self.cleanUp(client: client, prefix: prefix, keySpace: keySpace)
        } catch {
            try? await Self.cleanUp(client: client, prefix: prefix, keySpace: keySpace)
            await client.close()
            throw error
        }
        await client.close()
        return Self.format(
            machine: MachineDescription.current(), url: url, operations: operations, pipeline: pipeline,
            connections: connections, clients: clients, ours: ours.operationsPerSecond, theirs: theirs
        )
    }

    /// Deletes what both benchmarks wrote: our keys and redis-benchmark's `key:__rand_int__`.
    static func cleanUp(client: RedisClient, prefix: String, keySpace: Int) async throws {
        for start in stride(from: 0, to: keySpace, by: 1000) {
            _ = try await client.send(["DEL"] + (start..<min(keySpace, start + 1000)).map { prefix + String($0) })
        }
        _ = try await client.send(["DEL", "key:__rand_int__"])
    }

    static func format(machine: String, url: String, operations: Int, pipeline: Int, connections: Int, clients: Int, ours: Double, theirs: RedisBenchmarkTool.Figures) -> String {
        let mean = (theirs.set + theirs.get) / 2
        let ratio = mean > 0 ? ours / mean : 0
        return """
        guildhall bench redis
          machine          : \(machine)
          server           : \(url)
          workload         : \(operations) operations (SET then GET, 1:1), pipeline depth \(pipeline), \(clients) clients (ours over \(connections) pooled connection(s))
          guildhall client : \(Int(ours.rounded())) ops/s
          redis-benchmark  : SET \(Int(theirs.set.rounded())) ops/s, GET \(Int(theirs.get.rounded())) ops/s (mean \(Int(mean.rounded())))
          ratio            : \(String(format: "%.2f", ratio)) of redis-benchmark (aim: at least 0.50)
        """
    }
}

/// `redis-benchmark` from the redis-tools package, parsed from its CSV output.
enum RedisBenchmarkTool {
    struct Figures: Equatable { let set: Double; let get: Double }

    static func run(host: String, port: Int, operations: Int, pipeline: Int, clients: Int) throws -> Figures {
        let output = try ProcessRunner.run("redis-benchmark", [
            "-h", host, "-p", String(port), "-n", String(max(1, operations)), "-P", String(pipeline),
            "-c", String(clients), "-t", "set,get", "--csv",
        ])
        return try parse(output)
    }

    /// Lines like `"SET","123456.79",…` (newer versions) or `"SET","123456.79"` (older).
    static func parse(_ csv: String) throws -> Figures {
        var set: Double?
        var get: Double?
        for line in csv.split(whereSeparator: \.isNewline) {
            let fields = line.split(separator: ",").map { $0.trimmingCharacters(in: CharacterSet(charactersIn: "\" ")) }
            guard fields.count >= 2, let value = Double(fields[1]) else { continue }
            if fields[0].hasPrefix("SET") { set = value }
            if fields[0].hasPrefix("GET") { get = value }
        }
        guard let set, let get else {
            throw GuildhallError(.internalError, "could not read redis-benchmark's output: \(csv.prefix(300))")
        }
        return Figures(set: set, get: get)
    }
}
