import Foundation
@testable import GuildhallAPI
import GuildhallCore
import GuildhallDiscordModels
import GuildhallLeveling
import GuildhallPremium
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

/// Leveling's routes: settings read and written through the API (validation, permissions,
/// premium, audit), the guild's leaderboard, and the public leaderboard's 404 until a guild
/// publishes it.
@Suite("leveling through the API")
struct LevelingRoutesTests {
    static func body(_ config: LevelingConfig) -> ByteBuffer { ByteBuffer(string: config.encoded()) }

    @Test("the owner reads the defaults, saves settings, and reads back what was stored; the audit log has the change")
    func settingsRoundTrip() async throws {
        let harness = try await DashboardHarness.make()
        let ada = harness.persona("ada")
        let guild = try #require(harness.guilds.first { $0.ownerID == ada })
        try await harness.run { client in
            let login = try await harness.login(as: ada, client: client)
            let cookie: HTTPFields = [.cookie: "guildhall_session=\(login.cookie)"]
            let read = try await client.execute(uri: "/api/v1/guilds/\(guild.id)/leveling", method: .get, headers: cookie)
            #expect(read.status == .ok)
            #expect(read.json?["config"]?["xp_min"] == .integer(15) && read.json?["can_edit"] == .bool(true) && read.json?["multipliers_allowed"] == .bool(false)
                    && read.json?["voice_xp_allowed"] == .bool(false) && read.json?["config"]?["voice_xp_per_minute"] == .integer(0))

            var config = LevelingConfig(minimumXP: 20, maximumXP: 30, cooldownSeconds: 45)
            config.rewards = [.init(level: 5, roleID: Snowflake(77))]
            config.announcement = .init(mode: .channel, channelID: Snowflake(88), template: "{user} is level {level}")
            config.publicLeaderboard = true
            let saved = try await client.execute(uri: "/api/v1/guilds/\(guild.id)/leveling", method: .put, headers: DashboardHarness.write(login), body: Self.body(config))
            #expect(saved.status == .ok && saved.json?["version"] == .integer(1))
            let same = try await client.execute(uri: "/api/v1/guilds/\(guild.id)/leveling", method: .put, headers: DashboardHarness.write(login), body: Self.body(config))
            #expect(same.json?["version"] == .integer(1), "the same document again is no new version")
            let again = try await client.execute(uri: "/api/v1/guilds/\(guild.id)/leveling", method: .get, headers: cookie)
            #expect(again.json?["config"]?["cooldown_seconds"] == .integer(45) && again.json?["config"]?["announcement"]?["channel_id"]?.stringValue == "88")
            #expect(try await harness.leveling.settings.config(for: guild.id) == config)
            let audit = try await client.execute(uri: "/api/v1/guilds/\(guild.id)/audit-log", method: .get, headers: cookie)
            #expect(audit.json?["entries"]?.arrayValue?.first?["action"]?.stringValue == "leveling.settings")
        }
    }

    @Test("bad bodies and broken rules get 422 with the reason, no CSRF token 403, multipliers without premium 403 premium_required; nothing changes")
    func refusals() async throws {
        let harness = try await DashboardHarness.make()
        let ada = harness.persona("ada")
        let guild = try #require(harness.guilds.first { $0.ownerID == ada })
        try await harness.run { client in
            let login = try await harness.login(as: ada, client: client)
            let uri = "/api/v1/guilds/\(guild.id)/leveling"
            var unknown = LevelingConfig().encoded()
            unknown.removeLast()
            unknown += #","surprise":1}"#
            let extra = try await client.execute(uri: uri, method: .put, headers: DashboardHarness.write(login), body: ByteBuffer(string: unknown))
            #expect(extra.status == .unprocessableContent)
            let outOfRange = LevelingConfig().encoded().replacingOccurrences(of: "\"xp_min\":15", with: "\"xp_min\":0")
            let range = try await client.execute(uri: uri, method: .put, headers: DashboardHarness.write(login), body: ByteBuffer(string: outOfRange))
            #expect(range.status == .unprocessableContent)
            let inverted = try await client.execute(uri: uri, method: .put, headers: DashboardHarness.write(login), body: Self.body(LevelingConfig(minimumXP: 30, maximumXP: 10)))
            #expect(inverted.status == .unprocessableContent && inverted.apiError?.error.message.contains("XP per message") == true)
            var boosted = LevelingConfig()
            boosted.multipliers = [.init(roleID: Snowflake(5), percent: 200)]
            let premium = try await client.execute(uri: uri, method: .put, headers: DashboardHarness.write(login), body: Self.body(boosted))
            #expect(premium.status == .forbidden && premium.apiError?.error.code == "premium_required")
            var voice = LevelingConfig()
            voice.voiceXPPerMinute = 5
            let voiceRefused = try await client.execute(uri: uri, method: .put, headers: DashboardHarness.write(login), body: Self.body(voice))
            #expect(voiceRefused.status == .forbidden && voiceRefused.apiError?.error.message.contains("voice XP") == true)
            let tooMuch = LevelingConfig().encoded().replacingOccurrences(of: "\"voice_xp_per_minute\":0", with: "\"voice_xp_per_minute\":101")
            let voiceRange = try await client.execute(uri: uri, method: .put, headers: DashboardHarness.write(login), body: ByteBuffer(string: tooMuch))
            #expect(voiceRange.status == .unprocessableContent)
            let noCSRF = try await client.execute(uri: uri, method: .put, headers: [.cookie: "guildhall_session=\(login.cookie)", .contentType: "application/json"], body: Self.body(LevelingConfig()))
            #expect(noCSRF.status == .forbidden)
            #expect(try await harness.leveling.store.config(guild: guild.id) == nil, "nothing was stored")
        }
    }

    @Test("the guild leaderboard equals the store's; the public one is 404 until published, and then the same list")
    func leaderboards() async throws {
        let harness = try await DashboardHarness.make()
        let ada = harness.persona("ada")
        let guild = try #require(harness.guilds.first { $0.ownerID == ada })
        let leveling = harness.leveling
        try await harness.settings.setModule(.leveling, enabled: true, guild: guild.id, actor: ada, access: .owner)
        let members = guild.orderedMembers.map(\.userID).prefix(3)
        for (index, member) in members.enumerated() {
            _ = try await leveling.adjust(member, in: guild.id, .set(Int64(100 * (index + 1))), actor: ada, access: .owner, requestID: nil)
        }
        try await leveling.flush(guild.id)
        try await harness.run { client in
            let login = try await harness.login(as: ada, client: client)
            let cookie: HTTPFields = [.cookie: "guildhall_session=\(login.cookie)"]
            let board = try await client.execute(uri: "/api/v1/guilds/\(guild.id)/leveling/leaderboard?page_size=2", method: .get, headers: cookie)
            #expect(board.status == .ok && board.json?["ranked"] == .integer(3))
            let entries = board.json?["entries"]?.arrayValue ?? []
            #expect(entries.map { $0["xp"] } == [.integer(300), .integer(200)])
            #expect(entries.first?["user_id"]?.stringValue == members[members.startIndex + 2].description)
            #expect(entries.first?["name"]?.stringValue?.isEmpty == false, "names come from Discord")

            let hidden = try await client.execute(uri: "/api/v1/public/leaderboard/\(guild.id)", method: .get)
            #expect(hidden.status == .notFound)
            var config = LevelingConfig()
            config.publicLeaderboard = true
            try await leveling.settings.save(config, guild: guild.id, actor: ada, access: .owner, requestID: nil)
            let shown = try await client.execute(uri: "/api/v1/public/leaderboard/\(guild.id)?page=1", method: .get)
            #expect(shown.status == .ok && shown.json?["entries"]?.arrayValue?.count == 3)
            #expect(try await client.execute(uri: "/api/v1/public/leaderboard/\(guild.id)?page=0", method: .get).status == .unprocessableContent)
            #expect(try await client.execute(uri: "/api/v1/public/leaderboard/123456789", method: .get).status == .notFound, "a guild Guildhall does not know")

            // Someone outside the guild sees nothing of its board.
            let otherLogin = try await harness.login(as: harness.persona("eve"), client: client)
            let refused = try await client.execute(
                uri: "/api/v1/guilds/\(guild.id)/leveling/leaderboard", method: .get, headers: [.cookie: "guildhall_session=\(otherLogin.cookie)"]
            )
            #expect(refused.status == .forbidden || refused.status == .notFound)
            #expect(refused.json?["entries"] == nil)
        }
    }
}
