import Foundation
@testable import GuildhallAPI
import GuildhallCore
import GuildhallGuildSettings
import GuildhallPremium
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import GuildhallDatabaseTestSupport
import Testing

@Suite("premium through the API")
struct PremiumRoutesTests {
    @Test("a premium-only module needs premium at the API and where it is switched; a downgrade pauses it and deletes nothing")
    func aiNeedsPremium() async throws {
        let harness = try await DashboardHarness.make()
        let ada = harness.persona("ada")
        let guild = try #require(harness.guilds.first { $0.ownerID == ada })
        let premium = try #require(harness.settings.premium)
        try await harness.run { client in
            let login = try await harness.login(as: ada, client: client)
            let cookie: HTTPFields = [.cookie: "guildhall_session=\(login.cookie)"]
            let plan = try await client.execute(uri: "/api/v1/guilds/\(guild.id)/premium", method: .get, headers: cookie)
            #expect(plan.json?["tier"]?.stringValue == "free")
            #expect(plan.json?["limits"]?["giveaways"]?["running"] == .integer(10))

            let on = ByteBuffer(string: #"{"enabled":true}"#)
            let refused = try await client.execute(uri: "/api/v1/guilds/\(guild.id)/modules/test-premium", method: .put, headers: DashboardHarness.write(login), body: on)
            #expect(refused.status == .forbidden && refused.apiError?.error.code == "premium_required")
            // The second check, where the effect happens, holds even if the API's were skipped.
            await #expect(throws: GuildhallError.self) {
                try await harness.settings.setModule(.testPremium, enabled: true, guild: guild.id, actor: ada, access: .owner)
            }

            try await premium.grant(guild: guild.id, until: Date().addingTimeInterval(86_400))
            let premiumPlan = try await client.execute(uri: "/api/v1/guilds/\(guild.id)/premium", method: .get, headers: cookie)
            #expect(premiumPlan.json?["tier"]?.stringValue == "premium" && premiumPlan.json?["source"]?.stringValue == "operator")
            #expect(try await client.execute(uri: "/api/v1/guilds/\(guild.id)/modules/test-premium", method: .put, headers: DashboardHarness.write(login), body: on).status == .ok)

            try await premium.revokeGrants(guild: guild.id)
            let modules = try await client.execute(uri: "/api/v1/guilds/\(guild.id)/modules", method: .get, headers: cookie)
            let ai = modules.json?["modules"]?.arrayValue?.first { $0["id"]?.stringValue == "test-premium" }
            #expect(ai?["enabled"] == .bool(true) && ai?["paused"] == .bool(true), "kept on, but paused")
            #expect(try await harness.settings.settings(for: guild.id).isEnabled(.testPremium), "nothing was deleted")
            let off = ByteBuffer(string: #"{"enabled":false}"#)
            #expect(try await client.execute(uri: "/api/v1/guilds/\(guild.id)/modules/test-premium", method: .put, headers: DashboardHarness.write(login), body: off).status == .ok,
                    "switching a premium module off never needs premium")
        }
        #expect(!harness.logs.with(message: "premium check refused").isEmpty)
    }
}
