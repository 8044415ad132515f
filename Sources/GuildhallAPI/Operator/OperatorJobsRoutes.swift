import Foundation
import GuildhallJobs
import Hummingbird

/// The operator's view of jobs: the queue, the dead letters, and replay, the same
/// `JobsAdminService` the `guildhall jobs` CLI uses.
public enum OperatorJobsRoutes {
    static let jobID = APISchema.string(minLength: 1, maxLength: 128)

    static let deadLetter = APISchema.object([
        "job_id": .string(minLength: 1), "queue": .string(minLength: 1), "job": .string(minLength: 1), "payload": .string(),
        "guild_id": .snowflake, "idempotency_key": .string(), "attempts": .integer(minimum: 0), "last_error": .string(),
        "enqueued_ms": .timestamp, "failed_ms": .timestamp, "state": .string(values: ["dead", "replayed"]),
        "replay_count": .integer(minimum: 0), "replayed_ms": .timestamp,
    ], required: ["job_id", "queue", "job", "payload", "guild_id", "attempts", "last_error", "enqueued_ms", "failed_ms", "state", "replay_count"])

    static let overview = APIRoute(
        .get, "/api/v1/operator/jobs", operationID: "getJobsOverview", summary: "Queue depth and the number of dead letters.",
        tag: "operator", access: .operator,
        answers: [200: .init("The overview; `queue` is null where this process cannot see the queue.", schema: .object([
            "queue": .nullable(.object(["ready": .integer(minimum: 0), "delayed": .integer(minimum: 0), "running": .integer(minimum: 0)],
                                       required: ["ready", "delayed", "running"])),
            "dead_letters": .integer(minimum: 0),
        ], required: ["queue", "dead_letters"]))]
    )

    static let list = APIRoute(
        .get, "/api/v1/operator/jobs/dead", operationID: "listDeadLetters", summary: "Dead letters, newest first.",
        tag: "operator", access: .operator,
        query: ["limit": .integer(minimum: 1, maximum: 500), "include_replayed": .boolean],
        answers: [200: .init("Dead letters (50 unless `limit` says otherwise).", schema: .object(["dead_letters": .array(deadLetter)], required: ["dead_letters"]))]
    )

    static let show = APIRoute(
        .get, "/api/v1/operator/jobs/dead/{job_id}", operationID: "getDeadLetter", summary: "One dead letter and its last error.",
        tag: "operator", access: .operator, pathParameters: ["job_id": jobID],
        answers: [200: .init("The dead letter.", schema: deadLetter)]
    )

    static let replay = APIRoute(
        .post, "/api/v1/operator/jobs/dead/{job_id}/replay", operationID: "replayDeadLetter",
        summary: "Send a dead job back to its queue, due now. A dead letter is replayed once; 409 after that.",
        tag: "operator", access: .operator, pathParameters: ["job_id": jobID],
        answers: [202: .init("Queued again through a one-off schedule.", schema: .object([
            "job_id": .string(minLength: 1), "schedule_id": .string(minLength: 1), "queue": .string(minLength: 1),
        ], required: ["job_id", "schedule_id", "queue"]))],
        additionalErrors: [409]
    )

    struct Overview: Encodable {
        struct Queue: Encodable { var ready: Int, delayed: Int, running: Int }
        var queue: Queue?
        var deadLetters: Int

        enum CodingKeys: String, CodingKey { case queue, deadLetters = "dead_letters" }

        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(queue, forKey: .queue)
            try container.encode(deadLetters, forKey: .deadLetters)
        }
    }

    struct Replayed: Encodable {
        var jobID: String
        var scheduleID: String
        var queue: String

        enum CodingKeys: String, CodingKey { case jobID = "job_id", scheduleID = "schedule_id", queue }
    }

    public static func register<Context: RequestContext>(on api: APIRouter<Context>, admin: JobsAdminService) {
        api.add(overview) { _ in
            let (queue, dead) = try await admin.overview()
            return APIJSON.response(Overview(queue: queue.map { .init(ready: $0.ready, delayed: $0.delayed, running: $0.running) }, deadLetters: dead))
        }
        api.add(list) { input in
            let letters = try await admin.listDeadLetters(limit: input.queryInteger("limit") ?? 50, includeReplayed: input.queryBool("include_replayed") ?? false)
            return APIJSON.response(["dead_letters": letters])
        }
        api.add(show) { input in
            APIJSON.response(try await admin.deadLetter(jobID: input.path("job_id")))
        }
        api.add(replay) { input in
            let outcome = try await admin.replay(jobID: input.path("job_id"))
            return APIJSON.response(
                Replayed(jobID: outcome.jobID, scheduleID: outcome.scheduleID.uuidString.lowercased(), queue: outcome.queue), status: .accepted
            )
        }
    }
}
