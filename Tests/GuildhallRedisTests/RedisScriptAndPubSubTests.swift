import GuildhallRedis
import GuildhallTestSupport
import Testing

@Suite("Scripts and pub/sub")
struct RedisScriptAndPubSubTests {
    static let award = RedisScript("""
        local total = redis.call('INCRBY', KEYS[1], ARGV[1])
        redis.call('ZADD', KEYS[2], total, ARGV[2])
        return total
        """)

    @Test func evalshaLoadsTheScriptOnNoscriptAndAgainAfterFlush() async throws {
        try await withRedis { _, client async throws in
            let keys = ["bot:{1}:xp:ann", "bot:{1}:xp:board"]
            #expect(try await client.eval(Self.award, keys: keys, args: ["10", "ann"]) == .integer(10))
            #expect(try await client.send(["SCRIPT", "EXISTS", Self.award.sha1]).array == [.integer(1)])
            #expect(try await client.eval(Self.award, keys: keys, args: ["5", "ann"]) == .integer(15))
            _ = try await client.send(["SCRIPT", "FLUSH"])
            #expect(try await client.send(["SCRIPT", "EXISTS", Self.award.sha1]).array == [.integer(0)])
            #expect(try await client.eval(Self.award, keys: keys, args: ["1", "ann"]) == .integer(16))
            #expect(try await client.zscore("bot:{1}:xp:board", "ann") == 16)
        }
    }

    @Test func scriptErrorsAreServerErrors() async throws {
        try await withRedis { _, client async throws in
            let failing = RedisScript("return redis.error_reply('GUILDHALL broken')")
            let error = await expectRedisError(.server) { _ = try await client.eval(failing, keys: [], args: []) }
            #expect(error?.serverErrorPrefix == "GUILDHALL")
            let types = RedisScript("return {1, 'two', {3}}")
            #expect(try await client.eval(types, keys: [], args: []) == .array([.integer(1), .bulkString("two"), .array([.integer(3)])]))
        }
    }

    @Test func publishAndReceive() async throws {
        try await withRedis { _, client async throws in
            let subscription = try await client.subscribe(to: ["bot:{1}:events", "bot:{2}:events"])
            #expect(subscription.channels.count == 2)
            #expect(try await client.publish("bot:{1}:events", "hello") == 1)
            #expect(try await client.publish("bot:{2}:events", "world") == 1)
            #expect(try await client.publish("bot:{3}:events", "nobody") == 0)
            var received: [RedisPubSubMessage] = []
            for await message in subscription {
                received.append(message)
                if received.count == 2 { break }
            }
            #expect(received == [
                RedisPubSubMessage(channel: "bot:{1}:events", payload: "hello"),
                RedisPubSubMessage(channel: "bot:{2}:events", payload: "world"),
            ])
            await subscription.unsubscribe()
            let gone = await waitUntil { (try? await client.publish("bot:{1}:events", "late")) == 0 }
            #expect(gone)
        }
    }

    @Test func subscriptionEndsWhenReleasedOrCancelled() async throws {
        try await withRedis { _, client async throws in
            do {
                let subscription = try await client.subscribe(to: ["bot:{1}:released"])
                #expect(try await client.publish("bot:{1}:released", "x") == 1)
                _ = subscription
            }
            let released = await waitUntil { (try? await client.publish("bot:{1}:released", "y")) == 0 }
            #expect(released)

            let subscription = try await client.subscribe(to: ["bot:{1}:cancelled"])
            let reader = Task {
                var count = 0
                for await _ in subscription { count += 1 }
                return count
            }
            #expect(try await client.publish("bot:{1}:cancelled", "x") == 1)
            reader.cancel()
            _ = await reader.value
            let cancelled = await waitUntil { (try? await client.publish("bot:{1}:cancelled", "y")) == 0 }
            #expect(cancelled)
        }
    }

    @Test func subscribeValidatesAndFailsWhenServerIsDown() async throws {
        try await withRedis { server, client async throws in
            await expectRedisError(.invalidConfiguration) { _ = try await client.subscribe(to: []) }
            server.kill()
            await expectRedisError(.connectionFailed) { _ = try await client.subscribe(to: ["bot:{1}:x"]) }
        }
    }

    @Test func resubscribesAfterTheServerRestarts() async throws {
        try await withRedis(configure: {
            $0.reconnectInitialDelay = .milliseconds(20)
            $0.reconnectMaximumDelay = .milliseconds(200)
        }) { server, client async throws in
            let subscription = try await client.subscribe(to: ["bot:{1}:restart"])
            let reader = Task { () -> [String] in
                var payloads: [String] = []
                for await message in subscription {
                    payloads.append(message.payload)
                    if message.payload == "after" { break }
                }
                return payloads
            }
            #expect(try await client.publish("bot:{1}:restart", "before") == 1)
            server.kill()
            try await Task.sleep(nanoseconds: 300_000_000)
            try await server.restart()
            // Publish until the resubscribed connection is back (bounded).
            let delivered = await waitUntil(timeout: .milliseconds(5000)) {
                (try? await client.publish("bot:{1}:restart", "after")) == 1
            }
            #expect(delivered)
            let payloads = await reader.value
            #expect(payloads.first == "before")
            #expect(payloads.last == "after")
            await subscription.unsubscribe()
        }
    }

    @Test func closingTheClientEndsSubscriptions() async throws {
        let server = try await RedisServerProcess.start()
        defer { server.stop() }
        let client = RedisClient(configuration: try RedisConfiguration(url: server.url), logger: quietLogger)
        let subscription = try await client.subscribe(to: ["bot:{1}:close"])
        let reader = Task {
            var count = 0
            for await _ in subscription { count += 1 }
            return count
        }
        await client.close()
        #expect(await reader.value == 0)
        await expectRedisError(.poolClosed) { _ = try await client.subscribe(to: ["bot:{1}:close"]) }
        await expectRedisError(.poolClosed) { _ = try await client.ping() }
    }
}
