import Foundation
import GuildhallCore
import GuildhallDiscordModels
import Testing
@testable import GuildhallSandbox

@Suite("REST: authentication, rate limits, faults, users")
struct RESTBasicsTests {
    @Test("no token, a wrong token or a Bearer token on a bot route get 401 with Discord's body")
    func authentication() async throws {
        try await SandboxHarness.with { sandbox in
            for auth in [SandboxHarness.Auth.none, .botToken("wrong"), .bearer("nope")] {
                let reply = try await sandbox.api(.GET, "/gateway/bot", auth: auth)
                #expect(reply.status == 401)
                #expect(reply.json == .object(["code": .integer(0), "message": .string("401: Unauthorized")]))
                #expect(reply.header("content-type") == "application/json")
            }
            let gateway = try await sandbox.api(.GET, "/gateway", auth: .none)
            #expect(gateway.json["url"]?.stringValue == sandbox.endpoints.gatewayURL)
            #expect(sandbox.control.restStatistics.invalidLastTenMinutes == 3)
        }
    }

    @Test("GET /gateway/bot points at the sandbox's WebSocket with shards and session_start_limit")
    func gatewayBot() async throws {
        try await SandboxHarness.with({ $0.recommendedShards = 3; $0.maxConcurrency = 4 }) { sandbox in
            let info = try await sandbox.api(.GET, "/gateway/bot").json
            #expect(info["url"]?.stringValue == sandbox.endpoints.gatewayURL)
            #expect(info["shards"]?.integerValue == 3)
            #expect(info["session_start_limit"]?["max_concurrency"]?.integerValue == 4)
            #expect(info["session_start_limit"]?["remaining"]?.integerValue == 1_000)
            #expect(info["session_start_limit"]?["reset_after"]?.integerValue == 86_400_000)
        }
    }

    @Test("users/@me and users/@me/guilds as the bot; the application")
    func botIdentity() async throws {
        try await SandboxHarness.with { sandbox in
            let me = try await sandbox.api(.GET, "/users/@me").json
            #expect(me["id"]?.stringValue == sandbox.botID.description && me["bot"]?.boolValue == true)
            #expect(me["email"] == nil)
            let guilds = try await sandbox.api(.GET, "/users/@me/guilds?with_counts=true").json.arrayValue
            #expect(guilds.count == 4)
            #expect(guilds.allSatisfy { $0["owner"]?.boolValue == false && $0["approximate_member_count"] != nil })
            let ids = guilds.compactMap { $0["id"]?.stringValue.flatMap { Snowflake($0) } }
            #expect(ids == ids.sorted())
            let page = try await sandbox.api(.GET, "/users/@me/guilds?limit=2&after=\(ids[0])").json.arrayValue
            #expect(page.compactMap { $0["id"]?.stringValue } == ids[1...2].map(\.description))
            let before = try await sandbox.api(.GET, "/users/@me/guilds?before=\(ids[3])&limit=1").json.arrayValue
            #expect(before.compactMap { $0["id"]?.stringValue } == [ids[2].description])
            let bad = try await sandbox.api(.GET, "/users/@me/guilds?limit=500")
            #expect(bad.status == 400 && bad.json["code"]?.integerValue == 50035)
            let application = try await sandbox.api(.GET, "/oauth2/applications/@me").json
            #expect(application["verify_key"]?.stringValue == sandbox.state.application.publicKeyHex)
            #expect(try await sandbox.api(.GET, "/oauth2/@me").status == 401)
        }
    }

    @Test("rate-limit headers count down per channel; the sixth message in 5 s is a 429 with Discord's body")
    func routeRateLimit() async throws {
        try await SandboxHarness.with({ $0.rateLimits = .discordLike }) { sandbox in
            let general = sandbox.channel(named: "general", in: sandbox.firstGuild)
            var buckets: Set<String> = []
            for remaining in stride(from: 4, through: 0, by: -1) {
                let reply = try await sandbox.api(.POST, "/channels/\(general.id)/messages", json: .object(["content": .string("n\(remaining)")]))
                #expect(reply.status == 200)
                #expect(reply.header("x-ratelimit-limit") == "5")
                #expect(reply.header("x-ratelimit-remaining") == String(remaining))
                #expect(Double(reply.header("x-ratelimit-reset-after") ?? "") ?? 0 > 0)
                #expect(Double(reply.header("x-ratelimit-reset") ?? "") ?? 0 > Date().timeIntervalSince1970 - 10)
                buckets.insert(reply.header("x-ratelimit-bucket") ?? "")
            }
            #expect(buckets.count == 1)
            let limited = try await sandbox.api(.POST, "/channels/\(general.id)/messages", json: .object(["content": .string("too many")]))
            #expect(limited.status == 429)
            #expect(limited.header("x-ratelimit-scope") == "user")
            #expect(Int(limited.header("retry-after") ?? "") ?? 0 >= 1)
            #expect(limited.json["global"]?.boolValue == false)
            #expect(limited.json["message"]?.stringValue == "You are being rate limited.")
            let retryAfter = try #require(limited.json["retry_after"])
            if case .double(let value) = retryAfter { #expect(value > 0 && value <= 5) } else if case .integer(let value) = retryAfter { #expect(value > 0) }
            #expect(sandbox.state.channelMessages[general.id]?.count == 5)
            let other = sandbox.channel(named: "mod-log", in: sandbox.firstGuild)
            #expect(try await sandbox.api(.POST, "/channels/\(other.id)/messages", json: .object(["content": .string("other bucket")])).status == 200)
        }
    }

    @Test("the global limit answers 429 with X-RateLimit-Global and global: true")
    func globalRateLimit() async throws {
        var policy = SandboxRateLimitPolicy.relaxed
        policy.globalPerSecond = 3
        try await SandboxHarness.with({ $0.rateLimits = policy }) { sandbox in
            // Ten requests at once: at most three fit in any one second.
            let replies = try await withThrowingTaskGroup(of: SandboxHarness.Reply.self) { group in
                for _ in 0..<10 { group.addTask { try await sandbox.api(.GET, "/users/@me") } }
                var replies: [SandboxHarness.Reply] = []
                for try await reply in group { replies.append(reply) }
                return replies
            }
            let global = replies.first { $0.status == 429 }
            let refused = try #require(global)
            #expect(refused.header("x-ratelimit-global") == "true" && refused.header("x-ratelimit-scope") == "global")
            #expect(refused.json["global"]?.boolValue == true)
        }
    }

    @Test("faults: a 429 storm on one route, 5xx answers, slow answers, switched off again")
    func restFaults() async throws {
        try await SandboxHarness.with { sandbox in
            let guild = sandbox.firstGuild
            let storm = try await sandbox.sandbox(.POST, "/faults", json: .object([
                "kind": .string("rate_limit"), "route": .string("GET /guilds/{guild_id}"), "remaining": .integer(2),
                "retry_after": .double(2.5), "scope": .string("shared"),
            ]))
            #expect(storm.status == 201)
            for _ in 0..<2 {
                let reply = try await sandbox.api(.GET, "/guilds/\(guild.id)")
                #expect(reply.status == 429 && reply.header("x-ratelimit-scope") == "shared" && reply.header("retry-after") == "3")
                #expect(reply.json["message"]?.stringValue == "The resource is being rate limited.")
                #expect(reply.header("x-ratelimit-remaining") == "0")
            }
            #expect(try await sandbox.api(.GET, "/guilds/\(guild.id)").status == 200)
            #expect(sandbox.control.restStatistics.invalidLastTenMinutes == 0, "shared 429s do not count")

            _ = try await sandbox.sandbox(.POST, "/faults", json: .object(["kind": .string("server_error"), "status": .integer(502)]))
            let outage = try await sandbox.api(.GET, "/users/@me")
            #expect(outage.status == 502 && outage.text.contains("502"))
            #expect(try await sandbox.sandbox(.GET, "/faults").json.arrayValue.count == 1)
            #expect(try await sandbox.sandbox(.DELETE, "/faults").status == 204)
            #expect(try await sandbox.api(.GET, "/users/@me").status == 200)

            let serverFault = try sandbox.control.addFault(SandboxRESTFault(kind: .serverError, remaining: 1, status: 500))
            #expect(try await sandbox.api(.GET, "/users/@me").json["message"]?.stringValue == "500: Internal Server Error")
            #expect(sandbox.control.removeFault(id: serverFault.id) == false)

            let slow = try await sandbox.sandbox(.POST, "/faults", json: .object([
                "kind": .string("slow"), "route": .string("GET /users/@me"), "delay_ms": .integer(1_200), "duration_seconds": .double(60),
            ]))
            let started = ContinuousClock.now
            #expect(try await sandbox.api(.GET, "/users/@me").status == 200)
            #expect(ContinuousClock.now - started >= .milliseconds(1_200))
            let id = try #require(slow.json["id"]?.integerValue)
            #expect(try await sandbox.sandbox(.DELETE, "/faults/\(id)").status == 204)
            #expect(try await sandbox.sandbox(.DELETE, "/faults/\(id)").status == 404)
            let globalStorm = try sandbox.control.addFault(SandboxRESTFault(kind: .rateLimit, remaining: 1, retryAfter: 1, scope: "global"))
            let refused = try await sandbox.api(.GET, "/users/@me")
            #expect(refused.json["global"]?.boolValue == true && refused.header("x-ratelimit-global") == "true")
            _ = globalStorm
            let badFault = try await sandbox.sandbox(.POST, "/faults", json: .object(["kind": .string("slow"), "delay_ms": .integer(0)]))
            #expect(badFault.status == 400 && badFault.json["message"]?.stringValue?.contains("delay_ms") == true)
            let badKind = try await sandbox.sandbox(.POST, "/faults", json: .object(["kind": .string("explode")]))
            #expect(badKind.status == 400 && badKind.json["code"]?.integerValue == 50035)
        }
    }

    @Test("unknown resources answer 404 with the 100xx codes; bad ids 50035; bad JSON 50109")
    func errorBodies() async throws {
        try await SandboxHarness.with { sandbox in
            let guild = sandbox.firstGuild
            let general = sandbox.channel(named: "general", in: guild)
            let unknown = Snowflake(12_345)
            let cases: [(String, Int)] = [
                ("/channels/\(unknown)", 10003), ("/guilds/\(unknown)", 10004),
                ("/guilds/\(guild.id)/members/\(unknown)", 10007), ("/channels/\(general.id)/messages/\(unknown)", 10008),
            ]
            for (path, code) in cases {
                let reply = try await sandbox.api(.GET, path)
                #expect(reply.status == 404, "\(path)")
                #expect(reply.json["code"]?.integerValue == Int64(code), "\(path)")
            }
            let role = try await sandbox.api(.PUT, "/guilds/\(guild.id)/members/\(guild.ownerID)/roles/\(unknown)")
            #expect(role.status == 404 && role.json["code"]?.integerValue == 10011)
            let notSnowflake = try await sandbox.api(.GET, "/channels/abc")
            #expect(notSnowflake.status == 400 && notSnowflake.json["errors"]?["channel_id"] != nil)
            let invalid = try await sandbox.call(.POST, "/api/v10/channels/\(general.id)/messages", raw: Array("{nope".utf8))
            #expect(invalid.status == 400 && invalid.json["code"]?.integerValue == 50109)
            let notObject = try await sandbox.call(.POST, "/api/v10/channels/\(general.id)/messages", raw: Array("[1]".utf8))
            #expect(notObject.status == 400 && notObject.json["code"]?.integerValue == 50035)
        }
    }
}
