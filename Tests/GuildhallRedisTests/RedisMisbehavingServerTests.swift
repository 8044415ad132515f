import GuildhallRedis
import GuildhallTestSupport
import Testing

/// Replies a real Redis never sends, from a scripted fake server.
@Suite("Misbehaving servers")
struct RedisMisbehavingServerTests {
    static let helloReply = FakeRedisServer.Step.reply("%1\r\n$5\r\nproto\r\n:3\r\n")

    func client(for server: FakeRedisServer, configure: (inout RedisConfiguration) -> Void = { _ in }) throws -> RedisClient {
        var configuration = try RedisConfiguration(url: "redis://127.0.0.1:\(server.port)", poolSize: 1)
        configuration.commandTimeout = .milliseconds(500)
        configure(&configuration)
        return RedisClient(configuration: configuration, logger: quietLogger)
    }

    @Test func garbageIsAProtocolViolation() async throws {
        let server = try await FakeRedisServer.start([Self.helloReply, .reply("?garbage\r\n")])
        let client = try client(for: server)
        await expectRedisError(.protocolViolation) { _ = try await client.ping() }
        await client.close()
        await server.stop()
    }

    @Test func unsolicitedReplyClosesTheConnectionAndPushesAreIgnored() async throws {
        let server = try await FakeRedisServer.start([
            Self.helloReply,
            .reply(">2\r\n$10\r\ninvalidate\r\n*0\r\n+PONG\r\n+EXTRA\r\n"),
        ])
        let client = try client(for: server)
        #expect(try await client.ping() == "PONG")
        // The unsolicited +EXTRA made the client drop that connection; the next command reconnects.
        let reconnected = await waitUntil {
            _ = try? await client.ping()
            return server.acceptedConnections >= 2
        }
        #expect(reconnected)
        await client.close()
        await server.stop()
    }

    @Test func helloRejectedForAnotherReasonFailsTheConnection() async throws {
        let server = try await FakeRedisServer.start([.reply("-ERR something else\r\n")])
        let client = try client(for: server)
        let error = await expectRedisError(.connectionFailed) { _ = try await client.ping() }
        #expect(error?.message.contains("server rejected HELLO") == true)
        await client.close()
        await server.stop()
    }

    @Test func resp2SelectRejected() async throws {
        let server = try await FakeRedisServer.start([.reply("-ERR unknown command 'HELLO'\r\n"), .reply("-ERR DB index is out of range\r\n")])
        let client = try client(for: server) { $0.database = 99 }
        let error = await expectRedisError(.connectionFailed) { _ = try await client.ping() }
        #expect(error?.message.contains("SELECT") == true)
        await client.close()
        await server.stop()
    }

    @Test func serverClosingMidCommand() async throws {
        let server = try await FakeRedisServer.start([Self.helloReply, .close])
        let client = try client(for: server)
        await expectRedisError(.connectionClosed) { _ = try await client.ping() }
        await client.close()
        await server.stop()
    }

    @Test func connectionReset() async throws {
        let server = try await FakeRedisServer.start([Self.helloReply, .reset])
        let client = try client(for: server)
        await expectRedisError(.connectionClosed) { _ = try await client.pipeline([["PING"], ["PING"]]) }
        await client.close()
        await server.stop()
    }

    @Test func unansweredSubscribeTimesOut() async throws {
        let server = try await FakeRedisServer.start([Self.helloReply, .silent])
        let client = try client(for: server) { $0.commandTimeout = .milliseconds(200) }
        await expectRedisError(.timeout) { _ = try await client.subscribe(to: ["bot:{1}:x"]) }
        await client.close()
        await server.stop()
    }

    @Test func subscriptionConnectionClosedBeforeConfirmation() async throws {
        let server = try await FakeRedisServer.start([Self.helloReply, .close])
        let client = try client(for: server)
        await expectRedisError(.connectionClosed) { _ = try await client.subscribe(to: ["bot:{1}:x"]) }
        await client.close()
        await server.stop()
    }

    @Test func scriptLoadReturningAnotherDigestIsUnexpected() async throws {
        let server = try await FakeRedisServer.start([
            Self.helloReply,
            .reply("-NOSCRIPT No matching script\r\n"),
            .reply("$4\r\nnope\r\n"),
        ])
        let client = try client(for: server)
        await expectRedisError(.unexpectedReply) {
            _ = try await client.eval(RedisScript("return 1"), keys: [], args: [])
        }
        await client.close()
        await server.stop()
    }

    @Test func oddRepliesToTypedHelpersAreUnexpected() async throws {
        let server = try await FakeRedisServer.start([
            Self.helloReply,
            .reply("*0\r\n"),          // GET
            .reply("+OK\r\n"),         // INCRBY
            .reply(":1\r\n"),          // HGETALL
            .reply("_\r\n"),           // ZINCRBY
            .reply("*1\r\n*1\r\n:1\r\n"), // ZREVRANGE
            .reply("*1\r\n:1\r\n"),    // ZREVRANGE (RESP2 shape, odd)
            .reply("*1\r\n:1\r\n"),    // SCAN
            .reply(":1\r\n"),          // XREADGROUP
            .reply("*1\r\n:1\r\n"),    // XAUTOCLAIM
            .reply("*1\r\n:1\r\n"),    // XPENDING
            .reply("*4\r\n:1\r\n_\r\n_\r\n*1\r\n:1\r\n"), // XPENDING consumers
            .reply("*1\r\n:1\r\n"),    // XPENDING extended
            .reply("*2\r\n$3\r\n0-0\r\n*1\r\n*1\r\n:1\r\n"), // XAUTOCLAIM entries
            .reply("%1\r\n$1\r\nk\r\n*0\r\n"), // HGETALL with non-string value
        ])
        let client = try client(for: server)
        await expectRedisError(.unexpectedReply) { _ = try await client.get("k") }
        await expectRedisError(.unexpectedReply) { _ = try await client.incrBy("k", 1) }
        await expectRedisError(.unexpectedReply) { _ = try await client.hgetall("k") }
        await expectRedisError(.unexpectedReply) { _ = try await client.zincrby("k", 1, "m") }
        await expectRedisError(.unexpectedReply) { _ = try await client.zrevrangeWithScores("k", start: 0, stop: 1) }
        await expectRedisError(.unexpectedReply) { _ = try await client.zrevrangeWithScores("k", start: 0, stop: 1) }
        await expectRedisError(.unexpectedReply) { _ = try await client.scan(cursor: 0) }
        await expectRedisError(.unexpectedReply) { _ = try await client.xreadgroup(group: "g", consumer: "c", stream: "s") }
        await expectRedisError(.unexpectedReply) { _ = try await client.xautoclaim("s", group: "g", consumer: "c", minIdleMilliseconds: 0) }
        await expectRedisError(.unexpectedReply) { _ = try await client.xpending("s", group: "g") }
        await expectRedisError(.unexpectedReply) { _ = try await client.xpending("s", group: "g") }
        await expectRedisError(.unexpectedReply) { _ = try await client.xpending("s", group: "g", count: 1) }
        await expectRedisError(.unexpectedReply) { _ = try await client.xautoclaim("s", group: "g", consumer: "c", minIdleMilliseconds: 0) }
        await expectRedisError(.unexpectedReply) { _ = try await client.hgetall("k") }
        await client.close()
        await server.stop()
    }

    @Test func transactionWithAnOddExecReply() async throws {
        let server = try await FakeRedisServer.start([
            Self.helloReply,
            .reply("+OK\r\n+QUEUED\r\n:5\r\n"),
        ])
        let client = try client(for: server)
        await expectRedisError(.unexpectedReply) { _ = try await client.transaction([["PING"]]) }
        await client.close()
        await server.stop()
    }
}
