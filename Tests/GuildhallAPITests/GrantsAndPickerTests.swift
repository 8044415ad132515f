import Foundation
@testable import GuildhallAPI
import GuildhallCore
import GuildhallGuildSettings
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

@Suite("grants, the guild picker and per-user limits")
struct GrantsAndPickerTests {
    @Test("the owner gives, changes and takes a grant; each takes effect at once and is audited")
    func grantLifecycle() async throws {
        let harness = try await DashboardHarness.make()
        let owner = harness.persona("ada")
        let cleo = harness.persona("cleo")
        let guild = try #require(harness.guilds.first { $0.ownerID == owner })
        try await harness.run { client in
            let ada = try await harness.login(as: owner, client: client)
            let reader = try await harness.login(as: cleo, client: client)
            let base = "/api/v1/guilds/\(guild.id)"
            let readerCookie: HTTPFields = [.cookie: "guildhall_session=\(reader.cookie)"]
            #expect(try await client.execute(uri: base + "/modules", method: .get, headers: readerCookie).status == .forbidden)

            let empty = try await client.execute(uri: base + "/grants", method: .get, headers: [.cookie: "guildhall_session=\(ada.cookie)"])
            #expect(empty.json?["grants"]?.arrayValue?.isEmpty == true)
            let viewer = try await client.execute(uri: base + "/grants/\(cleo)", method: .put, headers: DashboardHarness.write(ada), body: ByteBuffer(string: #"{"level":"viewer"}"#))
            #expect(viewer.status == .ok && viewer.json?["level"]?.stringValue == "viewer")
            #expect(try await client.execute(uri: base + "/modules", method: .get, headers: readerCookie).status == .ok)
            let toggle = ByteBuffer(string: #"{"enabled":true}"#)
            #expect(try await client.execute(uri: base + "/modules/test-plain", method: .put, headers: DashboardHarness.write(reader), body: toggle).status == .forbidden)

            _ = try await client.execute(uri: base + "/grants/\(cleo)", method: .put, headers: DashboardHarness.write(ada), body: ByteBuffer(string: #"{"level":"editor"}"#))
            #expect(try await client.execute(uri: base + "/modules/test-plain", method: .put, headers: DashboardHarness.write(reader), body: toggle).status == .ok)

            #expect(try await client.execute(uri: base + "/grants/\(cleo)", method: .delete, headers: DashboardHarness.write(ada)).status == .noContent)
            #expect(try await client.execute(uri: base + "/modules", method: .get, headers: readerCookie).status == .forbidden, "a removed grant ends at once")
            #expect(try await client.execute(uri: base + "/grants/\(cleo)", method: .delete, headers: DashboardHarness.write(ada)).status == .notFound)
            let selfGrant = try await client.execute(uri: base + "/grants/\(owner)", method: .put, headers: DashboardHarness.write(ada), body: ByteBuffer(string: #"{"level":"admin"}"#))
            #expect(selfGrant.status == .conflict)
            let badLevel = try await client.execute(uri: base + "/grants/\(cleo)", method: .put, headers: DashboardHarness.write(ada), body: ByteBuffer(string: #"{"level":"root"}"#))
            #expect(badLevel.status == .unprocessableContent)

            let manager = try await harness.login(as: harness.persona("bram"), client: client)
            #expect(try await client.execute(uri: base + "/grants", method: .get, headers: [.cookie: "guildhall_session=\(manager.cookie)"]).status == .forbidden, "owner only")

            let audit = try await client.execute(uri: base + "/audit-log", method: .get, headers: [.cookie: "guildhall_session=\(ada.cookie)"])
            let actions = audit.json?["entries"]?.arrayValue?.compactMap { $0["action"]?.stringValue } ?? []
            #expect(actions.filter { $0 == "grant.set" }.count == 2)
            #expect(actions.contains("grant.remove") && actions.contains("module.enable"))
        }
        #expect(harness.logs.with(message: "dashboard grant set").count == 2)
        #expect(harness.logs.with(message: "dashboard grant removed").first?.metadata["user_id"] == cleo.description)
        #expect(harness.logs.with(message: "dashboard login").count == 3)
    }

    @Test("the picker lists exactly the guilds the user may open")
    func picker() async throws {
        let harness = try await DashboardHarness.make()
        let ada = harness.persona("ada")
        try await harness.run { client in
            func picked(_ name: String) async throws -> [String: String] {
                let login = try await harness.login(as: harness.persona(name), client: client)
                let response = try await client.execute(uri: "/api/v1/guilds", method: .get, headers: [.cookie: "guildhall_session=\(login.cookie)"])
                var found: [String: String] = [:]
                for entry in response.json?["guilds"]?.arrayValue ?? [] {
                    found[entry["id"]?.stringValue ?? ""] = entry["access"]?.stringValue
                }
                return found
            }
            let owned = harness.guilds.filter { $0.ownerID == ada }.map(\.id.description)
            let (forAda, forBram, forEve, forCleo) = (try await picked("ada"), try await picked("bram"), try await picked("eve"), try await picked("cleo"))
            #expect(forAda == Dictionary(uniqueKeysWithValues: owned.map { ($0, "owner") }))
            #expect(forBram == Dictionary(uniqueKeysWithValues: harness.guilds.map { ($0.id.description, "manager") }))
            #expect(forEve.isEmpty)
            #expect(forCleo.isEmpty, "a plain member manages nothing")
        }
    }

    @Test("a burst past the per-user limit gets 429 with Retry-After")
    func perUserLimit() async throws {
        let harness = try await DashboardHarness.make(userLimit: 3)
        try await harness.run { client in
            let login = try await harness.login(as: harness.persona("ada"), client: client)
            var statuses: [Int] = []
            var last: TestResponse?
            for _ in 0..<4 {
                let response = try await client.execute(uri: "/api/v1/me", method: .get, headers: [.cookie: "guildhall_session=\(login.cookie)"])
                statuses.append(Int(response.status.code))
                last = response
            }
            // The login's own /api/v1/me counted once.
            #expect(statuses == [200, 200, 429, 429])
            #expect(last?.headers[.retryAfter] != nil)
            #expect(last?.apiError?.error.message.contains("user") == true)
        }
    }

    @Test("a burst about one guild past its limit gets 429, whoever sends it")
    func perGuildLimit() async throws {
        let harness = try await DashboardHarness.make(guildLimit: 2)
        let guild = try #require(harness.guilds.first { $0.ownerID == harness.persona("ada") })
        try await harness.run { client in
            let login = try await harness.login(as: harness.persona("ada"), client: client)
            var statuses: [Int] = []
            for _ in 0..<3 {
                statuses.append(Int(try await client.execute(uri: "/api/v1/guilds/\(guild.id)/modules", method: .get, headers: [.cookie: "guildhall_session=\(login.cookie)"]).status.code))
            }
            #expect(statuses == [200, 200, 429])
        }
    }

    @Test("the grant service itself refuses anyone but the owner, and logs it")
    func serviceRefusesNonOwners() async throws {
        let harness = try await DashboardHarness.make()
        let guild = try #require(harness.guilds.first)
        let service = DashboardGrantService(database: harness.database, logger: harness.logs.logger())
        for access in [GuildAccess.manager, .grant(.admin), .none] {
            await #expect(throws: GuildhallError.self) {
                try await service.setGrant(.viewer, user: Snowflake(42), guild: guild.id, actor: Snowflake(7), access: access, requestID: nil)
            }
            await #expect(throws: GuildhallError.self) {
                try await service.removeGrant(user: Snowflake(42), guild: guild.id, actor: Snowflake(7), access: access, requestID: nil)
            }
        }
        #expect(harness.logs.with(message: "grant change refused").count == 6)
        #expect(try await service.grants(guild: guild.id).isEmpty)
        try await harness.run { _ in }
    }
}
