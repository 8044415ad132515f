import Foundation
import GuildhallCore
import GuildhallDiscordModels
import GuildhallFixtures
import Testing
@testable import GuildhallDiscordGateway

/// One shard over a real WebSocket to the scripted gateway on 127.0.0.1.
@Suite("GatewayShard transport")
struct GatewayShardTests {
    @Test func identifiesThenDeliversReadyGuildsAndMessagesInOrder() async throws {
        var factory = MockFactory.random()
        let guilds = (0..<3).map { _ in factory.snowflake() }
        let running = try await RunningShard.start(options: .init(guilds: guilds))
        try await running.waitForReady()
        try await eventually("three GUILD_CREATE") { running.log.named("GUILD_CREATE").count == 3 }
        for number in 1...5 { running.server.dispatch(Transport.message(guild: guilds[0], number: number), shard: 0) }
        try await eventually("five messages") { running.log.named("MESSAGE_CREATE").count == 5 }

        #expect(running.log.sequences(shard: 0) == Array(1...9))
        #expect(running.log.named("MESSAGE_CREATE").compactMap(Transport.content) == (1...5).map { "message \($0)" })
        let identify = try #require(running.server.identifies.first?.identify)
        #expect(identify.token == Transport.token)
        #expect(identify.intents == [.guilds, .guildMessages, .messageContent])
        #expect(identify.shard == GatewayShardInfo(id: 0, count: 1))
        #expect(identify.compress == false)
        #expect(running.server.paths == ["/?v=10&encoding=json"])
        let snapshot = running.shard.snapshot
        #expect(snapshot.status == .connected)
        #expect(snapshot.lastSequence == 9)
        #expect(snapshot.sessionID == "session-1")
        #expect(snapshot.identifies == 1)
        #expect(snapshot.eventsReceived == 9)
        #expect(snapshot.reconnects == 0)
        let outcome = await running.finish()
        #expect((try? outcome?.get()) != nil, "a stopped shard returns normally")
        #expect(running.shard.status == .stopped)
    }

    @Test func droppedConnectionResumesAndReplaysWithoutLossOrRepetition() async throws {
        var factory = MockFactory.random()
        let guild = factory.snowflake()
        let running = try await RunningShard.start(options: .init(guilds: [guild]))
        try await running.waitForReady()
        for number in 1...10 { running.server.dispatch(Transport.message(guild: guild, number: number), shard: 0) }
        try await eventually("first ten") { running.log.named("MESSAGE_CREATE").count == 10 }
        // Drop mid-traffic: these ten are logged on the session while the client is away.
        running.server.drop(shard: 0)
        for number in 11...20 { running.server.dispatch(Transport.message(guild: guild, number: number), shard: 0) }
        try await eventually("RESUMED") { !running.log.named("RESUMED").isEmpty }
        for number in 21...30 { running.server.dispatch(Transport.message(guild: guild, number: number), shard: 0) }
        try await eventually("thirty messages") { running.log.named("MESSAGE_CREATE").count >= 30 }

        let sequences = running.log.sequences(shard: 0)
        #expect(sequences == Array(1...sequences.count), "contiguous, none missed, none repeated")
        #expect(running.log.named("MESSAGE_CREATE").compactMap(Transport.content) == (1...30).map { "message \($0)" })
        let resume = try #require(running.server.resumes.first)
        #expect(resume.sessionID == "session-1")
        #expect(resume.sequence == 12, "READY, GUILD_CREATE and ten messages were seen before the drop")
        #expect(running.server.paths.last == "/resume/?v=10&encoding=json", "resumes use resume_gateway_url")
        #expect(running.server.identifies.count == 1)
        let snapshot = running.shard.snapshot
        #expect(snapshot.resumes == 1)
        #expect(snapshot.reconnects == 1)
        await running.finish()
    }

    @Test func reconnectOpcodeResumesOnANewConnection() async throws {
        let running = try await RunningShard.start()
        try await running.waitForReady()
        running.server.send(raw: #"{"op":7,"d":null,"s":null,"t":null}"#, shard: 0)
        try await eventually("RESUMED after op 7") { !running.log.named("RESUMED").isEmpty }
        #expect(running.server.resumes.map(\.sequence) == [1])
        #expect(running.server.identifies.count == 1)
        #expect(running.log.sequences(shard: 0) == [1, 2])
        await running.finish()
    }

    @Test func invalidSessionFalseLeadsToAFreshIdentify() async throws {
        let running = try await RunningShard.start()
        try await running.waitForReady()
        running.server.send(raw: #"{"op":9,"d":false,"s":null,"t":null}"#, shard: 0)
        try await running.waitForReady(count: 2)
        #expect(running.server.identifies.count == 2)
        #expect(running.server.resumes.isEmpty)
        #expect(running.shard.snapshot.sessionID == "session-2")
        #expect(running.server.paths == ["/?v=10&encoding=json", "/?v=10&encoding=json"], "a new session starts on the gateway URL")
        await running.finish()
    }

    @Test func invalidSessionTrueResumes() async throws {
        let running = try await RunningShard.start()
        try await running.waitForReady()
        running.server.send(raw: #"{"op":9,"d":true,"s":null,"t":null}"#, shard: 0)
        try await eventually("RESUMED after op 9 true") { !running.log.named("RESUMED").isEmpty }
        #expect(running.server.identifies.count == 1)
        #expect(running.server.resumes.first?.sessionID == "session-1")
        await running.finish()
    }

    @Test func resumeOfAnUnknownSessionFallsBackToIdentify() async throws {
        let running = try await RunningShard.start()
        try await running.waitForReady()
        // The server forgets every session, then drops the client: its resume gets op 9 false.
        running.server.state.withLock { $0.sessions.removeAll() }
        running.server.drop(shard: 0)
        try await running.waitForReady(count: 2)
        #expect(running.server.resumes.count == 1)
        #expect(running.server.identifies.count == 2)
        await running.finish()
    }

    @Test func zombieConnectionIsClosedAndResumed() async throws {
        let running = try await RunningShard.start(options: .init(heartbeatInterval: 600))
        try await running.waitForReady()
        try await eventually("a heartbeat") { running.server.heartbeats() >= 1 }
        running.server.setAcknowledgeHeartbeats(false)
        try await eventually("a resume after the missing ACK") { !running.server.resumes.isEmpty }
        running.server.setAcknowledgeHeartbeats(true)
        try await eventually("RESUMED") { !running.log.named("RESUMED").isEmpty }
        #expect(running.server.identifies.count == 1)
        try await eventually("an acknowledged heartbeat") { running.shard.snapshot.heartbeatLatency != nil }
        await running.finish()
    }

    @Test func serverHeartbeatRequestIsAnsweredAtOnce() async throws {
        let running = try await RunningShard.start()
        try await running.waitForReady()
        let before = running.server.heartbeats()
        running.server.send(raw: #"{"op":1,"d":null,"s":null,"t":null}"#, shard: 0)
        // The regular interval is 45 s: only the request explains a heartbeat now.
        try await eventually("heartbeat answering op 1", timeout: .seconds(10)) { running.server.heartbeats() > before }
        await running.finish()
    }

    @Test func fatalCloseCodeStopsTheShardWithATypedError() async throws {
        let running = try await RunningShard.start(options: .init(closeOnIdentify: [0: 4004]))
        let outcome = await result(of: running.task)
        guard case .failure(let error as GuildhallError)? = outcome else {
            Issue.record("expected a GuildhallError, got \(String(describing: outcome))")
            await running.server.stop()
            return
        }
        #expect(error.code == .gatewayAuthenticationFailed)
        #expect(running.shard.status == .failed)
        #expect(running.shard.snapshot.failure?.contains("4004") == true)
        await #expect(throws: GuildhallError.self) { try await running.shard.send(.presenceUpdate(GatewayPresenceUpdate())) }
        #expect(running.server.identifies.count == 1, "no retry after a fatal code")
        await running.server.stop()
    }

    @Test func refusedHandshakesAreRetriedWithBackoff() async throws {
        let running = try await RunningShard.start(options: .init(refuseUpgrades: 2))
        try await running.waitForReady()
        #expect(running.shard.snapshot.reconnects == 2)
        await running.finish()
    }

    @Test func unreachableGatewayKeepsTheShardDownUntilStopped() async throws {
        let server = ScriptedGateway()
        try await server.start()
        var configuration = Transport.configuration(server: server)
        await server.stop()
        configuration.protocolConfiguration.gatewayURL = "ws://127.0.0.1:\(server.port)/"
        let (shard, _) = Transport.shard(configuration)
        let task = Task { try await shard.run() }
        try await eventually("several failed attempts") { shard.snapshot.reconnects >= 2 }
        #expect(shard.status != .connected)
        await shard.stop()
        let outcome = await result(of: task)
        #expect(outcome != nil)
        #expect(shard.status == .stopped)
    }

    @Test func cancellingTheRunStopsTheShard() async throws {
        let running = try await RunningShard.start()
        try await running.waitForReady()
        running.task.cancel()
        let outcome = await result(of: running.task)
        #expect(outcome != nil, "run() returns once cancelled")
        #expect(running.shard.status == .stopped)
        await running.server.stop()
    }

    @Test func runningTwiceIsRefused() async throws {
        let running = try await RunningShard.start()
        try await running.waitForReady()
        await #expect(throws: GuildhallError.self) { try await running.shard.run() }
        await running.finish()
    }

    @Test func undecodableDispatchIsPassedOnWithItsSequence() async throws {
        let running = try await RunningShard.start()
        try await running.waitForReady()
        // A MESSAGE_CREATE whose d has no author cannot be a Message: it arrives as .unknown, numbered.
        let sequence = running.server.dispatch(.unknown(name: "MESSAGE_CREATE", data: GatewayRawJSON(bytes: Array(#"{"id":"1"}"#.utf8))), shard: 0)
        running.server.send(raw: "not json at all", shard: 0)
        running.server.send(raw: #"{"op":42,"d":{"x":1},"s":null,"t":null}"#, shard: 0)
        running.server.send(raw: #"{"op":10,"d":{"heartbeat_interval":"soon"},"s":null,"t":null}"#, shard: 0)
        running.server.dispatch(.unknown(name: "TYPING_START", data: GatewayRawJSON(bytes: Array(#"{"user_id":"5"}"#.utf8))), shard: 0)
        try await eventually("the typing event") { !running.log.named("TYPING_START").isEmpty }
        let undecodable = try #require(running.log.named("MESSAGE_CREATE").first)
        #expect(undecodable.sequence == sequence)
        guard case .unknown(_, let data) = undecodable.event else {
            Issue.record("expected the raw event")
            return
        }
        #expect(try data.value()["id"] == .string("1"))
        #expect(running.log.sequences(shard: 0) == [1, 2, 3])
        #expect(running.shard.status == .connected, "bad frames do not break the connection")
        await running.finish()
    }

    @Test func largeFragmentedMessagesAreReassembled() async throws {
        var factory = MockFactory.random()
        let guild = factory.snowflake()
        let running = try await RunningShard.start()
        try await running.waitForReady()
        let big = String(repeating: "x", count: 100_000)
        running.server.dispatch(.messageCreate(Message(
            id: factory.snowflake(), channelID: factory.snowflake(), guildID: guild,
            author: User(id: factory.snowflake(), username: "member"), content: big,
            timestamp: DiscordTimestamp(millisecondsSinceEpoch: 0)
        )), shard: 0)
        try await eventually("the large message") { !running.log.named("MESSAGE_CREATE").isEmpty }
        #expect(running.log.named("MESSAGE_CREATE").first.flatMap(Transport.content)?.count == 100_000)
        await running.finish()
    }
}
