import GuildhallCore
import GuildhallRedis
import Synchronization

/// The multi-process queue on Redis: a sorted set of waiting jobs scored by due time, a
/// sorted set of leases scored by when they run out, and hashes for bodies, lease tokens
/// and attempt counts. Every step is one Lua script, so no step is ever half done. The
/// reasons for this shape over streams are in docs/architecture.md ("Jobs: driver choice").
public final class RedisJobDriver: JobDriver {
    public let name = "redis"
    public let queue: String
    public let client: RedisClient
    private let clock: JobClock
    private let claims = Atomic<Int>(0)
    private let ready: String, inflight: String, body: String, owner: String, deliveries: String

    public init(client: RedisClient, queue: String = "default", clock: JobClock = .system) throws {
        try JobValidation.requireKey(queue, what: "queue name")
        self.client = client
        self.queue = queue
        self.clock = clock
        let platform = Keyspace.platform
        ready = try JobKeys.ready.key(guild: platform, queue).rawValue
        inflight = try JobKeys.inflight.key(guild: platform, queue).rawValue
        body = try JobKeys.body.key(guild: platform, queue).rawValue
        owner = try JobKeys.owner.key(guild: platform, queue).rawValue
        deliveries = try JobKeys.deliveries.key(guild: platform, queue).rawValue
    }

    public func enqueue(_ envelope: JobEnvelope, dedupeWindow: Duration?) async throws -> EnqueueOutcome {
        let window = try dedupeWindow.map(InProcessJobDriver.checkedWindow) ?? 0
        var keys = [ready, body, deliveries]
        if window > 0 {
            keys.append(try JobKeys.dedupe.key(guild: Keyspace.platform, parts: envelope.dedupeParts).rawValue)
        }
        let reply = try await run(RedisJobScripts.enqueue, keys: keys, args: [envelope.id, try envelope.encoded(), String(envelope.dueAt), String(window)])
        guard let pair = reply.array, pair.count == 2, let added = pair[0].int, let id = pair[1].string else {
            throw Self.unexpected(reply, "enqueue")
        }
        return added == 1 ? .enqueued(jobID: id) : .duplicate(existingJobID: id)
    }

    public func claim(worker: String, limit: Int, lease: Duration) async throws -> [JobDelivery] {
        guard limit > 0 else { return [] }
        let now = clock.milliseconds()
        let prefix = "\(worker):\(claims.wrappingAdd(1, ordering: .relaxed).newValue)"
        let reply = try await run(RedisJobScripts.claim, keys: [ready, inflight, body, owner, deliveries], args: [
            String(now), String(now + lease.wholeMilliseconds), String(limit), prefix,
        ])
        guard let items = reply.array, items.count % 3 == 0 else { throw Self.unexpected(reply, "claim") }
        var claimed: [JobDelivery] = []
        for index in stride(from: 0, to: items.count, by: 3) {
            guard let text = items[index].string, let attempt = items[index + 1].int, let token = items[index + 2].string else {
                throw Self.unexpected(reply, "claim")
            }
            claimed.append(JobDelivery(envelope: try JobEnvelope(encoded: text), attempt: attempt, token: token))
        }
        return claimed
    }

    public func heartbeat(_ delivery: JobDelivery, lease: Duration) async throws -> Bool {
        let until = clock.milliseconds() + lease.wholeMilliseconds
        return try await flag(RedisJobScripts.heartbeat, keys: [inflight, owner], args: [delivery.envelope.id, delivery.token, String(until)])
    }

    public func complete(_ delivery: JobDelivery) async throws -> Bool {
        try await flag(RedisJobScripts.complete, keys: [inflight, owner, body, deliveries], args: [delivery.envelope.id, delivery.token])
    }

    public func retry(_ delivery: JobDelivery, envelope: JobEnvelope, dueAt: Int64) async throws -> Bool {
        var updated = envelope
        updated.dueAt = dueAt
        return try await flag(RedisJobScripts.retry, keys: [inflight, owner, body, ready], args: [
            delivery.envelope.id, delivery.token, try updated.encoded(), String(dueAt),
        ])
    }

    public func release(_ delivery: JobDelivery) async throws -> Bool {
        try await flag(RedisJobScripts.release, keys: [inflight, owner, ready, deliveries], args: [
            delivery.envelope.id, delivery.token, String(clock.milliseconds()),
        ])
    }

    public func reclaimExpired(limit: Int) async throws -> Int {
        let reply = try await run(RedisJobScripts.reclaim, keys: [inflight, owner, ready], args: [String(clock.milliseconds()), String(limit)])
        guard let count = reply.int else { throw Self.unexpected(reply, "reclaim") }
        return count
    }

    public func contains(jobID: String) async throws -> Bool {
        do {
            return try await client.send(["HEXISTS", body, jobID]).int == 1
        } catch {
            throw GuildhallError(.unavailable, "Redis did not answer for the job queue '\(queue)'", underlying: error)
        }
    }

    public func stats() async throws -> JobQueueStats {
        let reply = try await run(RedisJobScripts.stats, keys: [ready, inflight], args: [String(clock.milliseconds())])
        guard let values = reply.array?.compactMap(\.int), values.count == 3 else { throw Self.unexpected(reply, "stats") }
        return JobQueueStats(ready: values[0], delayed: values[1], running: values[2])
    }

    private func flag(_ script: RedisScript, keys: [String], args: [String]) async throws -> Bool {
        let reply = try await run(script, keys: keys, args: args)
        guard let value = reply.int else { throw Self.unexpected(reply, "script") }
        return value == 1
    }

    private func run(_ script: RedisScript, keys: [String], args: [String]) async throws -> RESPValue {
        do {
            return try await client.eval(script, keys: keys, args: args)
        } catch {
            throw GuildhallError(.unavailable, "Redis did not answer for the job queue '\(queue)'", underlying: error)
        }
    }

    private static func unexpected(_ reply: RESPValue, _ step: String) -> GuildhallError {
        GuildhallError(.internalError, "the job queue's \(step) script replied \(reply)")
    }
}
