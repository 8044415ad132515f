import GuildhallCore

/// What carries jobs between the code that enqueues them and the workers that run them.
/// Two implementations, one contract (the contract suite runs both): Redis for several
/// processes, in-process for `guildhall serve` without Redis.
///
/// Delivery is at least once. A claimed job is leased to one worker until `leaseUntil`;
/// the worker extends the lease with heartbeats while it runs, and when the lease runs out
/// (the worker died, hung or lost its connection) `reclaimExpired` puts the job back.
/// Every operation on a delivery carries its token, so a worker whose lease was lost
/// cannot complete or retry a job that another worker now holds.
public protocol JobDriver: Sendable {
    /// `redis` or `in-process`, for logs and the bench report.
    var name: String { get }
    var queue: String { get }

    /// Adds a job due at `envelope.dueAt`. With `dedupeWindow`, a second job with the same
    /// (queue, guild, name, idempotency key) within the window is not added.
    func enqueue(_ envelope: JobEnvelope, dedupeWindow: Duration?) async throws -> EnqueueOutcome
    /// Leases up to `limit` due jobs to `worker`, each until now + `lease`.
    func claim(worker: String, limit: Int, lease: Duration) async throws -> [JobDelivery]
    /// Extends the lease; false when the delivery is no longer this worker's.
    func heartbeat(_ delivery: JobDelivery, lease: Duration) async throws -> Bool
    /// Removes a finished (or dead-lettered) job; false when the lease was lost.
    func complete(_ delivery: JobDelivery) async throws -> Bool
    /// Puts a failed job back, due at `dueAt`, with its updated envelope.
    func retry(_ delivery: JobDelivery, envelope: JobEnvelope, dueAt: Int64) async throws -> Bool
    /// Gives an unfinished job back at once (graceful shutdown); the delivery does not
    /// count as an attempt.
    func release(_ delivery: JobDelivery) async throws -> Bool
    /// Puts jobs whose lease ran out back in the queue; returns how many.
    func reclaimExpired(limit: Int) async throws -> Int
    /// Whether the queue still holds the job (waiting, delayed or running).
    func contains(jobID: String) async throws -> Bool
    func stats() async throws -> JobQueueStats
}

/// The Redis key kinds of the job queue. Every queue's keys live under the platform
/// pseudo-guild, so one queue's keys share a Redis Cluster slot and its scripts stay valid.
public enum JobKeys {
    public static let feature = "jobs"

    public static let ready = RedisKeyKind(
        feature: feature, name: "ready", lifetime: .persistent(reason: "the queue itself: losing it loses jobs"),
        cleanup: "members are removed when a worker claims them", parts: ["queue"]
    )
    public static let inflight = RedisKeyKind(
        feature: feature, name: "inflight", lifetime: .persistent(reason: "leases of running jobs; the reclaimer needs every one"),
        cleanup: "members are removed on completion, retry, release or reclaim", parts: ["queue"]
    )
    public static let body = RedisKeyKind(
        feature: feature, name: "body", lifetime: .persistent(reason: "job envelopes live as long as their job"),
        cleanup: "fields are deleted when the job completes or is dead-lettered", parts: ["queue"]
    )
    public static let owner = RedisKeyKind(
        feature: feature, name: "owner", lifetime: .persistent(reason: "the lease token of each running job"),
        cleanup: "fields are deleted on completion, retry, release or reclaim", parts: ["queue"]
    )
    public static let deliveries = RedisKeyKind(
        feature: feature, name: "deliveries", lifetime: .persistent(reason: "attempt counts must survive retries"),
        cleanup: "fields are deleted when the job completes or is dead-lettered", parts: ["queue"]
    )
    public static let dedupe = RedisKeyKind(
        feature: feature, name: "dedupe", lifetime: .expiring(.seconds(86_400)),
        cleanup: "expires after the dedupe window (at most 24 h)", parts: ["queue", "guildId", "job", "idempotencyKey"]
    )

    public static var all: [RedisKeyKind] { [ready, inflight, body, owner, deliveries, dedupe] }
}
