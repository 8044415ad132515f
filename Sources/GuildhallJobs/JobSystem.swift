import GuildhallBackends
import GuildhallCore
import GuildhallStorage
import Logging

/// The job system of one process: the queue on the backends it runs with (Redis when the
/// role has Redis, else in-process), the durable stores in its database, and the handlers
/// it knows. Roles make workers and schedulers from it.
public struct JobSystem: Sendable {
    public let driver: any JobDriver
    public let queue: JobQueue
    public let registry: JobRegistry
    public let schedules: ScheduleStore
    public let deadLetters: DeadLetterStore
    public let effects: EffectLedger
    public let database: GuildhallDatabase
    public let clock: JobClock

    /// `register` adds the features' handlers after the platform's own.
    public static func make(
        database: GuildhallDatabase, backends: Backends, queue: String = "default", clock: JobClock = .system,
        register: (inout JobRegistry) throws -> Void = { _ in }
    ) throws -> JobSystem {
        let driver: any JobDriver = if let redis = backends.redis {
            try RedisJobDriver(client: redis, queue: queue, clock: clock)
        } else {
            try InProcessJobDriver(queue: queue, clock: clock)
        }
        return try make(database: database, driver: driver, clock: clock, register: register)
    }

    public static func make(
        database: GuildhallDatabase, driver: any JobDriver, clock: JobClock = .system,
        register: (inout JobRegistry) throws -> Void = { _ in }
    ) throws -> JobSystem {
        let schedules = ScheduleStore(database: database, clock: clock)
        var registry = JobRegistry()
        try PlatformJobs.register(in: &registry, schedules: schedules)
        try register(&registry)
        return JobSystem(
            driver: driver, queue: try JobQueue(driver: driver, schedules: schedules, clock: clock), registry: registry,
            schedules: schedules, deadLetters: DeadLetterStore(database: database, clock: clock),
            effects: EffectLedger(database: database, clock: clock), database: database, clock: clock
        )
    }

    /// The same system with more handlers: features register theirs once they have been
    /// built on this system's queue. A name already registered throws `conflict`.
    public func registering(_ register: (inout JobRegistry) throws -> Void) throws -> JobSystem {
        var registry = registry
        try register(&registry)
        return JobSystem(
            driver: driver, queue: queue, registry: registry, schedules: schedules, deadLetters: deadLetters, effects: effects, database: database, clock: clock
        )
    }

    public func worker(configuration: JobWorker.Configuration, logger: Logger) throws -> JobWorker {
        try JobWorker(driver: driver, registry: registry, database: database, configuration: configuration, clock: clock, logger: logger)
    }

    public func scheduler(configuration: JobScheduler.Configuration, logger: Logger) throws -> JobScheduler {
        try JobScheduler(store: schedules, driver: driver, configuration: configuration, dedupeWindow: queue.dedupeWindow, clock: clock, logger: logger)
    }

    public var admin: JobsAdminService {
        JobsAdminService(deadLetters: deadLetters, driver: driver)
    }
}
