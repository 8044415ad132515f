import Foundation
@testable import GuildhallAPI
import GuildhallCore
import GuildhallGiveaways
import GuildhallPremium
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

/// Giveaways through the API: created, listed and read with their entrants, cancelled and
/// ended through GiveawayService (the bot's checks), and every refusal changing nothing.
@Suite("GiveawayRoutesTests")
struct GiveawayRoutesTests {
    static func draft(channel: Snowflake, prize: String = "Mug", winners: Int = 1, extra: String = "") -> ByteBuffer {
        let ends = Int(Date().timeIntervalSince1970) + 3_600
        return ByteBuffer(string: #"{"prize":"\#(prize)","winners":\#(winners),"channel_id":"\#(channel)","ends_at":\#(ends),"requirements":{}\#(extra)}"#)
    }

    @Test("the owner creates, lists, reads, cancels and ends giveaways; bad bodies, the plan's limits, strangers and other guilds are refused")
    func lifecycle() async throws {
        let harness = try await DashboardHarness.make()
        let ada = harness.persona("ada")
        let guild = try #require(harness.guilds.first { $0.ownerID == ada })
        let channel = harness.sandbox.world.read { state in guild.channelIDs.first { state.channels[$0]?.kind == .text }! }
        try await harness.settings.setModule(.giveaways, enabled: true, guild: guild.id, actor: ada, access: .owner)
        try await harness.run { client in
            let login = try await harness.login(as: ada, client: client)
            let write = DashboardHarness.write(login)
            let base = "/api/v1/guilds/\(guild.id)/giveaways"
            let created = try await client.execute(uri: base, method: .post, headers: write, body: Self.draft(channel: channel, prize: "Signed mug", winners: 2))
            #expect(created.status == .created)
            let id = try #require(created.json?["id"]?.integerValue)
            #expect(created.json?["status"]?.stringValue == "running" && created.json?["message_id"]?.stringValue != nil)

            let listed = try await client.execute(uri: base, method: .get, headers: write)
            #expect(listed.status == .ok)
            #expect(listed.json?["can_manage"] == .bool(true) && listed.json?["limits"]?["winners"] == .integer(20))
            #expect(listed.json?["giveaways"]?.arrayValue?.first?["prize"]?.stringValue == "Signed mug")

            let entrant = try #require(guild.orderedMembers.first { $0.userID != ada }?.userID)
            _ = try await harness.giveaways.enter(id, guild: guild.id, entrant: GiveawayEntrant(user: entrant))
            let detail = try await client.execute(uri: "\(base)/\(id)", method: .get, headers: write)
            #expect(detail.json?["giveaway"]?["entries"] == .integer(1))
            #expect(detail.json?["entrants"]?.arrayValue?.first?["user_id"]?.stringValue == entrant.description)

            // Refusals: an unknown field, a zero winner count, more winners than the plan allows.
            for (body, status) in [
                (Self.draft(channel: channel, extra: #","surprise":1"#), HTTPResponse.Status.unprocessableContent),
                (Self.draft(channel: channel, winners: 0), .unprocessableContent),
                (Self.draft(channel: channel, winners: 21), .forbidden),
            ] {
                let refused = try await client.execute(uri: base, method: .post, headers: write, body: body)
                #expect(refused.status == status, "\(refused.status)")
            }
            let rerollEarly = try await client.execute(uri: "\(base)/\(id)/reroll", method: .post, headers: write, body: ByteBuffer(string: #"{"count":1}"#))
            #expect(rerollEarly.status == .unprocessableContent, "a running giveaway cannot be rerolled")

            let second = try await client.execute(uri: base, method: .post, headers: write, body: Self.draft(channel: channel, prize: "Gone"))
            let secondID = try #require(second.json?["id"]?.integerValue)
            let cancelled = try await client.execute(uri: "\(base)/\(secondID)/cancel", method: .post, headers: write)
            #expect(cancelled.status == .ok && cancelled.json?["status"]?.stringValue == "cancelled")
            let cancelAgain = try await client.execute(uri: "\(base)/\(secondID)/cancel", method: .post, headers: write)
            #expect(cancelAgain.status == .unprocessableContent)

            let ended = try await client.execute(uri: "\(base)/\(id)/end", method: .post, headers: write)
            #expect(ended.status == .ok)
            #expect(try await harness.jobs.queue.schedules.find(key: "giveaway-\(id)-end")?.state == "cancelled", "the timer is replaced by the end job")

            let role = try #require(guild.roleOrder.last)
            let manager = try await client.execute(
                uri: "\(base)/settings", method: .put, headers: write, body: ByteBuffer(string: #"{"manager_role_id":"\#(role)"}"#)
            )
            #expect(manager.status == .ok && manager.json?["manager_role_id"]?.stringValue == role.description)

            // Another guild's path never shows this guild's giveaway.
            let other = try #require(harness.guilds.first { $0.id != guild.id && $0.ownerID == ada } ?? harness.guilds.first { $0.id != guild.id })
            let crossed = try await client.execute(uri: "/api/v1/guilds/\(other.id)/giveaways/\(id)", method: .get, headers: write)
            #expect(crossed.status == .notFound || crossed.status == .forbidden)

            let eve = try await harness.login(as: harness.persona("eve"), client: client)
            let stranger = try await client.execute(uri: base, method: .post, headers: DashboardHarness.write(eve), body: Self.draft(channel: channel))
            #expect(stranger.status == .forbidden || stranger.status == .notFound)
            #expect(try await harness.giveaways.store.list(guild: guild.id).count == 2)
        }
    }
}
