import ArgumentParser
import GuildhallJobs

/// Flags of the roles that run jobs (`worker`, and `serve` for its embedded worker).
public struct JobOptions: ParsableArguments {
    @Option(help: "Jobs this process runs at once.") var concurrency = 4
    @Option(help: "The queue this process's jobs go to and come from.") var queue = "default"
    @Option(name: .customLong("visibility-timeout"), help: "Seconds a claimed job stays leased without a heartbeat before other workers reclaim it.")
    var visibilityTimeout = 30.0
    @Option(name: .customLong("shutdown-grace"), help: "Seconds running jobs get to finish on SIGTERM before they are released to the queue.")
    var shutdownGrace = 10.0

    public init() {}

    public func validate() throws {
        guard (1...1000).contains(concurrency) else { throw ValidationError("--concurrency must be between 1 and 1000") }
        guard JobValidation.isSegment(queue) else { throw ValidationError("--queue must be 1 to 128 letters, digits, '.', '_' or '-'") }
        guard visibilityTimeout >= 0.3, visibilityTimeout <= 86_400 else { throw ValidationError("--visibility-timeout must be between 0.3 and 86400 seconds") }
        guard shutdownGrace >= 0, shutdownGrace <= 3600 else { throw ValidationError("--shutdown-grace must be between 0 and 3600 seconds") }
    }

    var settings: JobRoleSettings {
        let lease = Duration.milliseconds(Int64(visibilityTimeout * 1000))
        let worker = JobWorker.Configuration(concurrency: concurrency, lease: lease, shutdownGrace: .milliseconds(Int64(shutdownGrace * 1000)))
        // The scheduler's lease on a row only needs to cover one tick's work.
        return JobRoleSettings(worker: worker, scheduler: JobScheduler.Configuration(owner: worker.workerID))
    }
}
