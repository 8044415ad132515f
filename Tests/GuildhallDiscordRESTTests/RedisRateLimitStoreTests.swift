import Foundation
import GuildhallCore
import GuildhallRedis
import GuildhallTestSupport
import Logging
import Testing
@testable import GuildhallDiscordREST

/// What only the Redis store has: keys in the keyspace with bounded TTLs, and a Redis that
/// can be down.
@Suite("REST rate-limit store on Redis")
struct RedisRateLimitStoreTests {
    @Test("every key is a declared kind under the platform guild, with a TTL within its declaration")
    func keysAndTTLs() async throws {
        let client = try StoreKind.redisClient()
        let store = RedisRESTRateLimitStore(client: client)
        let identity = StoreKind.uniqueIdentity()
        let policy = RateLimitStoreContractTests.policy(invalidBudget: 50)
        let route = "GET.keys.\(identity.suffix(6))"
        let probe = try RateLimitStoreContractTests.granted(try await store.acquire(RateLimitStoreContractTests.request(identity, route: route, policy: policy)))
        var headers = RateLimitHeaders(limit: 2, remaining: 0, resetAfter: .seconds(30), bucket: "k\(identity.suffix(8))")
        headers.isGlobal = true
        try await store.complete(probe, outcome: RESTRateLimitOutcome(status: 429, headers: headers, retryAfter: .seconds(20)))

        let keys = try await client.scanAll(match: "bot:{0}:discordrest:*").filter { $0.contains(identity) || $0.hasSuffix(route) }
        let kinds = Dictionary(uniqueKeysWithValues: RESTRateLimitKeys.all.map { ($0.name, $0) })
        #expect(Set(keys.compactMap { Keyspace.parse($0)?.rest.first }) == ["route", "bucket", "global", "pause", "invalid"])
        for key in keys {
            let parsed = try #require(Keyspace.parse(key), "\(key) is not in the keyspace")
            #expect(parsed.guild == Keyspace.platform && parsed.feature == RESTRateLimitKeys.feature)
            let kind = try #require(kinds[parsed.rest[0]], "\(key) is not a declared kind")
            #expect(parsed.rest.count == 1 + kind.parts.count)
            let ttl = try await client.pttl(key)
            #expect(ttl > 0 && Int64(ttl) <= kind.ttl!.wholeMilliseconds, "\(key) has TTL \(ttl)")
        }
        #expect(Keyspace.duplicates(in: RESTRateLimitKeys.all).isEmpty)
        await client.close()
    }

    @Test("with Redis unreachable, acquire fails with the Redis error and completes fail too")
    func redisDown() async throws {
        var logger = Logger(label: "test.redis.down")
        logger.logLevel = .critical
        let client = RedisClient(
            configuration: RedisConfiguration(port: try FreePort.loopback(), connectTimeout: .milliseconds(300), commandTimeout: .milliseconds(300)),
            logger: logger
        )
        let store = RedisRESTRateLimitStore(client: client)
        let request = RateLimitStoreContractTests.request(StoreKind.uniqueIdentity())
        await #expect(throws: RedisError.self) { _ = try await store.acquire(request) }
        let ticket = RESTRateLimitTicket(request: request, bucketID: "r.\(request.route)", isProbe: true)
        await #expect(throws: RedisError.self) { try await store.complete(ticket, outcome: RESTRateLimitOutcome(status: 200)) }
        await client.close()
    }

    @Test("script replies are read strictly: anything unexpected is malformed, never a grant")
    func replies() {
        typealias Reply = RedisRESTRateLimitStore.AcquireReply
        func parse(_ parts: [RESPValue]) -> Reply { RedisRESTRateLimitStore.parseAcquireReply(.array(parts)) }
        #expect(parse([.bulkString("remap"), .bulkString("abc")]) == .remap("abc"))
        #expect(parse([.bulkString("remap"), .bulkString("")]) == .remap(""))
        #expect(parse([.bulkString("granted"), .integer(1)]) == .granted(isProbe: true))
        #expect(parse([.bulkString("granted"), .integer(0)]) == .granted(isProbe: false))
        #expect(parse([.bulkString("wait"), .integer(250), .bulkString("bucket")]) == .decided(.wait(.milliseconds(250), reason: .bucket)))
        #expect(parse([.bulkString("wait"), .integer(0), .bulkString("global")]) == .decided(.wait(.milliseconds(1), reason: .global)))
        #expect(parse([.bulkString("invalid"), .integer(9000)]) == .decided(.invalidRequestBudgetExhausted(retryAfter: .seconds(9))))
        for malformed: [RESPValue] in [
            [], [.bulkString("granted")], [.bulkString("granted"), .bulkString("yes")], [.bulkString("wait"), .integer(1), .bulkString("nap")],
            [.bulkString("wait"), .bulkString("x"), .bulkString("bucket")], [.bulkString("invalid"), .null], [.bulkString("other"), .integer(1)],
        ] {
            #expect(parse(malformed) == .malformed, "\(malformed)")
        }
        #expect(RedisRESTRateLimitStore.parseAcquireReply(.integer(1)) == .malformed)
    }
}
