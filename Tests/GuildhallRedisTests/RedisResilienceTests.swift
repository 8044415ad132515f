import GuildhallRedis
import GuildhallTestSupport
import Synchronization
import Testing

@Suite("Timeouts, reconnects and protocol fallback")
struct RedisResilienceTests {
    @Test func commandTimeoutClosesTheConnectionAndTheNextCommandReconnects() async throws {
        try await withRedis(serverArguments: ["--enable-debug-command", "yes"], configure: {
            $0.poolSize = 1
            $0.commandTimeout = .milliseconds(200)
        }) { _, client async throws in
            try await client.set("bot:{1}:t", "1")
            async let behind = client.pipeline([["GET", "bot:{1}:t"]])
            let timedOut = await expectRedisError(.timeout) { _ = try await client.send(["DEBUG", "SLEEP", "0.6"]) }
            #expect(timedOut?.message.contains("timeout") == true)
            // The command queued behind the slow one on the same connection fails too.
            do {
                _ = try await behind
            } catch let error as RedisError {
                #expect([.timeout, .connectionClosed].contains(error.code))
            }
            let recovered = await waitUntil(timeout: .milliseconds(5000)) {
                (try? await client.get("bot:{1}:t")) == "1"
            }
            #expect(recovered)
        }
    }

    @Test func clientPauseProvokesATimeoutInAPipeline() async throws {
        try await withRedis(configure: {
            $0.poolSize = 1
            $0.commandTimeout = .milliseconds(150)
        }) { server, client async throws in
            let admin = RedisClient(configuration: try RedisConfiguration(url: server.url), logger: quietLogger)
            // A pause far longer than the timeout, so the pipeline meets it even when this
            // task is scheduled late on a loaded machine.
            _ = try await admin.send(["CLIENT", "PAUSE", "3000", "ALL"])
            await expectRedisError(.timeout) { _ = try await client.pipeline([["PING"], ["PING"]]) }
            let recovered = await waitUntil(timeout: .milliseconds(10000)) {
                (try? await client.ping()) == "PONG"
            }
            #expect(recovered)
            await admin.close()
        }
    }

    @Test func forcedResp2() async throws {
        try await withRedis(configure: { $0.protocolVersion = .resp2 }) { _, client async throws in
            try await client.hset("bot:{1}:h", ["a": "1", "b": "2"])
            let raw = try await client.send(["HGETALL", "bot:{1}:h"])
            guard case .array = raw else {
                Issue.record("RESP2 HGETALL should be a flat array, got \(raw)")
                return
            }
            #expect(try await client.hgetall("bot:{1}:h") == ["a": "1", "b": "2"])
            try await client.zadd("bot:{1}:z", [("x", 1.5), ("y", 3)])
            let top = try await client.zrevrangeWithScores("bot:{1}:z", start: 0, stop: -1)
            #expect(top.map(\.member) == ["y", "x"])
            #expect(top.map(\.score) == [3, 1.5])
            #expect(try await client.zincrby("bot:{1}:z", 0.5, "x") == 2)

            let subscription = try await client.subscribe(to: ["bot:{1}:resp2"])
            #expect(try await client.publish("bot:{1}:resp2", "hi") == 1)
            var iterator = subscription.makeAsyncIterator()
            #expect(await iterator.next() == RedisPubSubMessage(channel: "bot:{1}:resp2", payload: "hi"))
            await subscription.unsubscribe()
        }
    }

    @Test func fallsBackToResp2WhenTheServerRejectsHello() async throws {
        try await withRedis(serverArguments: ["--rename-command", "HELLO", ""]) { _, client async throws in
            try await client.hset("bot:{1}:h", field: "a", value: "1")
            let raw = try await client.send(["HGETALL", "bot:{1}:h"])
            #expect(raw == .array([.bulkString("a"), .bulkString("1")]))
            #expect(try await client.hgetall("bot:{1}:h") == ["a": "1"])
        }
    }

    @Test func authenticationResp3AndResp2() async throws {
        let server = try await RedisServerProcess.start(extraArguments: ["--requirepass", "s3cret"])
        defer { server.stop() }
        for version in ["3", "2"] {
            let good = RedisClient(
                configuration: try RedisConfiguration(url: "redis://:s3cret@127.0.0.1:\(server.port)/1?protocol=\(version)"),
                logger: quietLogger
            )
            #expect(try await good.ping() == "PONG")
            await good.close()

            let bad = RedisClient(
                configuration: try RedisConfiguration(url: "redis://:wrong@127.0.0.1:\(server.port)?protocol=\(version)"),
                logger: quietLogger
            )
            let error = await expectRedisError(.connectionFailed) { _ = try await bad.ping() }
            #expect(error?.message.contains("WRONGPASS") == true || error?.message.contains("invalid") == true)
            await bad.close()
        }
        var named = try RedisConfiguration(url: "redis://default:s3cret@127.0.0.1:\(server.port)?protocol=2")
        named.clientName = "resp2-named"
        let client = RedisClient(configuration: named, logger: quietLogger)
        #expect(try await client.send(["CLIENT", "GETNAME"]).string == "resp2-named")
        await client.close()
    }

    @Test func nothingListeningFailsFastAndBacksOff() async throws {
        let port = try FreePort.loopback()
        var configuration = try RedisConfiguration(url: "redis://127.0.0.1:\(port)", poolSize: 1)
        configuration.connectTimeout = .milliseconds(500)
        configuration.reconnectInitialDelay = .seconds(10)
        let client = RedisClient(configuration: configuration, logger: quietLogger)
        let first = await expectRedisError(.connectionFailed) { _ = try await client.ping() }
        #expect(first?.underlying != nil)
        let second = await expectRedisError(.connectionFailed) { _ = try await client.ping() }
        #expect(second?.message.contains("next attempt") == true)
        await client.close()
        await expectRedisError(.poolClosed) { _ = try await client.ping() }
    }

    @Test func serverKilledAndRestartedUnderLoad() async throws {
        let recorder = LogRecorder()
        try await withRedis(configure: {
            $0.poolSize = 4
            $0.commandTimeout = .seconds(1)
            $0.connectTimeout = .milliseconds(500)
            $0.reconnectInitialDelay = .milliseconds(20)
            $0.reconnectMaximumDelay = .milliseconds(200)
        }, logger: recorder.logger()) { server, client async throws in
            struct Tally {
                var successes = 0
                var failures = 0
                var successesAfterRestart = 0
                var restarted = false
                var stop = false
                var otherErrors: [String] = []
            }
            final class Box: Sendable {
                let tally = Mutex(Tally())
            }
            let box = Box()
            let clock = ContinuousClock()
            let deadline = clock.now + .seconds(20)
            let workers = Task {
                await withTaskGroup(of: Void.self) { group in
                    for worker in 0..<8 {
                        group.addTask {
                            for iteration in 0..<100_000 {
                                if box.tally.withLock({ $0.stop }) || clock.now > deadline { return }
                                do {
                                    if iteration % 4 == 0 {
                                        _ = try await client.pipeline([["INCR", "bot:{1}:load:\(worker)"], ["PING"]])
                                    } else {
                                        try await client.incrBy("bot:{1}:load:\(worker)", 1)
                                    }
                                    box.tally.withLock {
                                        $0.successes += 1
                                        if $0.restarted { $0.successesAfterRestart += 1 }
                                    }
                                } catch let error as RedisError {
                                    if ![.connectionFailed, .connectionClosed, .timeout].contains(error.code) {
                                        box.tally.withLock { $0.otherErrors.append("\(error)") }
                                    }
                                    box.tally.withLock { $0.failures += 1 }
                                    try? await Task.sleep(nanoseconds: 5_000_000)
                                } catch {
                                    box.tally.withLock { $0.otherErrors.append("\(error)") }
                                }
                            }
                        }
                    }
                }
            }
            // Wait for the load to be running (bounded; a loaded machine starts tasks late).
            let loaded = await waitUntil(timeout: .milliseconds(10000)) {
                box.tally.withLock { $0.successes } > 0
            }
            #expect(loaded, "commands succeeded before the kill")
            server.kill()
            try await Task.sleep(nanoseconds: 400_000_000)
            #expect(box.tally.withLock { $0.failures } > 0)
            try await server.restart()
            box.tally.withLock { $0.restarted = true }
            let recovered = await waitUntil(timeout: .milliseconds(5000)) {
                box.tally.withLock { $0.successesAfterRestart } > 100
            }
            box.tally.withLock { $0.stop = true }
            await workers.value
            #expect(recovered)
            let final = box.tally.withLock { $0 }
            #expect(final.otherErrors.isEmpty, "\(final.otherErrors.prefix(3))")
            #expect(try await client.ping() == "PONG")
            #expect(recorder.contains("redis connection lost"))
            #expect(recorder.contains("redis connect failed; backing off"))
            #expect(recorder.contains("redis reconnected"))
        }
    }

    @Test func benchmarkRunsAndCountsOperations() async throws {
        try await withRedis { _, client async throws in
            let pipelined = try await RedisLoadBenchmark.run(client: client, keyPrefix: "bench:", keySpace: 500, totalOperations: 2_000, pipelineDepth: 16, concurrency: 3)
            #expect(pipelined.operations == 2_000)
            #expect(pipelined.operationsPerSecond > 0)
            #expect(pipelined.description.contains("P=16"))
            let single = try await RedisLoadBenchmark.run(client: client, keyPrefix: "bench:", keySpace: 500, totalOperations: 200, pipelineDepth: 1, concurrency: 4)
            #expect(single.operationsPerSecond > 0)
            #expect(try await client.get("bench:0") == "xxx")
            #expect(try await client.get("bench:500") == nil, "keys stay inside the key space")
            await expectRedisError(.invalidConfiguration) {
                _ = try await RedisLoadBenchmark.run(client: client, keyPrefix: "bench:", keySpace: 500, totalOperations: 0, pipelineDepth: 1, concurrency: 1)
            }
            await expectRedisError(.invalidConfiguration) {
                _ = try await RedisLoadBenchmark.run(client: client, keyPrefix: "", totalOperations: 10, pipelineDepth: 1, concurrency: 1)
            }
        }
    }
}
