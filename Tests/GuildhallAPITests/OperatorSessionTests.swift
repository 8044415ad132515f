import Foundation
@testable import GuildhallAPI
import GuildhallCore
import GuildhallJobs
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

@Suite("operators by dashboard session")
struct OperatorSessionTests {
    @Test("a user listed in OPERATOR_USER_IDS reads and replays dead letters with the session; others are refused")
    func operatorSession() async throws {
        let harness = try await DashboardHarness.make(operators: ["bram"])
        try await harness.jobs.deadLetters.record(
            JobEnvelope(id: "job-op", name: "giveaway.end", guild: Snowflake(5), idempotencyKey: "k", payload: "{}", queue: "default", enqueuedAt: 1, dueAt: 1),
            attempts: 5, lastError: "boom"
        )
        try await harness.run { client in
            #expect(try await client.execute(uri: "/api/v1/operator/jobs", method: .get).status == .unauthorized, "no session, no token")
            let bram = try await harness.login(as: harness.persona("bram"), client: client)
            let overview = try await client.execute(uri: "/api/v1/operator/jobs", method: .get, headers: [.cookie: "guildhall_session=\(bram.cookie)"])
            #expect(overview.status == .ok && overview.json?["dead_letters"] == .integer(1))

            var noToken = DashboardHarness.write(bram)
            noToken[HTTPField.Name("X-CSRF-Token")!] = nil
            #expect(try await client.execute(uri: "/api/v1/operator/jobs/dead/job-op/replay", method: .post, headers: noToken).apiError?.error.code == "csrf_failed")
            #expect(try await client.execute(uri: "/api/v1/operator/jobs/dead/job-op/replay", method: .post, headers: DashboardHarness.write(bram)).status == .accepted)

            let ada = try await harness.login(as: harness.persona("ada"), client: client)
            let refused = try await client.execute(uri: "/api/v1/operator/jobs", method: .get, headers: [.cookie: "guildhall_session=\(ada.cookie)"])
            #expect(refused.status == .forbidden && refused.apiError?.error.code == "not_an_operator")
        }
    }
}
