import GuildhallCore

extension GuildhallError.Code {
    /// A job ran longer than its timeout; retried like any transient failure.
    public static let jobTimedOut: Self = "job_timed_out"
    /// A handler says retrying cannot help (bad payload, a target that is gone…).
    public static let jobPermanentFailure: Self = "job_permanent_failure"
    /// Another worker holds the job now: this worker's lease ran out.
    public static let jobLeaseLost: Self = "job_lease_lost"
    /// The job's name has no handler in this process.
    public static let jobUnknown: Self = "job_unknown"
}

extension GuildhallError {
    /// What a handler throws when the job can never succeed: it is dead-lettered at once.
    public static func permanentJobFailure(_ message: String, underlying: (any Error & Sendable)? = nil) -> GuildhallError {
        GuildhallError(.jobPermanentFailure, message, underlying: underlying)
    }
}
