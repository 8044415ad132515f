import GuildhallRedis
import GuildhallTestSupport
import NIOCore
import Testing

@Suite("Redis commands against a real server")
struct RedisCommandTests {
    @Test func setGetAndMissingKeys() async throws {
        try await withRedis { _, client async throws in
            #expect(try await client.ping() == "PONG")
            #expect(try await client.get("bot:{1}:test:missing") == nil)
            #expect(try await client.send(["GET", "bot:{1}:test:missing"]).isNull)
            #expect(try await client.set("bot:{1}:test:a", "hello"))
            #expect(try await client.get("bot:{1}:test:a") == "hello")
            #expect(try await client.exists("bot:{1}:test:a", "bot:{1}:test:missing") == 1)
            #expect(try await client.set("bot:{1}:test:a", "other", onlyIfAbsent: true) == false)
            #expect(try await client.get("bot:{1}:test:a") == "hello")
            #expect(try await client.del("bot:{1}:test:a", "bot:{1}:test:missing") == 1)
            #expect(try await client.del(["bot:{1}:test:a"]) == 0)
            #expect(try await client.pttl("bot:{1}:test:a") == -2)
        }
    }

    @Test func binarySafeValues() async throws {
        try await withRedis { _, client async throws in
            let bytes = ByteBuffer(bytes: [0, 255, 13, 10, 36, 42])
            #expect(try await client.send([.string("SET"), .string("bin"), .bytes(bytes)]) == .simpleString("OK"))
            #expect(try await client.send([.string("GET"), .string("bin")]) == .bulkString(bytes))
            #expect(try await client.send(["STRLEN", "bin"]) == .integer(6))
            #expect(try await client.send([.string("INCRBY"), .string("n"), .integer(41)]) == .integer(41))
        }
    }

    @Test func expiration() async throws {
        try await withRedis { _, client async throws in
            // The TTL reads back on a long-lived key (a loaded machine may stall for a second
            // between two commands); expiry is watched on a short-lived one.
            let lasting = "bot:{1}:test:ttl-long"
            #expect(try await client.set(lasting, "v", expireMilliseconds: 60_000))
            let ttl = try await client.pttl(lasting)
            #expect(ttl > 0 && ttl <= 60_000)
            #expect(try await client.get(lasting) == "v")
            let key = "bot:{1}:test:ttl"
            #expect(try await client.set(key, "v", expireMilliseconds: 300))
            let gone = await waitUntil(timeout: .seconds(3)) {
                (try? await client.get(key)) == .some(nil)
            }
            #expect(gone)
            #expect(try await client.pttl(key) == -2)

            try await client.set("bot:{1}:test:persist", "v")
            #expect(try await client.pttl("bot:{1}:test:persist") == -1)
            #expect(try await client.expire("bot:{1}:test:persist", seconds: 100))
            #expect(try await client.pttl("bot:{1}:test:persist") > 99_000)
            #expect(try await client.pexpire("bot:{1}:test:persist", milliseconds: 50))
            #expect(try await client.pexpire("bot:{1}:test:nothing", milliseconds: 50) == false)
            #expect(try await client.expire("bot:{1}:test:nothing", seconds: 5) == false)
        }
    }

    @Test func wrongTypeIsAServerErrorAndTheConnectionStaysUsable() async throws {
        try await withRedis(configure: { $0.poolSize = 1 }) { _, client async throws in
            let key = "bot:{1}:test:hash"
            try await client.hset(key, field: "f", value: "v")
            let error = await expectRedisError(.server) { _ = try await client.get(key) }
            #expect(error?.serverErrorPrefix == "WRONGTYPE")
            #expect(error?.message.hasPrefix("WRONGTYPE") == true)
            await expectRedisError(.server) { try await client.incrBy(key, 1) }
            // A corrupted value: a counter holding text.
            try await client.set("bot:{1}:test:counter", "not a number")
            let notInteger = await expectRedisError(.server) { try await client.incrBy("bot:{1}:test:counter", 1) }
            #expect(notInteger?.serverErrorPrefix == "ERR")
            #expect(try await client.hget(key, "f") == "v")
            #expect(try await client.ping() == "PONG")
        }
    }

    @Test func concurrentIncrementsSumCorrectly() async throws {
        try await withRedis(configure: { $0.poolSize = 4 }) { _, client async throws in
            let key = "bot:{1}:test:hits"
            try await withThrowingTaskGroup(of: Void.self) { group in
                for _ in 0..<50 {
                    group.addTask {
                        for _ in 0..<40 {
                            try await client.incrBy(key, 1)
                        }
                    }
                }
                try await group.waitForAll()
            }
            #expect(try await client.get(key) == "2000")
            #expect(try await client.incrBy(key, -1000) == 1000)
        }
    }

    @Test func pipelines() async throws {
        try await withRedis { _, client async throws in
            let replies = try await client.pipeline([
                ["SET", "bot:{1}:p:a", "1"],
                ["INCR", "bot:{1}:p:a"],
                ["HSET", "bot:{1}:p:h", "f", "v"],
                ["GET", "bot:{1}:p:h"],
                ["GET", "bot:{1}:p:a"],
                ["GET", "bot:{1}:p:none"],
            ])
            #expect(replies.count == 6)
            #expect(try replies[0].get() == .simpleString("OK"))
            #expect(try replies[1].get() == .integer(2))
            #expect(try replies[2].get() == .integer(1))
            guard case .failure(let error) = replies[3] else {
                Issue.record("GET on a hash should fail")
                return
            }
            #expect(error.serverErrorPrefix == "WRONGTYPE")
            #expect(try replies[4].get().string == "2")
            #expect(try replies[5].get().isNull)
            #expect(try await client.pipeline([]).isEmpty)

            // A deep pipeline, larger than one socket read.
            let many = (0..<2000).map { ["SET", "bot:{1}:p:k\($0)", String(repeating: "x", count: 100)] }
            let results = try await client.pipeline(many)
            #expect(results.count == 2000)
            #expect(results.allSatisfy { (try? $0.get()) == .simpleString("OK") })
            let reads = try await client.pipeline((0..<2000).map { ["GET", "bot:{1}:p:k\($0)"] })
            #expect(reads.allSatisfy { (try? $0.get().string?.count) == 100 })
        }
    }

    @Test func transactions() async throws {
        try await withRedis { _, client async throws in
            let results = try await client.transaction([
                ["SET", "bot:{1}:tx:a", "5"],
                ["INCRBY", "bot:{1}:tx:a", "3"],
                ["HSET", "bot:{1}:tx:h", "f", "v"],
                ["INCR", "bot:{1}:tx:h"],
            ])
            #expect(results.count == 4)
            #expect(results[0] == .simpleString("OK"))
            #expect(results[1] == .integer(8))
            #expect(results[2] == .integer(1))
            #expect(results[3].errorMessage?.hasPrefix("WRONGTYPE") == true)

            let aborted = await expectRedisError(.transactionAborted) {
                _ = try await client.transaction([["SET", "bot:{1}:tx:b", "1"], ["NOSUCHCOMMAND"]])
            }
            #expect(aborted?.message.contains("EXECABORT") == true)
            #expect(try await client.get("bot:{1}:tx:b") == nil)
        }
    }

    @Test func watchedKeyChangeAbortsExec() async throws {
        try await withRedis(configure: { $0.poolSize = 1 }) { _, client async throws in
            // WATCH on the single pooled connection, then change the key from another client.
            _ = try await client.send(["WATCH", "bot:{1}:tx:w"])
            let other = RedisClient(configuration: client.configuration, logger: quietLogger)
            try await other.set("bot:{1}:tx:w", "changed")
            await other.close()
            await expectRedisError(.transactionAborted) {
                _ = try await client.transaction([["SET", "bot:{1}:tx:w", "mine"]])
            }
            #expect(try await client.get("bot:{1}:tx:w") == "changed")
        }
    }

    @Test func nestedMultiIsAServerError() async throws {
        try await withRedis(configure: { $0.poolSize = 1 }) { _, client async throws in
            _ = try await client.send(["MULTI"])
            let error = await expectRedisError(.server) { _ = try await client.transaction([["PING"]]) }
            #expect(error?.message.contains("MULTI calls can not be nested") == true)
        }
    }

    @Test func hashesAndSortedSets() async throws {
        try await withRedis { _, client async throws in
            let hash = "bot:{1}:test:profile"
            #expect(try await client.hset(hash, ["name": "ann", "level": "3"]) == 2)
            #expect(try await client.hgetall(hash) == ["name": "ann", "level": "3"])
            #expect(try await client.hgetall("bot:{1}:test:nohash") == [:])
            #expect(try await client.hincrBy(hash, "level", 2) == 5)
            #expect(try await client.hget(hash, "level") == "5")
            #expect(try await client.hget(hash, "missing") == nil)

            let board = "bot:{1}:xp:board"
            #expect(try await client.zadd(board, [("ann", 10), ("bob", 20.5), ("cy", 5)]) == 3)
            #expect(try await client.zincrby(board, 15, "ann") == 25)
            #expect(try await client.zscore(board, "bob") == 20.5)
            #expect(try await client.zscore(board, "nobody") == nil)
            let top = try await client.zrevrangeWithScores(board, start: 0, stop: 1)
            #expect(top.map(\.member) == ["ann", "bob"])
            #expect(top.map(\.score) == [25, 20.5])
            #expect(try await client.zrevrangeWithScores("bot:{1}:xp:empty", start: 0, stop: -1).isEmpty)
        }
    }

    @Test func scanFollowsTheCursor() async throws {
        try await withRedis { _, client async throws in
            _ = try await client.pipeline((0..<250).map { ["SET", "bot:{7}:scan:\($0)", "v"] })
            try await client.set("bot:{8}:other", "v")
            let keys = try await client.scanAll(match: "bot:{7}:*", count: 20)
            #expect(Set(keys).count == 250)
            let first = try await client.scan(cursor: 0, count: 10)
            #expect(first.cursor != 0 || first.keys.count == 251)
            try await client.flushdb()
            #expect(try await client.scanAll().isEmpty)
        }
    }

    @Test func bigReplies() async throws {
        try await withRedis { _, client async throws in
            let big = String(repeating: "z", count: 1_000_000)
            try await client.set("bot:{1}:big", big)
            #expect(try await client.get("bot:{1}:big") == big)
        }
    }

    @Test func selectedDatabaseAndClientName() async throws {
        try await withRedis(configure: {
            $0.database = 2
            $0.clientName = "guildhall-test"
        }) { server, client async throws in
            try await client.set("bot:{1}:db", "two")
            #expect(try await client.send(["CLIENT", "GETNAME"]).string == "guildhall-test")
            @Sendable func connectedClients() async throws -> Int {
                try await client.send(["CLIENT", "LIST"]).string?.split(separator: "\n").filter { $0.hasPrefix("id=") }.count ?? 0
            }
            let before = try await connectedClients()
            var db0: RedisClient? = RedisClient(configuration: try RedisConfiguration(url: server.url), logger: quietLogger)
            #expect(try await db0?.get("bot:{1}:db") == .some(nil))
            #expect(try await connectedClients() == before + 1)
            // Dropping a client without close() closes its connections.
            db0 = nil
            let closed = await waitUntil {
                (try? await connectedClients()) == before
            }
            #expect(closed)
            let db2 = RedisClient(configuration: try RedisConfiguration(url: server.url + "/2"), logger: quietLogger)
            #expect(try await db2.get("bot:{1}:db") == "two")
            await db2.close()
        }
    }
}
