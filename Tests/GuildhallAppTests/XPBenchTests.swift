import ArgumentParser
import Foundation
@testable import GuildhallApp
import GuildhallCore
import GuildhallTestSupport
import Testing

@Suite("bench xp")
struct XPBenchTests {
    @Test("every event reaches an award on Redis; each member that posted earned once; the report gives rate, latency and redis-benchmark")
    func inProcessRun() async throws {
        var runner = XPBenchRunner()
        runner.events = 4_000
        runner.shards = 2
        runner.guilds = 4
        runner.members = 6
        runner.placement = .inProcess
        // A private server: redis-benchmark's keys must not meet other tests' checks.
        let redis = try await RedisServerProcess.start()
        defer { redis.stop() }
        runner.redisURL = redis.url
        let report = try await runner.run()
        #expect(report.events == 4_000)
        #expect(report.latencies.count == 4_000 && report.latencies == report.latencies.sorted())
        #expect(report.percentile(0.5) <= report.percentile(0.99))
        #expect(report.awardedMembers > 0 && report.awardedMembers <= report.events)
        #expect((15...25).contains(report.highestTotal), "every member earned once, got a highest total of \(report.highestTotal)")
        let text = report.description
        #expect(text.contains("4000 MESSAGE_CREATE") && text.contains("p50") && text.contains("p99") && text.contains("cores"))
        #expect(text.contains("redis-benchmark"))
        #expect(text.contains("events per CPU-second") && report.cpu?.shares.first?.name == "guildhall")
    }

    @Test("bad options are refused before anything starts")
    func refusals() throws {
        for arguments in [["--events", "10"], ["--shards", "0"], ["--guilds", "0"], ["--members", "0"], ["--max-in-flight", "0"], ["--sandbox", "moon"]] {
            #expect(throws: (any Error).self, "\(arguments)") { _ = try XPBench.parse(arguments) }
        }
        let parsed = try XPBench.parse(["--events", "5000", "--redis-url", "redis://127.0.0.1:1"]).runner()
        #expect(parsed.events == 5_000 && parsed.redisURL == "redis://127.0.0.1:1")
    }
}
