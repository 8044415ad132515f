import Foundation
@testable import GuildhallApp
import GuildhallCore
import GuildhallDatabaseTestSupport
import GuildhallJobs
import GuildhallStorage
import GuildhallTestSupport
import Testing

@Suite("jobs command")
struct JobsCommandTests {
    static func envelope(_ id: String) -> JobEnvelope {
        JobEnvelope(id: id, name: PlatformJobs.probe.name, guild: Snowflake(5), idempotencyKey: id, payload: "{\"effect_key\":\"x\",\"fail_attempts\":0,\"sleep_after_ms\":0,\"sleep_before_ms\":0}", queue: "default", enqueuedAt: 1, dueAt: 1)
    }

    @Test("dead lists letters with their last error; --json too; replay sends one back once", arguments: TestDatabase.Engine.allCases)
    func deadAndReplay(engine: TestDatabase.Engine) async throws {
        let database = try await TestDatabase.open(engine, migrations: FeatureCatalog.migrations)
        let location = database.location
        let logger = TestDatabase.quietLogger
        #expect(try await JobsCLI.deadLetters(location: location, limit: 50, includeReplayed: false, json: false, logger: logger) == "no dead letters")
        try await DeadLetterStore(database: database).record(Self.envelope("job-1"), attempts: 5, lastError: "line one\nline two")
        let table = try await JobsCLI.deadLetters(location: location, limit: 50, includeReplayed: false, json: false, logger: logger)
        #expect(table.contains("1 dead letter(s)") && table.contains("job-1") && table.contains("platform.probe") && table.contains("attempts 5"))
        #expect(table.contains("last error: line one line two"))
        let json = try await JobsCLI.deadLetters(location: location, limit: 50, includeReplayed: false, json: true, logger: logger)
        let decoded = try JSONDecoder().decode([String: [DeadLetter]].self, from: Data(json.utf8))
        #expect(decoded["dead_letters"]?.map(\.jobID) == ["job-1"])

        let replayed = try await JobsCLI.replay(location: location, jobID: "job-1", logger: logger)
        #expect(replayed.contains("replayed job-1") && replayed.contains("queue 'default'"))
        #expect(try await JobsCLI.deadLetters(location: location, limit: 50, includeReplayed: false, json: false, logger: logger) == "no dead letters")
        let all = try await JobsCLI.deadLetters(location: location, limit: 50, includeReplayed: true, json: false, logger: logger)
        #expect(all.contains("(replayed 1x)"))
        let again = await #expect(throws: GuildhallError.self) { _ = try await JobsCLI.replay(location: location, jobID: "job-1", logger: logger) }
        #expect(again?.code == .conflict)
        let unknown = await #expect(throws: GuildhallError.self) { _ = try await JobsCLI.replay(location: location, jobID: "nope", logger: logger) }
        #expect(unknown?.code == .notFound)
        await database.shutdown()
    }

    @Test("through the CLI parser; a database that needs migrating is named")
    func viaParser() async throws {
        let database = try await TestDatabase.open(.sqlite, migrations: FeatureCatalog.migrations)
        try await DeadLetterStore(database: database).record(Self.envelope("job-2"), attempts: 1, lastError: "x")
        let url = database.location.description
        await database.shutdown()
        try await runGuildhall(["jobs", "dead", "--database-url", url, "--limit", "5", "--log-level", "critical"])
        try await runGuildhall(["jobs", "dead", "--all", "--json", "--database-url", url, "--log-level", "critical"])
        try await runGuildhall(["jobs", "replay", "job-2", "--database-url", url, "--log-level", "critical"])
        await #expect(throws: GuildhallError.self) { try await runGuildhall(["jobs", "dead", "--limit", "0", "--database-url", url, "--log-level", "critical"]) }

        let fresh = try await TestDatabase.location(.sqlite)
        let error = await #expect(throws: GuildhallError.self) {
            _ = try await JobsCLI.deadLetters(location: fresh, limit: 10, includeReplayed: false, json: false, logger: TestDatabase.quietLogger)
        }
        #expect(error?.message.contains("guildhall migrate") == true)
    }
}

@Suite("bench jobs")
struct JobsBenchTests {
    @Test("the in-process run verifies exactly-once effects and prints the figures")
    func inProcess() async throws {
        var runner = JobsBenchRunner()
        runner.jobs = 300
        runner.duplicates = 40
        runner.concurrency = 8
        runner.driver = .inProcess
        let report = try await runner.run()
        #expect(report.contains("exactly once         : yes"))
        #expect(report.contains("duplicates suppressed: 40 of 40"))
        #expect(report.contains("cores"))
        #expect(report.contains("driver               : in-process"))
    }

    @Test("on the test Redis and PostgreSQL, cleaning up after itself")
    func redisAndPostgres() async throws {
        let database = try await TestDatabase.open(.postgres, migrations: FeatureCatalog.migrations)
        var runner = JobsBenchRunner()
        runner.jobs = 1200
        runner.duplicates = 30
        runner.maximumAttempts = 2
        runner.redisURL = try TestEnvironment.redisURL()
        runner.database = database.location
        let report = try await runner.run()
        #expect(report.contains("exactly once         : yes"))
        #expect(report.contains("driver               : redis (\(try TestEnvironment.redisURL()))"))
        #expect(try await database.sql.raw("SELECT effect_key FROM job_effects").all().isEmpty, "the bench removed its effects")
        #expect(try await database.sql.raw("SELECT job_id FROM job_dead_letters").all().isEmpty, "and its dead letters")
        await database.shutdown()
    }

    @Test("an unreachable database fails the run, cleaning up what it can")
    func unreachable() async throws {
        var runner = JobsBenchRunner()
        runner.driver = .inProcess
        runner.database = .postgres(.init(host: "127.0.0.1", port: try FreePort.loopback(), username: "nobody", database: "none"))
        await #expect(throws: (any Error).self) { _ = try await runner.run() }
    }

    @Test("through the parser with its own redis-server; bad numbers are refused")
    func command() async throws {
        try await runGuildhall(["bench", "jobs", "--jobs", "100", "--duplicates", "10", "--concurrency", "4"])
        for flags in [["--jobs", "0"], ["--failure-rate", "1"], ["--concurrency", "0"], ["--max-attempts", "0"], ["--duplicates", "-1"], ["--driver", "kafka"]] {
            #expect(throws: (any Error).self) { _ = try GuildhallCommand.parseAsRoot(["bench", "jobs"] + flags) }
        }
    }

    @Test("the injected failures are a fixed function of the seed; the verdict needs every job accounted for")
    func pureParts() {
        let rate = (0..<10_000).filter { JobsBenchRunner.fails(seed: 1, n: $0, attempt: 1, rate: 0.3) }.count
        #expect((2700...3300).contains(rate), "about 30%: \(rate)")
        #expect(JobsBenchRunner.fails(seed: 9, n: 5, attempt: 2, rate: 0.5) == JobsBenchRunner.fails(seed: 9, n: 5, attempt: 2, rate: 0.5))
        var generator = SplitMix(seed: 3)
        var again = SplitMix(seed: 3)
        #expect(generator.next() == again.next())
        var figures = JobsBenchRunner.Figures(jobs: 3, deadLetters: 1, effects: 2)
        #expect(figures.exactlyOnce)
        figures.missing = 1
        #expect(!figures.exactlyOnce)
        figures = JobsBenchRunner.Figures(jobs: 3, deadLetters: 1, effects: 2, effectsAlreadyDone: 1)
        #expect(!figures.exactlyOnce)
    }
}
