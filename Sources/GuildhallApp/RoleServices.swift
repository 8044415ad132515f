import GuildhallBackends
import GuildhallGuildSettings
import GuildhallJobs
import GuildhallLeveling
import GuildhallPremium
import GuildhallSandbox
import Logging
import ServiceLifecycle

/// Closes the platform's connections once everything after it in the group has stopped.
struct PlatformResourcesService: Service {
    let platform: Platform

    func run() async throws {
        try? await gracefulShutdown()
        await platform.close()
        platform.logger.info("database and Redis connections closed")
    }
}

/// Stops an in-process sandbox Discord (started before the bot, which needs its URL) once
/// everything after it in the group, the bot included, has stopped.
struct StartedSandboxService: Service {
    let sandbox: SandboxServer
    let logger: Logger

    func run() async throws {
        try? await gracefulShutdown()
        await sandbox.stop()
        logger.info("sandbox Discord stopped")
    }
}

/// Drops this process's cached settings when another process announces a change, and
/// warms the shared cache at start.
struct SettingsCacheService: Service {
    let settings: GuildSettingsService
    let logger: Logger
    var retryDelay: Duration = .seconds(1)

    func run() async throws {
        try await stoppingQuietly {
            do {
                try await settings.warmCache()
            } catch {
                logger.warning("settings cache warm-up failed; entries fill on first read", metadata: ["error": "\(error)"])
            }
            while !Task.isCancelled {
                do {
                    try await settings.listenForInvalidations()
                } catch {
                    logger.warning("settings invalidation listener stopped; retrying", metadata: ["error": "\(error)"])
                }
                try await Task.sleep(for: retryDelay)
            }
        }
    }
}

/// Drops expired entries from the in-process cache now and then, so memory stays bounded.
struct InProcessSweeperService: Service {
    let cache: InProcessCache
    var interval: Duration = .seconds(30)

    func run() async throws {
        try await stoppingQuietly {
            while !Task.isCancelled {
                try await Task.sleep(for: interval)
                cache.sweepExpired()
            }
        }
    }
}

/// Runs a loop until graceful shutdown; the cancellation that ends it is a normal stop, not
/// a failure that would make the process exit non-zero.
func stoppingQuietly(_ body: @escaping @Sendable () async throws -> Void) async throws {
    do {
        try await cancelWhenGracefulShutdown(body)
    } catch is CancellationError {
        return
    }
}

/// The job worker as a service: graceful shutdown lets running jobs finish (or releases
/// them after the grace); cancellation releases them at once.
struct JobWorkerService: Service {
    let worker: JobWorker

    func run() async throws {
        await withGracefulShutdownHandler {
            await worker.run()
        } onGracefulShutdown: {
            worker.shutdown()
        }
    }
}

/// The durable scheduler as a service; it also makes sure the platform's own recurring
/// jobs are scheduled.
struct JobSchedulerService: Service {
    let scheduler: JobScheduler
    let queue: JobQueue
    let logger: Logger

    func run() async throws {
        try await stoppingQuietly {
            do {
                try await PlatformJobs.installSchedules(on: queue)
                try await PremiumJobs.installSchedules(on: queue)
            } catch {
                logger.warning("could not install the platform's recurring jobs; the next start tries again", metadata: ["error": "\(error)"])
            }
            await scheduler.run()
        }
    }
}

/// Leveling's upkeep in every process: drops this process's copy of a guild's leveling
/// configuration when another process announces a change.
struct LevelingSettingsCacheService: Service {
    let settings: LevelingSettingsService
    let logger: Logger
    var retryDelay: Duration = .seconds(1)

    func run() async throws {
        try await stoppingQuietly {
            while !Task.isCancelled {
                do {
                    try await settings.listenForInvalidations()
                } catch {
                    logger.warning("leveling invalidation listener stopped; retrying", metadata: ["error": "\(error)"])
                }
                try await Task.sleep(for: retryDelay)
            }
        }
    }
}

/// The XP write-behind, in processes that run jobs: every `interval`, the totals that
/// changed in the cache are written to the database. Its interval bounds what a Redis
/// data loss can take (see docs/features/leveling.md, "Durability").
struct LevelingWriteBehindService: Service {
    let leveling: LevelingService
    let logger: Logger
    var interval: Duration = .seconds(2)

    func run() async throws {
        try await stoppingQuietly {
            while !Task.isCancelled {
                try await Task.sleep(for: interval)
                do {
                    try await leveling.flushAll()
                } catch {
                    logger.warning("XP write-behind pass failed; the next pass retries", metadata: ["error": "\(error)"])
                }
            }
        }
        // One last pass on the way out, so a clean stop loses nothing.
        try? await leveling.flushAll()
    }
}
