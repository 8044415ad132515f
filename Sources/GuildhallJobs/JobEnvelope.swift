import Foundation
import GuildhallCore

/// One job as the queue carries it: who it is, what it is, for which guild, and its payload
/// as JSON text. The same bytes travel through Redis and the in-process driver.
public struct JobEnvelope: Codable, Sendable, Equatable {
    /// Unique per job; a retry keeps it.
    public var id: String
    public var name: String
    public var guild: Snowflake
    /// Two enqueues with the same (queue, guild, name, key) within the dedupe window run once.
    public var idempotencyKey: String
    public var payload: String
    public var queue: String
    /// When the job was first enqueued, and when it is due next (retries move it later).
    public var enqueuedAt: Int64
    public var dueAt: Int64
    /// Set when the job is a run of a durable schedule.
    public var schedule: ScheduleRun?
    /// The error of the previous attempt, for logs and the dead letter.
    public var lastError: String?

    public struct ScheduleRun: Codable, Sendable, Equatable {
        public var id: String
        public var runAt: Int64

        public init(id: String, runAt: Int64) {
            self.id = id
            self.runAt = runAt
        }
    }

    public init(id: String, name: String, guild: Snowflake, idempotencyKey: String, payload: String, queue: String, enqueuedAt: Int64, dueAt: Int64, schedule: ScheduleRun? = nil, lastError: String? = nil) {
        self.id = id
        self.name = name
        self.guild = guild
        self.idempotencyKey = idempotencyKey
        self.payload = payload
        self.queue = queue
        self.enqueuedAt = enqueuedAt
        self.dueAt = dueAt
        self.schedule = schedule
        self.lastError = lastError
    }

    enum CodingKeys: String, CodingKey {
        case id, name, guild, idempotencyKey = "key", payload, queue, enqueuedAt = "enqueued_ms", dueAt = "due_ms", schedule, lastError = "last_error"
    }

    /// The compact JSON stored in the queue.
    public func encoded() throws -> String {
        String(decoding: try JobCoding.encoder.encode(self), as: UTF8.self)
    }

    /// Reads a stored envelope; a body that does not parse is a corrupted entry.
    public init(encoded text: String) throws {
        do {
            self = try JobCoding.decoder.decode(JobEnvelope.self, from: Data(text.utf8))
        } catch {
            throw GuildhallError(.internalError, "a queued job body does not parse: \(text.prefix(200))", underlying: error)
        }
    }

    /// What identifies duplicates: the dedupe record's key parts.
    var dedupeParts: [String] { [queue, String(guild.rawValue), name, idempotencyKey] }
}

/// A job handed to one worker: the envelope, which delivery this is (1 for the first; every
/// claim counts, so deliveries lost to a dead worker count as attempts), and the token that
/// proves this worker still holds it.
public struct JobDelivery: Sendable, Equatable {
    public let envelope: JobEnvelope
    public let attempt: Int
    public let token: String

    public init(envelope: JobEnvelope, attempt: Int, token: String) {
        self.envelope = envelope
        self.attempt = attempt
        self.token = token
    }
}

/// The answer to an enqueue.
public enum EnqueueOutcome: Sendable, Equatable {
    case enqueued(jobID: String)
    /// The idempotency key was seen within the dedupe window; nothing was added.
    case duplicate(existingJobID: String)

    public var jobID: String {
        switch self {
        case .enqueued(let id), .duplicate(let id): return id
        }
    }

    public var isDuplicate: Bool {
        if case .duplicate = self { return true }
        return false
    }
}

/// How full a queue is.
public struct JobQueueStats: Sendable, Equatable {
    /// Due now and waiting for a worker.
    public var ready: Int
    /// Waiting for a later time (retry backoff, or handed over early by the scheduler).
    public var delayed: Int
    /// Held by workers.
    public var running: Int

    public init(ready: Int, delayed: Int, running: Int) {
        self.ready = ready
        self.delayed = delayed
        self.running = running
    }

    public var total: Int { ready + delayed + running }
}
