import Metrics

/// The job system's metrics, in one place so their names and labels stay consistent
/// (Prometheus refuses one name with two label sets).
enum JobMetrics {
    static func queueDepth(queue: String, stats: JobQueueStats) {
        Gauge(label: "guildhall_jobs_queue_depth", dimensions: [("queue", queue), ("state", "ready")]).record(stats.ready)
        Gauge(label: "guildhall_jobs_queue_depth", dimensions: [("queue", queue), ("state", "delayed")]).record(stats.delayed)
        Gauge(label: "guildhall_jobs_queue_depth", dimensions: [("queue", queue), ("state", "running")]).record(stats.running)
    }

    /// Jobs running in this process.
    static func running(queue: String, count: Int) {
        Gauge(label: "guildhall_jobs_running", dimensions: [("queue", queue)]).record(count)
    }

    static func deadLetters(_ count: Int) {
        Gauge(label: "guildhall_jobs_dead_letters", dimensions: []).record(count)
    }

    /// From the time a job was due to the time a worker started it.
    static func waited(job: String, milliseconds: Int64) {
        Timer(label: "guildhall_jobs_wait_seconds", dimensions: [("job", job)]).recordMilliseconds(max(0, milliseconds))
    }

    /// How long one attempt ran.
    static func ran(job: String, milliseconds: Int64) {
        Timer(label: "guildhall_jobs_run_seconds", dimensions: [("job", job)]).recordMilliseconds(max(0, milliseconds))
    }

    enum Outcome: String {
        case succeeded, retried, deadLettered = "dead_lettered", released, leaseLost = "lease_lost"
    }

    static func finished(job: String, outcome: Outcome) {
        Counter(label: "guildhall_jobs_finished_total", dimensions: [("job", job), ("outcome", outcome.rawValue)]).increment()
        if outcome == .retried {
            Counter(label: "guildhall_jobs_retries_total", dimensions: [("job", job)]).increment()
        }
    }

    static func reclaimed(queue: String, count: Int) {
        Counter(label: "guildhall_jobs_reclaimed_total", dimensions: [("queue", queue)]).increment(by: count)
    }

    static func scheduled(queue: String, redelivery: Bool) {
        Counter(label: "guildhall_jobs_schedule_runs_total", dimensions: [("queue", queue), ("kind", redelivery ? "redelivered" : "handed_over")]).increment()
    }
}
