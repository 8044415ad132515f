import Foundation
import GuildhallCore
import GuildhallDiscordModels
import Testing
@testable import GuildhallSandbox

@Suite("Gateway over a real socket")
struct GatewayTests {
    static let messages = SandboxIntents.guilds | SandboxIntents.guildMessages | SandboxIntents.messageContent

    func ids(_ payloads: [JSONValue]) -> Set<String> { Set(payloads.compactMap { $0["d"]?["id"]?.stringValue }) }

    @Test("READY names the shard's guilds, and one GUILD_CREATE per guild follows, routed by the formula")
    func readyAndGuildCreates() async throws {
        try await SandboxHarness.with({ $0.guildCount = 12 }) { sandbox in
            var seen: Set<String> = []
            for shard in 0..<2 {
                let (client, ready, creates) = try await sandbox.identifiedClient(shard: (shard, 2))
                let data = try #require(ready["d"])
                #expect(data["v"]?.integerValue == 10)
                #expect(data["user"]?["id"]?.stringValue == sandbox.botID.description)
                #expect(data["user"]?["mfa_enabled"] != nil && data["user"]?["bot"]?.boolValue == true)
                #expect(data["application"]?["id"]?.stringValue == sandbox.applicationID.description)
                #expect(data["resume_gateway_url"]?.stringValue == sandbox.endpoints.gatewayURL + "/resume")
                #expect(data["shard"] == .array([.integer(Int64(shard)), .integer(2)]))
                let unavailable = Set(data["guilds"]!.arrayValue.compactMap { $0["id"]?.stringValue })
                #expect(unavailable == ids(creates))
                for create in creates {
                    let id = try #require(create["d"]?["id"]?.stringValue.flatMap { Snowflake($0) })
                    #expect(id.shard(count: 2) == shard)
                    #expect(create["d"]?["channels"]?.arrayValue.count == 6)
                    #expect(create["d"]?["members"]?.arrayValue.count == 1, "only the bot without GUILD_PRESENCES")
                }
                let sequences = [ready] + creates
                #expect(sequences.compactMap { $0["s"]?.integerValue } == Array(1...Int64(sequences.count)))
                seen.formUnion(unavailable)
                await client.abort()
            }
            #expect(seen.count == 12)
        }
    }

    @Test("MESSAGE_CREATE goes to the guild's shard only, with the next sequence number")
    func messagesRouteByShard() async throws {
        try await SandboxHarness.with({ $0.guildCount = 8 }) { sandbox in
            let zero = try await sandbox.identifiedClient(shard: (0, 2))
            let one = try await sandbox.identifiedClient(shard: (1, 2))
            let guild = try #require(sandbox.state.orderedGuilds.first { $0.id.shard(count: 2) == 1 })
            let general = sandbox.channel(named: "general", in: guild)
            let author = sandbox.member("member", in: guild)
            let lastSequence = one.guildCreates.last?["s"]?.integerValue ?? 1
            _ = try sandbox.control.postMessage(channelID: general.id, userID: author.userID, content: "for shard one")
            let zeroGuild = try #require(sandbox.state.orderedGuilds.first { $0.id.shard(count: 2) == 0 })
            _ = try sandbox.control.createRole(guildID: zeroGuild.id, name: "marker", permissions: 0)
            let created = try await one.client.expect(op: 0, t: "MESSAGE_CREATE")
            #expect(created["s"]?.integerValue == lastSequence + 1)
            #expect(created["d"]?["guild_id"]?.stringValue == guild.id.description)
            #expect(created["d"]?["member"]?["roles"] != nil && created["d"]?["member"]?["user"] == nil)
            #expect(created["d"]?["author"]?["id"]?.stringValue == author.userID.description)
            // Shard zero's next event is the role it owns: the message never reached it.
            let next = try await zero.client.expect(op: 0)
            #expect(next["t"]?.stringValue == "GUILD_ROLE_CREATE")
        }
    }

    @Test("intents filter events; without MESSAGE_CONTENT content is blank unless the bot is mentioned")
    func intentFiltering() async throws {
        try await SandboxHarness.with { sandbox in
            let noMessages = try await sandbox.identifiedClient(intents: SandboxIntents.guilds)
            let noContent = try await sandbox.identifiedClient(intents: SandboxIntents.guilds | SandboxIntents.guildMessages)
            let guild = sandbox.firstGuild
            let general = sandbox.channel(named: "general", in: guild)
            let author = sandbox.member("member", in: guild).userID
            _ = try sandbox.control.postMessage(channelID: general.id, userID: author, content: "secret words")
            _ = try sandbox.control.postMessage(channelID: general.id, userID: author, content: "hey <@\(sandbox.botID)>")
            _ = try sandbox.control.createRole(guildID: guild.id, name: "marker", permissions: 0)
            #expect(try await noMessages.client.expect(op: 0)["t"]?.stringValue == "GUILD_ROLE_CREATE")
            let blank = try await noContent.client.expect(op: 0, t: "MESSAGE_CREATE")
            #expect(blank["d"]?["content"]?.stringValue == "")
            let mention = try await noContent.client.expect(op: 0, t: "MESSAGE_CREATE")
            #expect(mention["d"]?["content"]?.stringValue == "hey <@\(sandbox.botID)>")
            #expect(mention["d"]?["mentions"]?[0]?["id"]?.stringValue == sandbox.botID.description)
        }
    }

    @Test("after a dropped connection the client resumes and gets every missed dispatch once, then RESUMED")
    func resumeReplaysMissedDispatches() async throws {
        try await SandboxHarness.with { sandbox in
            let (client, ready, creates) = try await sandbox.identifiedClient()
            let sessionID = try #require(ready["d"]?["session_id"]?.stringValue)
            let lastSequence = Int(creates.last?["s"]?.integerValue ?? 1)
            let guild = sandbox.firstGuild
            let general = sandbox.channel(named: "general", in: guild)
            let author = sandbox.member("member", in: guild).userID
            #expect(sandbox.control.dropConnections(shard: 0, mode: .abrupt) == 1)
            #expect(try await client.closeCode() == nil)
            for index in 0..<3 { _ = try sandbox.control.postMessage(channelID: general.id, userID: author, content: "missed \(index)") }
            #expect(sandbox.control.sessions.first?.connected == false)

            let resumed = try await TestGatewayClient.connect(port: sandbox.port, path: "/gateway/resume?v=10&encoding=json")
            _ = try await resumed.expect(op: 10)
            try await resumed.resume(token: sandbox.token, sessionID: sessionID, sequence: lastSequence)
            var contents: [String] = []
            var sequences: [Int64] = []
            for _ in 0..<3 {
                let message = try await resumed.expect(op: 0, t: "MESSAGE_CREATE")
                contents.append(message["d"]?["content"]?.stringValue ?? "")
                sequences.append(message["s"]?.integerValue ?? 0)
            }
            #expect(contents == ["missed 0", "missed 1", "missed 2"])
            #expect(sequences == [1, 2, 3].map { Int64(lastSequence + $0) })
            let done = try await resumed.expect(op: 0)
            #expect(done["t"]?.stringValue == "RESUMED" && done["s"]?.integerValue == Int64(lastSequence + 4))
            _ = try sandbox.control.postMessage(channelID: general.id, userID: author, content: "live again")
            #expect(try await resumed.expect(op: 0, t: "MESSAGE_CREATE")["s"]?.integerValue == Int64(lastSequence + 5))
        }
    }

    @Test("a resume with a sequence from the future closes 4007; a closed-with-1000 session cannot be resumed")
    func resumeRefusals() async throws {
        try await SandboxHarness.with { sandbox in
            let (first, ready, creates) = try await sandbox.identifiedClient()
            let sessionID = try #require(ready["d"]?["session_id"]?.stringValue)
            let last = Int(creates.last?["s"]?.integerValue ?? 1)
            await first.abort()
            let ahead = try await TestGatewayClient.connect(port: sandbox.port)
            try await ahead.resume(token: sandbox.token, sessionID: sessionID, sequence: last + 10)
            #expect(try await ahead.closeCode() == 4007)

            let (second, secondReady, _) = try await sandbox.identifiedClient(shard: (1, 2))
            let secondID = try #require(secondReady["d"]?["session_id"]?.stringValue)
            try await second.close(code: 1000)
            _ = try await second.closeCode()
            try await Task.sleep(for: .milliseconds(200))
            let retry = try await TestGatewayClient.connect(port: sandbox.port)
            try await retry.resume(token: sandbox.token, sessionID: secondID, sequence: 1)
            let invalid = try await retry.expect(op: 9)
            #expect(invalid["d"] == .bool(false))
            try await retry.resume(token: sandbox.token, sessionID: "no-such-session", sequence: 1)
            #expect(try await retry.expect(op: 9)["d"] == .bool(false))
        }
    }

    @Test("op 9 false on demand ends the session; a fresh Identify after the window works")
    func invalidSessionOnDemand() async throws {
        try await SandboxHarness.with({ $0.maxConcurrency = 1; $0.identifyWindow = .seconds(1) }) { sandbox in
            let (client, ready, _) = try await sandbox.identifiedClient()
            let sessionID = try #require(ready["d"]?["session_id"]?.stringValue)
            #expect(sandbox.control.invalidateSessions(shard: 0, resumable: false) == 1)
            #expect(try await client.expect(op: 9)["d"] == .bool(false))
            try await client.resume(token: sandbox.token, sessionID: sessionID, sequence: 1)
            #expect(try await client.expect(op: 9)["d"] == .bool(false))
            try await Task.sleep(for: .milliseconds(2_200))
            try await client.identify(token: sandbox.token, intents: SandboxIntents.guilds)
            let again = try await client.expect(op: 0, t: "READY")
            #expect(again["d"]?["session_id"]?.stringValue != sessionID)
        }
    }

    @Test("op 9 true keeps the session resumable; op 7 and op 1 arrive on demand")
    func reconnectAndResumableInvalidation() async throws {
        try await SandboxHarness.with { sandbox in
            let (client, ready, creates) = try await sandbox.identifiedClient()
            let sessionID = try #require(ready["d"]?["session_id"]?.stringValue)
            #expect(sandbox.control.sendReconnect(shard: 0) == 1)
            #expect(try await client.expect(op: 7)["d"] == .null)
            #expect(sandbox.control.requestHeartbeat(shard: nil) == 1)
            _ = try await client.expect(op: 1)
            try await client.heartbeat(Int(creates.last?["s"]?.integerValue ?? 1))
            _ = try await client.expect(op: 11)
            #expect(sandbox.control.invalidateSessions(shard: 0, resumable: true) == 1)
            #expect(try await client.expect(op: 9)["d"] == .bool(true))
            try await client.resume(token: sandbox.token, sessionID: sessionID, sequence: Int(creates.last?["s"]?.integerValue ?? 1))
            #expect(try await client.expect(op: 0)["t"]?.stringValue == "RESUMED")
        }
    }

    @Test("identifies past max_concurrency in the window get op 9; other rate-limit keys do not")
    func identifyRateLimit() async throws {
        try await SandboxHarness.with({ $0.maxConcurrency = 2; $0.identifyWindow = .seconds(5) }) { sandbox in
            _ = try await sandbox.identifiedClient(shard: (0, 4))
            _ = try await sandbox.identifiedClient(shard: (1, 4))
            let third = try await TestGatewayClient.connect(port: sandbox.port)
            _ = try await third.expect(op: 10)
            try await third.identify(token: sandbox.token, intents: 1, shard: (2, 4))
            #expect(try await third.expect(op: 9)["d"] == .bool(false))
            #expect(sandbox.control.identifyRefusals == 1)
        }
    }

    @Test("the session start budget runs out, and /gateway/bot says so")
    func sessionStartLimit() async throws {
        try await SandboxHarness.with({ $0.sessionStartLimit = 1 }) { sandbox in
            _ = try await sandbox.identifiedClient(shard: (0, 2))
            let second = try await TestGatewayClient.connect(port: sandbox.port)
            try await second.identify(token: sandbox.token, intents: 1, shard: (1, 2))
            #expect(try await second.expect(op: 9)["d"] == .bool(false))
            #expect(sandbox.control.identifyRefusals == 1)
            let info = try await sandbox.api(.GET, "/gateway/bot").json
            #expect(info["session_start_limit"]?["remaining"]?.integerValue == 0)
            #expect(info["session_start_limit"]?["total"]?.integerValue == 1)
        }
    }

    @Test("close codes: bad token 4004, bad version 4012, zstd compression and ETF 4002")
    func connectionCloseCodes() async throws {
        try await SandboxHarness.with { sandbox in
            let badToken = try await TestGatewayClient.connect(port: sandbox.port)
            try await badToken.identify(token: "nope", intents: 1)
            #expect(try await badToken.closeCode() == 4004)
            for (path, code) in [("/gateway?v=8", 4012), ("/gateway?v=10&compress=zstd-stream", 4002), ("/?v=10&encoding=etf", 4002)] {
                let client = try await TestGatewayClient.connect(port: sandbox.port, path: path)
                _ = try await client.expect(op: 10)
                #expect(try await client.closeCode() == code, "\(path)")
            }
        }
    }

    @Test("a client that stops heartbeating is closed with 4009")
    func heartbeatTimeout() async throws {
        try await SandboxHarness.with({ $0.heartbeatInterval = .milliseconds(500); $0.heartbeatTimeoutFactor = 2 }) { sandbox in
            let client = try await TestGatewayClient.connect(port: sandbox.port)
            let hello = try await client.expect(op: 10)
            #expect(hello["d"]?["heartbeat_interval"]?.integerValue == 500)
            #expect(try await client.closeCode(timeout: .seconds(10)) == 4009)
        }
    }

    @Test("Request Guild Members answers with a chunk for the asking session")
    func requestGuildMembers() async throws {
        try await SandboxHarness.with { sandbox in
            let (client, _, _) = try await sandbox.identifiedClient(intents: SandboxIntents.guilds | SandboxIntents.guildMembers)
            let guild = sandbox.firstGuild
            try await client.send(.object(["op": .integer(8), "d": .object([
                "guild_id": .string(guild.id.description), "query": .string(""), "limit": .integer(0), "nonce": .string("n1"),
            ])]))
            let chunk = try await client.expect(op: 0, t: "GUILD_MEMBERS_CHUNK")
            #expect(chunk["d"]?["members"]?.arrayValue.count == guild.members.count)
            #expect(chunk["d"]?["nonce"]?.stringValue == "n1")
            let missing = Snowflake(1)
            try await client.send(.object(["op": .integer(8), "d": .object([
                "guild_id": .string(guild.id.description), "limit": .integer(0),
                "user_ids": .array([.string(guild.ownerID.description), .string(missing.description)]),
            ])]))
            let targeted = try await client.expect(op: 0, t: "GUILD_MEMBERS_CHUNK")
            #expect(targeted["d"]?["members"]?.arrayValue.count == 1)
            #expect(targeted["d"]?["not_found"] == .array([.string("1")]))
        }
    }

    @Test("a GUILD_CREATE bigger than a frame arrives whole, with every member when presences are on")
    func largeGuildCreate() async throws {
        try await SandboxHarness.with({ $0.guildCount = 1; $0.membersPerGuild = 200 }) { sandbox in
            let client = try await TestGatewayClient.connect(port: sandbox.port)
            try await client.identify(
                token: sandbox.token, intents: SandboxIntents.guilds | SandboxIntents.guildPresences, largeThreshold: 250
            )
            _ = try await client.expect(op: 0, t: "READY")
            let create = try await client.expect(op: 0, t: "GUILD_CREATE")
            #expect(create["d"]?["members"]?.arrayValue.count == sandbox.firstGuild.members.count)
            #expect(create["d"]?["large"]?.boolValue == false)
        }
    }

    @Test("several shards connect at once and each sees only its guilds' traffic")
    func concurrentShards() async throws {
        try await SandboxHarness.with({ $0.guildCount = 16 }) { sandbox in
            let clients = try await withThrowingTaskGroup(of: (Int, TestGatewayClient, [JSONValue]).self) { group in
                for shard in 0..<4 {
                    group.addTask {
                        let (client, _, creates) = try await sandbox.identifiedClient(shard: (shard, 4))
                        return (shard, client, creates)
                    }
                }
                var result: [(Int, TestGatewayClient, [JSONValue])] = []
                for try await item in group { result.append(item) }
                return result.sorted { $0.0 < $1.0 }
            }
            #expect(clients.map { $0.2.count }.reduce(0, +) == 16)
            for guild in sandbox.state.orderedGuilds {
                let general = sandbox.channel(named: "general", in: guild)
                _ = try sandbox.control.postMessage(channelID: general.id, userID: sandbox.member("member", in: guild).userID, content: guild.id.description)
            }
            for (shard, client, creates) in clients {
                var received: Set<String> = []
                for _ in creates { received.insert(try await client.expect(op: 0, t: "MESSAGE_CREATE")["d"]?["content"]?.stringValue ?? "") }
                #expect(received == Set(creates.compactMap { $0["d"]?["id"]?.stringValue }), "shard \(shard)")
            }
        }
    }
}
