/// Identify permits for shards that all run in this process.
public actor InProcessIdentifyLimiter: IdentifyLimiter {
    private var schedule: IdentifySchedule

    public init(spacing: Duration = IdentifyWindow.spacing) {
        schedule = IdentifySchedule(spacing: spacing)
    }

    public func acquirePermit(shardID: Int, maxConcurrency: Int) async throws {
        let bucket = IdentifyWindow.bucket(shardID: shardID, maxConcurrency: maxConcurrency)
        let slot = schedule.reserve(bucket: bucket, now: .now)
        try await Task.sleep(until: slot, clock: .continuous)
    }
}
