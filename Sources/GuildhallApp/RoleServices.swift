import GuildhallBackends
import GuildhallGuildSettings
import GuildhallJobs
import GuildhallKit
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

