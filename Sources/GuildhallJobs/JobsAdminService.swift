import GuildhallCore

/// What operators may do with jobs, in one type: the CLI (`guildhall jobs …`) uses it now
/// and the operator API (issue #5) will call the same methods, so both stay in step.
public struct JobsAdminService: Sendable {
    public let deadLetters: DeadLetterStore
    /// The queue, when this process can see it (the CLI without REDIS_URL cannot).
    public let driver: (any JobDriver)?

    public init(deadLetters: DeadLetterStore, driver: (any JobDriver)?) {
        self.deadLetters = deadLetters
        self.driver = driver
    }

    public func listDeadLetters(limit: Int = 50, includeReplayed: Bool = false) async throws -> [DeadLetter] {
        try await deadLetters.list(limit: limit, includeReplayed: includeReplayed)
    }

    public func deadLetter(jobID: String) async throws -> DeadLetter {
        guard let letter = try await deadLetters.find(jobID: jobID) else {
            throw GuildhallError(.notFound, "no dead letter has job id \(jobID)")
        }
        return letter
    }

    public func replay(jobID: String) async throws -> ReplayOutcome {
        try await deadLetters.replay(jobID: jobID)
    }

    /// Queue depth (when the queue is visible) and the dead letters waiting.
    public func overview() async throws -> (queue: JobQueueStats?, deadLetters: Int) {
        let stats = try await driver?.stats()
        return (stats, try await deadLetters.count())
    }
}
