import Foundation
@testable import GuildhallAPI
import GuildhallCore
import GuildhallJobs
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

@Suite("operator routes for jobs")
struct OperatorJobsRoutesTests {
    static func deadLetter(_ id: String, _ harness: APIHarness) async throws {
        let envelope = JobEnvelope(
            id: id, name: "giveaway.end", guild: Snowflake(80_351_110_224_678_912), idempotencyKey: "key-\(id)", payload: "{}",
            queue: "default", enqueuedAt: 1_000, dueAt: 1_000
        )
        try await harness.jobs.deadLetters.record(envelope, attempts: 5, lastError: "Discord answered 500 five times")
    }

    @Test("no token, a wrong one, or none configured: refused before anything is read")
    func access() async throws {
        let harness = try await APIHarness.make()
        try await harness.run { client in
            let none = try await client.execute(uri: "/api/v1/operator/jobs/dead", method: .get)
            #expect(none.status == .unauthorized)
            #expect(none.apiError?.error.code == "unauthorized")
            let wrong = try await client.execute(uri: "/api/v1/operator/jobs/dead", method: .get, headers: [.authorization: "Bearer " + String(repeating: "8", count: 40)])
            #expect(wrong.status == .unauthorized)
            let basic = try await client.execute(uri: "/api/v1/operator/jobs/dead", method: .get, headers: [.authorization: "Basic abc"])
            #expect(basic.status == .unauthorized)
        }
        let off = try await APIHarness.make(operatorToken: nil)
        try await off.run { client in
            let refused = try await client.execute(uri: "/api/v1/operator/jobs", method: .get, headers: APIHarness.operatorHeaders)
            #expect(refused.status == .forbidden)
            #expect(refused.apiError?.error.code == "operator_api_disabled")
        }
    }

    @Test("list, show, replay once, then 409; the overview counts what is still dead")
    func deadLetters() async throws {
        let harness = try await APIHarness.make()
        try await Self.deadLetter("job-1", harness)
        try await Self.deadLetter("job-2", harness)
        try await harness.run { client in
            let headers = APIHarness.operatorHeaders
            let overview = try await client.execute(uri: "/api/v1/operator/jobs", method: .get, headers: headers)
            #expect(overview.status == .ok)
            #expect(overview.json?["dead_letters"] == .integer(2))
            #expect(overview.json?["queue"]?["ready"] == .integer(0))

            let list = try await client.execute(uri: "/api/v1/operator/jobs/dead?limit=10", method: .get, headers: headers)
            #expect(list.status == .ok)
            let letters = try #require(list.json?["dead_letters"]?.arrayValue)
            #expect(Set(letters.compactMap { $0["job_id"]?.stringValue }) == ["job-1", "job-2"])
            #expect(letters.first?["guild_id"]?.stringValue == "80351110224678912")
            #expect(letters.first?["last_error"]?.stringValue == "Discord answered 500 five times")

            let one = try await client.execute(uri: "/api/v1/operator/jobs/dead/job-1", method: .get, headers: headers)
            #expect(one.json?["state"]?.stringValue == "dead")
            let missing = try await client.execute(uri: "/api/v1/operator/jobs/dead/job-9", method: .get, headers: headers)
            #expect(missing.status == .notFound)

            let replay = try await client.execute(uri: "/api/v1/operator/jobs/dead/job-1/replay", method: .post, headers: headers)
            #expect(replay.status == .accepted)
            #expect(replay.json?["job_id"]?.stringValue == "job-1")
            #expect(replay.json?["queue"]?.stringValue == "default")
            let again = try await client.execute(uri: "/api/v1/operator/jobs/dead/job-1/replay", method: .post, headers: headers)
            #expect(again.status == .conflict)
            let withBody = try await client.execute(uri: "/api/v1/operator/jobs/dead/job-2/replay", method: .post, headers: headers, body: ByteBuffer(string: "{}"))
            #expect(withBody.status == .unprocessableContent, "replay takes no body")

            let after = try await client.execute(uri: "/api/v1/operator/jobs", method: .get, headers: headers)
            #expect(after.json?["dead_letters"] == .integer(1))
            let everything = try await client.execute(uri: "/api/v1/operator/jobs/dead?include_replayed=true", method: .get, headers: headers)
            #expect(everything.json?["dead_letters"]?.arrayValue?.count == 2)
            let tooMany = try await client.execute(uri: "/api/v1/operator/jobs/dead?limit=5000", method: .get, headers: headers)
            #expect(tooMany.status == .unprocessableContent)
            #expect(try await harness.jobs.deadLetters.find(jobID: "job-1")?.state == "replayed")
        }
    }
}
