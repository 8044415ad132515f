import FluentKit
import Foundation
@testable import GuildhallAPI
import GuildhallCore
import GuildhallStorage
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import GuildhallDatabaseTestSupport
import Testing

@Suite("dashboard sessions and guild routes")
struct DashboardSessionTests {
    @Test("the owner logs in through the sandbox's OAuth2, reads and switches a module, and the audit log records it")
    func ownerFlow() async throws {
        let harness = try await DashboardHarness.make()
        let owner = harness.persona("ada")
        let guild = try #require(harness.guilds.first { $0.ownerID == owner })
        try await harness.run { client in
            let login = try await harness.login(as: owner, client: client)
            let cookie: HTTPFields = [.cookie: "guildhall_session=\(login.cookie)"]
            let me = try await client.execute(uri: "/api/v1/me", method: .get, headers: cookie)
            #expect(me.json?["user"]?["id"]?.stringValue == owner.description)

            let modules = try await client.execute(uri: "/api/v1/guilds/\(guild.id)/modules", method: .get, headers: cookie)
            #expect(modules.status == .ok)
            #expect(modules.json?["access"]?.stringValue == "owner")
            #expect(modules.json?["can_edit"] == .bool(true))
            #expect(modules.json?["modules"]?.arrayValue?.count == TestModules.catalog.modules.count, "exactly the registered modules")

            let body = ByteBuffer(string: #"{"enabled":true}"#)
            let on = try await client.execute(uri: "/api/v1/guilds/\(guild.id)/modules/leveling", method: .put, headers: DashboardHarness.write(login), body: body)
            #expect(on.status == .ok)
            #expect(on.json?["changed"] == .bool(true) && on.json?["enabled"] == .bool(true))
            let again = try await client.execute(uri: "/api/v1/guilds/\(guild.id)/modules/leveling", method: .put, headers: DashboardHarness.write(login), body: body)
            #expect(again.json?["changed"] == .bool(false))
            #expect(try await harness.settings.settings(for: guild.id).isEnabled(.leveling))

            let audit = try await client.execute(uri: "/api/v1/guilds/\(guild.id)/audit-log", method: .get, headers: cookie)
            let entries = try #require(audit.json?["entries"]?.arrayValue)
            #expect(entries.count == 1)
            #expect(entries.first?["actor_id"]?.stringValue == owner.description)
            #expect(entries.first?["request_id"]?.stringValue?.isEmpty == false)
        }
    }

    @Test("writes need the CSRF token and our own Origin; nothing changes when they are wrong")
    func csrfAndOrigin() async throws {
        let harness = try await DashboardHarness.make()
        let owner = harness.persona("ada")
        let guild = try #require(harness.guilds.first { $0.ownerID == owner })
        try await harness.run { client in
            let login = try await harness.login(as: owner, client: client)
            let uri = "/api/v1/guilds/\(guild.id)/modules/test-premium"
            let body = ByteBuffer(string: #"{"enabled":true}"#)
            var noToken = DashboardHarness.write(login)
            noToken[HTTPField.Name("X-CSRF-Token")!] = nil
            #expect(try await client.execute(uri: uri, method: .put, headers: noToken, body: body).apiError?.error.code == "csrf_failed")
            let elsewhere = try await client.execute(uri: uri, method: .put, headers: DashboardHarness.write(login, origin: "https://evil.example"), body: body)
            #expect(elsewhere.status == .forbidden && elsewhere.apiError?.error.code == "origin_mismatch")
            let noOrigin = try await client.execute(uri: uri, method: .put, headers: DashboardHarness.write(login, origin: nil), body: body)
            #expect(noOrigin.apiError?.error.code == "origin_missing")
            var viaReferer = DashboardHarness.write(login, origin: nil)
            viaReferer[.referer] = DashboardHarness.origin + "/dashboard"
            #expect(try await client.execute(uri: uri, method: .put, headers: viaReferer, body: ByteBuffer(string: #"{"enabled":false}"#)).status == .ok)
            #expect(try await !harness.settings.settings(for: guild.id).isEnabled(.testPremium))
        }
    }

    @Test("a tampered, expired or logged-out session is a 401")
    func badSessions() async throws {
        let harness = try await DashboardHarness.make()
        let owner = harness.persona("ada")
        try await harness.run { client in
            let login = try await harness.login(as: owner, client: client)
            #expect(try await client.execute(uri: "/api/v1/me", method: .get).apiError?.error.code == "login_required")
            // Change one character of the payload (not the signature's last character, whose
            // low bits base64url does not use): the signature no longer matches.
            var parts = login.cookie.split(separator: ".").map(String.init)
            let first = parts[1].removeFirst()
            parts[1] = (first == "e" ? "f" : "e") + parts[1]
            let tampered = parts.joined(separator: ".")
            let forged = try await client.execute(uri: "/api/v1/me", method: .get, headers: [.cookie: "guildhall_session=\(tampered)"])
            #expect(forged.status == .unauthorized && forged.apiError?.error.code == "session_invalid")
            harness.clock.value.withLock { $0 = 9 * 3_600 }
            let expired = try await client.execute(uri: "/api/v1/me", method: .get, headers: [.cookie: "guildhall_session=\(login.cookie)"])
            #expect(expired.apiError?.error.code == "session_expired")
            harness.clock.value.withLock { $0 = 0 }
            let logout = try await client.execute(uri: "/auth/logout", method: .post, headers: DashboardHarness.write(login))
            #expect(logout.status == .noContent)
            #expect(DashboardHarness.cookie("guildhall_session", in: logout) == "")
            let after = try await client.execute(uri: "/api/v1/me", method: .get, headers: [.cookie: "guildhall_session=\(login.cookie)"])
            #expect(after.apiError?.error.code == "session_ended")
        }
    }

    @Test("a login that did not start here, or that Discord refused, gets no session")
    func refusedLogins() async throws {
        let harness = try await DashboardHarness.make()
        try await harness.run { client in
            let forged = try await client.execute(uri: "/auth/callback?code=abc&state=xyz", method: .get, headers: [.cookie: "guildhall_oauth_state=other"])
            #expect(forged.status == .forbidden && forged.apiError?.error.code == "oauth_state_mismatch")
            #expect(DashboardHarness.cookie("guildhall_session", in: forged) == nil)
            let denied = try await client.execute(uri: "/auth/callback?error=access_denied", method: .get)
            #expect(denied.apiError?.error.code == "login_refused")
            let badCode = try await client.execute(uri: "/auth/callback?code=nope&state=s1", method: .get, headers: [.cookie: "guildhall_oauth_state=s1"])
            #expect(badCode.apiError?.error.code == "login_refused")
        }
        #expect(AuthRoutes.safeNext("//evil.example") == "/" && AuthRoutes.safeNext("https://evil.example") == "/" && AuthRoutes.safeNext("/ok") == "/ok")
        #expect(AuthRoutes.nextPage(fromState: "nodot") == "/")
        #expect(SessionSettings.authorizeURL(forAPIBase: "https://discord.com/api/v10") == "https://discord.com/oauth2/authorize")
    }

    @Test("access: a manager edits, a viewer grant reads only, a plain member and an outsider see nothing")
    func accessLevels() async throws {
        let harness = try await DashboardHarness.make()
        let owner = harness.persona("ada")
        let guild = try #require(harness.guilds.first { $0.ownerID == owner })
        let viewer = harness.persona("cleo")
        try await DashboardGrantRecord(guildID: guild.id, userID: viewer, level: .viewer, grantedBy: owner).create(on: harness.database.database)
        try await harness.run { client in
            let body = ByteBuffer(string: #"{"enabled":true}"#)
            let manager = try await harness.login(as: harness.persona("bram"), client: client)
            let managed = try await client.execute(uri: "/api/v1/guilds/\(guild.id)/modules", method: .get, headers: [.cookie: "guildhall_session=\(manager.cookie)"])
            #expect(managed.json?["access"]?.stringValue == "manager")
            #expect(try await client.execute(uri: "/api/v1/guilds/\(guild.id)/modules/giveaways", method: .put, headers: DashboardHarness.write(manager), body: body).status == .ok)

            let reader = try await harness.login(as: viewer, client: client)
            let read = try await client.execute(uri: "/api/v1/guilds/\(guild.id)/modules", method: .get, headers: [.cookie: "guildhall_session=\(reader.cookie)"])
            #expect(read.json?["access"]?.stringValue == "viewer" && read.json?["can_edit"] == .bool(false))
            let refused = try await client.execute(uri: "/api/v1/guilds/\(guild.id)/modules/test-premium", method: .put, headers: DashboardHarness.write(reader), body: body)
            #expect(refused.status == .forbidden)

            let outsider = try await harness.login(as: harness.persona("eve"), client: client)
            let none = try await client.execute(uri: "/api/v1/guilds/\(guild.id)/modules", method: .get, headers: [.cookie: "guildhall_session=\(outsider.cookie)"])
            #expect(none.status == .forbidden)
            let unknown = try await client.execute(uri: "/api/v1/guilds/123456789/modules", method: .get, headers: [.cookie: "guildhall_session=\(outsider.cookie)"])
            #expect(unknown.status == .notFound)
            #expect(try await !harness.settings.settings(for: guild.id).isEnabled(.testPremium))
        }
    }

    /// The acceptance sweep: a user of guild A asking for guild B, on every guild route, gets
    /// 403 or 404 and never data.
    @Test("every guild route refuses another guild's data")
    func crossGuildSweep() async throws {
        let harness = try await DashboardHarness.make()
        let owner = harness.persona("ada")
        let other = try #require(harness.guilds.first { $0.ownerID != owner })
        try await harness.run { client in
            let login = try await harness.login(as: owner, client: client)
            let guildRoutes = harness.table.all.filter { if case .guild = $0.access { true } else { false } }
            #expect(guildRoutes.count >= 3)
            for route in guildRoutes {
                var uri = route.path.replacingOccurrences(of: "{guild_id}", with: other.id.description)
                uri = uri.replacingOccurrences(of: "{module}", with: "leveling").replacingOccurrences(of: "{user_id}", with: harness.persona("cleo").description)
                    .replacingOccurrences(of: "{giveaway_id}", with: "1")
                let response = try await client.execute(
                    uri: uri, method: route.method, headers: DashboardHarness.write(login),
                    body: route.body == nil ? nil : ByteBuffer(string: route.path.hasSuffix("{user_id}") ? #"{"level":"admin"}"# : #"{"enabled":true}"#)
                )
                #expect([403, 404].contains(Int(response.status.code)), "\(route.method) \(route.path) answered \(response.status.code)")
                #expect(response.apiError != nil, "\(route.path) answered with data")
            }
            #expect(try await !harness.settings.settings(for: other.id).isEnabled(.leveling))
        }
    }

    @Test("without a session every dashboard route answers 401 in the error shape, as its description says")
    func routesNeedASession() async throws {
        let harness = try await DashboardHarness.make()
        let guild = try #require(harness.guilds.first)
        try await harness.run { client in
            let protected = harness.table.all.filter { $0.access == .session || { if case .guild = $0.access { true } else { false } }($0) }
            #expect(protected.count >= 5)
            for route in protected {
                let uri = route.path.replacingOccurrences(of: "{guild_id}", with: guild.id.description).replacingOccurrences(of: "{module}", with: "test-premium")
                    .replacingOccurrences(of: "{user_id}", with: "42").replacingOccurrences(of: "{giveaway_id}", with: "1")
                let response = try await client.execute(uri: uri, method: route.method)
                #expect(response.status == .unauthorized, "\(route.path)")
                #expect(route.errorStatuses.contains(401))
                let error = try #require(response.json)
                #expect(OpenAPIDocument.errorSchema.problems(error, at: "response").isEmpty)
            }
            let document = try await client.execute(uri: "/api/openapi.json", method: .get)
            #expect(document.json?["paths"]?["/auth/callback"]?["get"] != nil)
            #expect(document.json?["paths"]?["/api/v1/guilds/{guild_id}/modules/{module}"]?["put"]?["requestBody"] != nil)
        }
    }
}
