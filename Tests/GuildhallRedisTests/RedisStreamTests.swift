import GuildhallRedis
import Testing

@Suite("Stream commands")
struct RedisStreamTests {
    static func exerciseStreams(_ client: RedisClient) async throws {
        let stream = "bot:{1}:jobs"
        #expect(try await client.xgroupCreate(stream, group: "workers", startID: "0"))
        #expect(try await client.xgroupCreate(stream, group: "workers") == false)
        #expect(try await client.xlen(stream) == 0)
        var ids: [String] = []
        for index in 0..<4 {
            ids.append(try await client.xadd(stream, fields: [("job", "j\(index)"), ("guild", "1")]))
        }
        #expect(try await client.xlen(stream) == 4)

        let firstRead = try await client.xreadgroup(group: "workers", consumer: "a", stream: stream, count: 3)
        #expect(firstRead.map(\.id) == Array(ids.prefix(3)))
        #expect(firstRead[0].fields == ["job": "j0", "guild": "1"])

        let summary = try await client.xpending(stream, group: "workers")
        #expect(summary.count == 3)
        #expect(summary.smallestID == ids[0])
        #expect(summary.greatestID == ids[2])
        #expect(summary.consumers == ["a": 3])

        #expect(try await client.xack(stream, group: "workers", ids: [ids[0], "0-1"]) == 1)
        let detail = try await client.xpending(stream, group: "workers", count: 10, consumer: "a")
        #expect(detail.map(\.id) == [ids[1], ids[2]])
        #expect(detail.allSatisfy { $0.consumer == "a" && $0.deliveryCount == 1 && $0.idleMilliseconds >= 0 })

        // An entry deleted while pending shows up as deleted in XAUTOCLAIM.
        #expect(try await client.send(["XDEL", stream, ids[2]]) == .integer(1))
        let claimed = try await client.xautoclaim(stream, group: "workers", consumer: "b", minIdleMilliseconds: 0, count: 10)
        #expect(claimed.nextStart == "0-0")
        #expect(claimed.entries.map(\.id) == [ids[1]])
        #expect(claimed.entries.first?.fields["job"] == "j1")
        #expect(claimed.deletedIDs == [ids[2]])

        let pendingForB = try await client.xreadgroup(group: "workers", consumer: "b", stream: stream, id: "0")
        #expect(pendingForB.map(\.id) == [ids[1]])
        let rest = try await client.xreadgroup(group: "workers", consumer: "b", stream: stream, blockMilliseconds: 50)
        #expect(rest.map(\.id) == [ids[3]])
        let nothing = try await client.xreadgroup(group: "workers", consumer: "b", stream: stream, count: 1, blockMilliseconds: 100)
        #expect(nothing.isEmpty)

        let empty = try await client.xpending("bot:{1}:empty", group: "g").count
        #expect(empty == 0)
    }

    @Test func groupsReadAckPendingAutoclaimResp3() async throws {
        try await withRedis { _, client async throws in
            _ = try await client.xgroupCreate("bot:{1}:empty", group: "g")
            try await Self.exerciseStreams(client)
            let trimmedStream = "bot:{1}:trimmed"
            for index in 0..<300 {
                try await client.xadd(trimmedStream, fields: [("n", String(index))], maxLength: 10)
            }
            #expect(try await client.xlen(trimmedStream) < 300)
            await expectRedisError(.server) {
                _ = try await client.xreadgroup(group: "nogroup", consumer: "a", stream: trimmedStream)
            }
        }
    }

    @Test func groupsReadAckPendingAutoclaimResp2() async throws {
        try await withRedis(configure: { $0.protocolVersion = .resp2 }) { _, client async throws in
            _ = try await client.xgroupCreate("bot:{1}:empty", group: "g")
            try await Self.exerciseStreams(client)
        }
    }

    /// The blocking read waits twice the command timeout and still succeeds. The timeout is
    /// 500 ms, not less: the plain command before it must not time out when the 2-core
    /// machine stalls under the full suite (200 ms did, once).
    @Test func blockingReadOutlastsTheCommandTimeout() async throws {
        try await withRedis(configure: { $0.commandTimeout = .milliseconds(500) }) { _, client async throws in
            _ = try await client.xgroupCreate("bot:{1}:slow", group: "g")
            let clock = ContinuousClock()
            let started = clock.now
            let entries = try await client.xreadgroup(group: "g", consumer: "c", stream: "bot:{1}:slow", blockMilliseconds: 1_000)
            #expect(entries.isEmpty)
            #expect(clock.now - started >= .milliseconds(950))
        }
    }
}
