import ArgumentParser
import Foundation
@testable import GuildhallApp
import GuildhallCore
import GuildhallRedis
import GuildhallTestSupport
import Logging
import Testing

@Suite("features and bench commands")
struct ToolCommandTests {
    @Test("`guildhall features` and `--json` run without contract violations")
    func features() async throws {
        try await runGuildhall(["features"])
        try await runGuildhall(["features", "--json"])
        #expect(FeatureCatalog.registry.violations().isEmpty)
    }

    @Test("bench giveaways refuses numbers it cannot honour")
    func giveawayBenchValidation() {
        for arguments in [["--entries", "10"], ["--endings", "0"], ["--entrants", "5"], ["--clickers", "0"], ["--workers", "0"], ["--entries", "1000000", "--entrants", "10"]] {
            #expect(throws: (any Error).self, "\(arguments)") { _ = try GuildhallCommand.parseAsRoot(["bench", "giveaways"] + arguments) }
        }
        #expect(throws: Never.self) { _ = try GuildhallCommand.parseAsRoot(["bench", "giveaways", "--entries", "5000", "--endings", "50"]) }
    }

    @Test("bench giveaways, small: every entry stored and answered, every ending announced exactly once")
    func giveawayBenchSmall() async throws {
        var runner = GiveawayBenchRunner()
        runner.entries = 1_000
        runner.endings = 20
        runner.entrantsPerGiveaway = 100
        runner.clickers = 8
        runner.workers = 8
        runner.showProgress = false
        runner.redisURL = try TestEnvironment.redisURL()
        let report = try await runner.run()
        #expect(report.entries.stored == 1_000 && report.entries.failedClicks == 0)
        #expect(report.entries.answered == 1_000 && report.entries.enteredAnswers == 1_000, "every click was answered \"You're in\"; others: \(report.entries.otherAnswers)")
        #expect(report.entries.latenciesMicroseconds.count == 1_000)
        #expect(report.endings.endings == 20 && report.endings.exactlyOnce == 20 && report.endings.missing == 0 && report.endings.duplicated == 0)
        #expect(report.endings.winnersStored == 10, "the first 10 giveaways had 100 entrants each; the other 10 none, and end with nobody")
        #expect(report.description.contains("exactly once 20"))
        #expect(report.description.contains("entries per CPU-second") && report.description.contains("endings per CPU-second"))
        #expect(report.entryCPU?.shares.map(\.name) == ["guildhall"], "a given Redis URL is not this bench's process to count")
    }

    @Test("bench redis validates its numbers")
    func benchValidation() {
        #expect(throws: (any Error).self) { _ = try GuildhallCommand.parseAsRoot(["bench", "redis", "--pipeline", "0"]) }
        #expect(throws: (any Error).self) { _ = try GuildhallCommand.parseAsRoot(["bench", "redis", "--operations", "-5"]) }
    }

    @Test("bench redis prints our figure beside redis-benchmark's on the test server")
    func benchAgainstServer() async throws {
        let url = try TestEnvironment.redisURL()
        let report = try await RedisBenchRunner(redisURL: url, operations: 4_000, pipeline: 8, connections: 2, clients: 4).run()
        let client = RedisClient(configuration: try RedisConfiguration(url: url), logger: Logger(label: "test"))
        let prefix = try RedisBenchRunner.benchKind.prefix(guild: Keyspace.platform)
        #expect(try await client.send(["EXISTS", prefix + "0", prefix + "1", "key:__rand_int__"]).int == 0, "the benchmark cleans up after itself")
        await client.close()
        #expect(report.contains("guildhall client :"))
        #expect(report.contains("redis-benchmark  : SET"))
        #expect(report.contains("pipeline depth 8"))
        #expect(report.contains("cores"))
    }

    @Test("bench redis starts its own redis-server when given no URL")
    func benchOwnServer() async throws {
        // The environment of the test command has no REDIS_URL, so the runner starts a private server.
        try await runGuildhall(["bench", "redis", "--operations", "2000", "--pipeline", "4", "--connections", "1", "--clients", "2"])
    }

    @Test("redis-benchmark's CSV is read from both of its formats")
    func parseCSV() throws {
        let new = try RedisBenchmarkTool.parse("\"test\",\"rps\",\"avg_latency_ms\"\n\"SET\",\"250000.00\",\"0.1\"\n\"GET\",\"300000.00\",\"0.1\"\n")
        #expect(new == .init(set: 250_000, get: 300_000))
        let old = try RedisBenchmarkTool.parse("\"SET\",\"1000.5\"\n\"GET\",\"2000\"\n")
        #expect(old == .init(set: 1000.5, get: 2000))
        #expect(throws: GuildhallError.self) { _ = try RedisBenchmarkTool.parse("garbage") }
    }

    @Test("the report shows the ratio against redis-benchmark's mean")
    func format() {
        let text = RedisBenchRunner.format(machine: "2 cores", url: "redis://x", operations: 10, pipeline: 16, connections: 4, clients: 50, ours: 150, theirs: .init(set: 200, get: 400))
        #expect(text.contains("ratio            : 0.50"))
        #expect(text.contains("mean 300"))
        let zero = RedisBenchRunner.format(machine: "m", url: "u", operations: 1, pipeline: 1, connections: 1, clients: 1, ours: 5, theirs: .init(set: 0, get: 0))
        #expect(zero.contains("ratio            : 0.00"))
    }

    @Test("helper programs: found, missing, failing")
    func processes() throws {
        #expect(ProcessRunner.locate("definitely-not-a-program-guildhall") == nil)
        #expect(throws: GuildhallError.self) { _ = try ProcessRunner.run("definitely-not-a-program-guildhall", []) }
        #expect(try ProcessRunner.run("echo", ["hello"]) == "hello\n")
        let error = #expect(throws: GuildhallError.self) { _ = try ProcessRunner.run("false", []) }
        #expect(error?.message.contains("exited with 1") == true)
    }

    @Test("a private redis-server starts, answers and stops")
    func localServer() throws {
        let server = try LocalRedisServer.start()
        #expect(canConnect(port: server.port))
        #expect(server.url.hasPrefix("redis://127.0.0.1:"))
        server.stop()
        server.stop()
        #expect(!canConnect(port: server.port))
    }

    @Test("the machine line names cores, CPU model and memory")
    func machine() {
        #expect(MachineDescription.current().contains("cores"))
        #expect(MachineDescription.cpuModel(cpuinfo: "processor\t: 0\nmodel name\t: Test CPU 9000\nflags\t: x") == "Test CPU 9000")
        #expect(MachineDescription.cpuModel(cpuinfo: "nothing here") == nil)
        #expect(MachineDescription.cpuModel(cpuinfo: nil) == nil)
    }
}
