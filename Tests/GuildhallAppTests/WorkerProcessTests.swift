import Foundation
@testable import GuildhallApp
import GuildhallCore
import GuildhallDatabaseTestSupport
import GuildhallJobs
import GuildhallRedis
import GuildhallStorage
import GuildhallTestSupport
import Logging
import Testing

/// Issue #4's first acceptance test, with real processes: a worker killed with SIGKILL in
/// the middle of its jobs; another worker reclaims them; every effect happens once.
@Suite("worker process killed with SIGKILL")
struct WorkerProcessTests {
    @Test("jobs held by a killed worker are reclaimed by another, and each effect happens once")
    func sigkill() async throws {
        try #require(FileManager.default.isExecutableFile(atPath: RoleProcess.binary.path), "build the guildhall binary first (swift build): \(RoleProcess.binary.path)")
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent(TestEnvironment.uniqueName(prefix: "worker-kill"))
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let redis = try await RedisServerProcess.start()
        defer { redis.stop() }
        let database = try await TestDatabase.open(.postgres, migrations: FeatureCatalog.migrations)
        let client = RedisClient(configuration: try RedisConfiguration(url: redis.url), logger: TestDatabase.quietLogger)
        let queue = "killtest"
        let driver = try RedisJobDriver(client: client, queue: queue)
        let system = try JobSystem.make(database: database, driver: driver)
        guard case .postgres(let postgres) = database.location else { Issue.record("expected PostgreSQL"); return }
        let databaseURL = "postgres://\(postgres.username)\(postgres.password.map { ":\($0)" } ?? "")@\(postgres.host):\(postgres.port)/\(postgres.database)"
        let workerArguments = [
            "--redis-url", redis.url, "--database-url", databaseURL,
            "--queue", queue, "--concurrency", "2", "--visibility-timeout", "2", "--port", "0", "--log-level", "info",
        ]

        // Job "before" is killed before it claims its effect; job "after" after it did.
        let before = try await system.queue.enqueue(PlatformJobs.probe, .init(effectKey: "before", sleepBeforeEffectMilliseconds: 4000))
        let after = try await system.queue.enqueue(PlatformJobs.probe, .init(effectKey: "after", sleepAfterEffectMilliseconds: 4000))

        let first = try RoleProcess(role: "worker", arguments: workerArguments, folder: folder)
        let ownerKey = try JobKeys.owner.key(guild: Keyspace.platform, queue).rawValue
        let holding = await waitUntil(timeout: .seconds(60)) {
            let tokens = try await client.hgetall(ownerKey)
            let afterDone = try await system.effects.isClaimed(PlatformJobs.probeEffectKey("after"))
            return tokens.count == 2 && afterDone
        }
        try #require(holding, "the first worker never held both jobs: \(first.log.suffix(2000))")
        let tokens = try await client.hgetall(ownerKey)
        #expect(tokens.values.allSatisfy { $0.contains("-\(first.pid)-") }, "both leases are the first worker's: \(tokens)")
        #expect(try await !system.effects.isClaimed(PlatformJobs.probeEffectKey("before")))

        first.kill()
        #expect(!first.isRunning)
        let second = try RoleProcess(role: "worker", arguments: workerArguments, folder: folder)
        let finished = await waitUntil(timeout: .seconds(60)) {
            let done = try await system.effects.isClaimed(PlatformJobs.probeEffectKey("before"))
            let empty = try await driver.stats().total == 0
            return done && empty
        }
        let secondLog = second.log
        second.kill()
        try #require(finished, "the second worker did not finish the jobs: \(secondLog.suffix(3000))")

        for key in ["before", "after"] {
            #expect(try await effectRows(database, PlatformJobs.probeEffectKey(key)) == 1, "\(key): one effect")
        }
        let beforeEffect = try #require(try await JobEffectRecord.find(PlatformJobs.probeEffectKey("before"), on: database.database))
        #expect(beforeEffect.attempt == 2 && beforeEffect.jobID == before.jobID, "claimed on the second delivery, by the reclaiming worker")
        let afterEffect = try #require(try await JobEffectRecord.find(PlatformJobs.probeEffectKey("after"), on: database.database))
        #expect(afterEffect.attempt == 1 && afterEffect.jobID == after.jobID, "claimed by the killed worker")
        #expect(secondLog.contains("probe effect already done"), "the second worker ran 'after' again and found its effect claimed")
        #expect(secondLog.contains("reclaimed jobs whose worker stopped heartbeating"))
        #expect(try await system.deadLetters.count() == 0)
        await client.close()
        await database.shutdown()
    }

    func effectRows(_ database: GuildhallDatabase, _ key: String) async throws -> Int {
        try await database.sql.raw("SELECT effect_key FROM job_effects WHERE effect_key = \(bind: key)").all().count
    }
}
