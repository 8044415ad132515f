/// The in-process queue as a value: the same rules the Redis driver's scripts follow,
/// with time passed in, so tests drive it step by step. `InProcessJobDriver` keeps one
/// behind a lock.
struct JobQueueState {
    private struct Waiting: Comparable {
        let dueAt: Int64
        let sequence: Int
        let id: String

        static func < (lhs: Waiting, rhs: Waiting) -> Bool {
            (lhs.dueAt, lhs.sequence) < (rhs.dueAt, rhs.sequence)
        }
    }

    private struct Lease {
        var token: String
        var until: Int64
    }

    /// Sorted latest-due first, so the next job to run is the last element.
    private var waiting: [Waiting] = []
    private var sequence = 0
    private var bodies: [String: JobEnvelope] = [:]
    private var leases: [String: Lease] = [:]
    private var deliveries: [String: Int] = [:]
    private var dedupe: [String: (jobID: String, expiresAt: Int64)] = [:]

    mutating func enqueue(_ envelope: JobEnvelope, dedupeKey: String?, dedupeMilliseconds: Int64, now: Int64) -> EnqueueOutcome {
        if let dedupeKey {
            if let seen = dedupe[dedupeKey], seen.expiresAt > now {
                return .duplicate(existingJobID: seen.jobID)
            }
            dedupe[dedupeKey] = (envelope.id, now + dedupeMilliseconds)
        }
        bodies[envelope.id] = envelope
        deliveries[envelope.id] = nil
        insertWaiting(envelope.id, dueAt: envelope.dueAt)
        return .enqueued(jobID: envelope.id)
    }

    mutating func claim(limit: Int, now: Int64, leaseUntil: Int64, tokenPrefix: String) -> [JobDelivery] {
        var claimed: [JobDelivery] = []
        while claimed.count < limit, let next = waiting.last, next.dueAt <= now {
            waiting.removeLast()
            guard let envelope = bodies[next.id], leases[next.id] == nil else { continue }
            let attempt = (deliveries[next.id] ?? 0) + 1
            deliveries[next.id] = attempt
            let token = "\(tokenPrefix):\(claimed.count + 1)"
            leases[next.id] = Lease(token: token, until: leaseUntil)
            claimed.append(JobDelivery(envelope: envelope, attempt: attempt, token: token))
        }
        return claimed
    }

    mutating func heartbeat(id: String, token: String, leaseUntil: Int64) -> Bool {
        guard leases[id]?.token == token else { return false }
        leases[id]?.until = leaseUntil
        return true
    }

    mutating func complete(id: String, token: String) -> Bool {
        guard leases[id]?.token == token else { return false }
        leases[id] = nil
        bodies[id] = nil
        deliveries[id] = nil
        return true
    }

    mutating func retry(id: String, token: String, envelope: JobEnvelope, dueAt: Int64) -> Bool {
        guard leases[id]?.token == token else { return false }
        leases[id] = nil
        var updated = envelope
        updated.dueAt = dueAt
        bodies[id] = updated
        insertWaiting(id, dueAt: dueAt)
        return true
    }

    mutating func release(id: String, token: String, now: Int64) -> Bool {
        guard leases[id]?.token == token else { return false }
        leases[id] = nil
        if let count = deliveries[id] { deliveries[id] = max(0, count - 1) }
        insertWaiting(id, dueAt: now)
        return true
    }

    /// Expired leases go back to the queue, due now; expired dedupe records are dropped.
    mutating func reclaim(now: Int64, limit: Int) -> Int {
        let expired = leases.filter { $0.value.until < now }.keys.sorted().prefix(limit)
        for id in expired {
            leases[id] = nil
            insertWaiting(id, dueAt: now)
        }
        dedupe = dedupe.filter { $0.value.expiresAt > now }
        return expired.count
    }

    func contains(_ id: String) -> Bool { bodies[id] != nil }

    func stats(now: Int64) -> JobQueueStats {
        // `waiting` is sorted latest first: the due ones are a suffix.
        var low = 0, high = waiting.count
        while low < high {
            let middle = (low + high) / 2
            if waiting[middle].dueAt <= now { high = middle } else { low = middle + 1 }
        }
        return JobQueueStats(ready: waiting.count - low, delayed: low, running: leases.count)
    }

    private mutating func insertWaiting(_ id: String, dueAt: Int64) {
        sequence += 1
        let item = Waiting(dueAt: dueAt, sequence: sequence, id: id)
        // Binary search for the first element not later than `item` (descending order).
        var low = 0, high = waiting.count
        while low < high {
            let middle = (low + high) / 2
            if item < waiting[middle] { low = middle + 1 } else { high = middle }
        }
        waiting.insert(item, at: low)
    }
}
