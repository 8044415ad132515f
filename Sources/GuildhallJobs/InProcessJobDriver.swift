import GuildhallCore
import Synchronization

/// The embedded queue: `JobQueueState` behind a lock. Jobs live in this process's memory,
/// so they end with it; delayed and recurring jobs are safe in the database regardless,
/// and a job lost with the process is one that had been due already.
public final class InProcessJobDriver: JobDriver {
    public let name = "in-process"
    public let queue: String
    private let clock: JobClock
    private let state = Mutex(JobQueueState())
    private let claims = Atomic<Int>(0)

    public init(queue: String = "default", clock: JobClock = .system) throws {
        try JobValidation.requireKey(queue, what: "queue name")
        self.queue = queue
        self.clock = clock
    }

    public func enqueue(_ envelope: JobEnvelope, dedupeWindow: Duration?) async throws -> EnqueueOutcome {
        let window = try dedupeWindow.map(Self.checkedWindow)
        let now = clock.milliseconds()
        let key = window == nil ? nil : envelope.dedupeParts.joined(separator: "\u{1F}")
        return state.withLock { $0.enqueue(envelope, dedupeKey: key, dedupeMilliseconds: window ?? 0, now: now) }
    }

    public func claim(worker: String, limit: Int, lease: Duration) async throws -> [JobDelivery] {
        guard limit > 0 else { return [] }
        let now = clock.milliseconds()
        let prefix = "\(worker):\(claims.wrappingAdd(1, ordering: .relaxed).newValue)"
        return state.withLock { $0.claim(limit: limit, now: now, leaseUntil: now + lease.wholeMilliseconds, tokenPrefix: prefix) }
    }

    public func heartbeat(_ delivery: JobDelivery, lease: Duration) async throws -> Bool {
        let until = clock.milliseconds() + lease.wholeMilliseconds
        return state.withLock { $0.heartbeat(id: delivery.envelope.id, token: delivery.token, leaseUntil: until) }
    }

    public func complete(_ delivery: JobDelivery) async throws -> Bool {
        state.withLock { $0.complete(id: delivery.envelope.id, token: delivery.token) }
    }

    public func retry(_ delivery: JobDelivery, envelope: JobEnvelope, dueAt: Int64) async throws -> Bool {
        state.withLock { $0.retry(id: delivery.envelope.id, token: delivery.token, envelope: envelope, dueAt: dueAt) }
    }

    public func release(_ delivery: JobDelivery) async throws -> Bool {
        let now = clock.milliseconds()
        return state.withLock { $0.release(id: delivery.envelope.id, token: delivery.token, now: now) }
    }

    public func reclaimExpired(limit: Int) async throws -> Int {
        let now = clock.milliseconds()
        return state.withLock { $0.reclaim(now: now, limit: limit) }
    }

    public func contains(jobID: String) async throws -> Bool {
        state.withLock { $0.contains(jobID) }
    }

    public func stats() async throws -> JobQueueStats {
        let now = clock.milliseconds()
        return state.withLock { $0.stats(now: now) }
    }

    /// The window must be positive and within the dedupe key kind's declared TTL, on both drivers.
    static func checkedWindow(_ window: Duration) throws -> Int64 {
        guard window > .zero, let declared = JobKeys.dedupe.ttl, window <= declared else {
            throw GuildhallError(.invalidInput, "the dedupe window must be positive and at most \(JobKeys.dedupe.ttl!.compactDescription), got \(window)")
        }
        return window.wholeMilliseconds
    }
}
