import Foundation
@testable import GuildhallApp
import GuildhallCore
import GuildhallDatabaseTestSupport
import GuildhallHTTP
import GuildhallJobs
import GuildhallRedis
import GuildhallStorage
import GuildhallTestSupport
import Logging
import Testing

/// The worker role and the embedded worker in `serve`, run in this process.
@Suite("worker role")
struct WorkerRoleTests {
    static func effectExists(_ platform: Platform, _ key: String) async throws -> Bool {
        try await platform.jobs.effects.isClaimed(PlatformJobs.probeEffectKey(key))
    }

    @Test("the worker group runs jobs from Redis into PostgreSQL and serves /healthz and /metrics")
    func workerGroup() async throws {
        MetricsBootstrap.bootstrap()
        let location = try await TestDatabase.location(.postgres)
        _ = try await MigrationRunner.run(location: location, revert: false, logger: TestDatabase.quietLogger)
        let configuration = GuildhallConfiguration(database: location, redisURL: try TestEnvironment.redisURL(), port: 0)
        let queue = TestEnvironment.uniqueName(prefix: "wq")
        let platform = try await Platform.open(configuration: configuration, role: .worker, logger: TestDatabase.quietLogger, migrate: false, jobQueue: queue)
        #expect(platform.jobs.driver is RedisJobDriver)
        let jobs = JobRoleSettings(worker: .init(concurrency: 2, lease: .seconds(2), pollInterval: .milliseconds(20), statsInterval: .milliseconds(200)))
        let role = try await RunningRole.start(platform: platform, jobs: jobs)
        try await platform.jobs.queue.enqueue(PlatformJobs.probe, .init(effectKey: "worker-group"))
        try await platform.jobs.queue.enqueue(PlatformJobs.probe, .init(effectKey: "flaky", failAttempts: 1))
        #expect(await waitUntil {
            let first = try await Self.effectExists(platform, "worker-group")
            let second = try await Self.effectExists(platform, "flaky")
            return first && second
        })
        #expect(try await platform.jobs.schedules.find(key: PlatformJobs.pruneScheduleKey)?.state == "scheduled", "the daily prune is installed")

        let health = try await HTTPProbe.get(port: role.port, path: "/healthz")
        #expect(health.status == 200)
        #expect(try JSONDecoder().decode(HealthReport.self, from: health.body).role == "worker")
        #expect(await waitUntil {
            let text = try await HTTPProbe.get(port: role.port, path: "/metrics").text
            return text.contains("guildhall_jobs_queue_depth") && text.contains("guildhall_jobs_dead_letters")
        })
        let metrics = try await HTTPProbe.get(port: role.port, path: "/metrics").text
        for name in ["guildhall_jobs_finished_total", "guildhall_jobs_retries_total", "guildhall_jobs_run_seconds", "guildhall_jobs_wait_seconds", "guildhall_jobs_running", "guildhall_jobs_enqueued_total"] {
            #expect(metrics.contains(name), "/metrics lacks \(name)")
        }
        #expect(metrics.contains("queue=\"\(queue)\""))
        try await role.stop()
    }

    @Test("serve runs an in-process worker: jobs work without Redis")
    func embedded() async throws {
        let location = try await TestDatabase.location(.sqlite)
        let role = try await RunningRole.start(configuration: GuildhallConfiguration(database: location))
        #expect(role.platform.jobs.driver is InProcessJobDriver)
        try await role.platform.jobs.queue.enqueue(PlatformJobs.probe, .init(effectKey: "embedded"))
        try await role.platform.jobs.queue.schedule(PlatformJobs.probe, .init(effectKey: "embedded-later"), at: Date().addingTimeInterval(1), key: "embedded-later")
        #expect(await waitUntil {
            let now = try await Self.effectExists(role.platform, "embedded")
            let later = try await Self.effectExists(role.platform, "embedded-later")
            return now && later
        })
        try await role.stop()
    }

    @Test("`guildhall worker` checks REDIS_URL, then DATABASE_URL, then its flags")
    func command() async throws {
        let noRedis = await #expect(throws: GuildhallError.self) { try await runGuildhall(["worker"]) }
        #expect(noRedis?.message.contains("REDIS_URL") == true)
        let sqlite = await #expect(throws: GuildhallError.self) { try await runGuildhall(["worker", "--redis-url", "redis://127.0.0.1:1"]) }
        #expect(sqlite?.message.contains("DATABASE_URL") == true)
        for flags in [["--concurrency", "0"], ["--queue", "bad queue"], ["--visibility-timeout", "0.1"], ["--shutdown-grace", "-1"]] {
            #expect(throws: (any Error).self) { _ = try GuildhallCommand.parseAsRoot(["worker"] + flags) }
        }
        // A database that needs migrating is refused before anything runs.
        let location = try await TestDatabase.location(.postgres)
        let pending = await #expect(throws: GuildhallError.self) {
            try await runGuildhall(["worker", "--redis-url", try TestEnvironment.redisURL(), "--database-url", location.description, "--log-level", "critical"])
        }
        #expect(pending?.message.contains("guildhall migrate") == true)
        let options = try JobOptions.parse(["--concurrency", "7", "--queue", "mail", "--visibility-timeout", "2.5", "--shutdown-grace", "3"])
        let settings = options.settings
        #expect(settings.worker.concurrency == 7 && settings.worker.lease == .milliseconds(2500) && settings.worker.shutdownGrace == .seconds(3))
        #expect(settings.scheduler.owner == settings.worker.workerID)
    }

    @Test("the scheduler service keeps running when the recurring jobs cannot be installed")
    func schedulerServiceInstallFailure() async throws {
        let database = try await TestDatabase.open(.sqlite, migrations: FeatureCatalog.migrations)
        try await database.sql.raw("DROP TABLE job_schedules").run()
        let system = try JobSystem.make(database: database, driver: try InProcessJobDriver())
        let scheduler = try system.scheduler(configuration: .init(tickInterval: .milliseconds(20), owner: "svc"), logger: TestDatabase.quietLogger)
        let service = JobSchedulerService(scheduler: scheduler, queue: system.queue, logger: TestDatabase.quietLogger)
        let task = Task { try await service.run() }
        try await Task.sleep(for: .milliseconds(200))
        task.cancel()
        try await task.value
        await database.shutdown()
    }

    @Test("a bad job configuration stops the role before it starts")
    func badSettings() async throws {
        let platform = try await Platform.open(configuration: GuildhallConfiguration(database: .sqliteMemory, port: 0), role: .serve, logger: TestDatabase.quietLogger, migrate: true)
        #expect(throws: GuildhallError.self) { _ = try RoleRunner.serveGroup(platform: platform, jobs: JobRoleSettings(worker: .init(concurrency: 0))) }
        #expect(throws: GuildhallError.self) { _ = try RoleRunner.workerGroup(platform: platform, jobs: JobRoleSettings(scheduler: .init(batchSize: 0))) }
        let error = await #expect(throws: GuildhallError.self) {
            _ = try await Platform.open(configuration: GuildhallConfiguration(database: .sqliteMemory), role: .serve, logger: TestDatabase.quietLogger, migrate: true, jobQueue: "bad queue")
        }
        #expect(error?.code == .invalidInput)
        await platform.close()
    }
}
