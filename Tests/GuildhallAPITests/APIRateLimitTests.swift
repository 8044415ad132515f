import Foundation
@testable import GuildhallAPI
import GuildhallBackends
import GuildhallCore
import GuildhallRedis
import GuildhallTestSupport
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import Testing

@Suite("API rate limits")
struct APIRateLimitTests {
    @Test("a burst past the per-address limit gets 429 with Retry-After, in-process and on Redis", arguments: [false, true])
    func burst(redis: Bool) async throws {
        var client: RedisClient?
        var cache: (any CacheBackend)?
        // A private redis-server: on the shared one, other tests' requests from 127.0.0.1
        // count against the same address.
        let server = redis ? try await RedisServerProcess.start() : nil
        defer { server?.stop() }
        if let server {
            let connection = RedisClient(configuration: try RedisConfiguration(url: server.url), logger: Logger(label: "test"))
            client = connection
            cache = Backends.redis(connection).cache
        }
        let harness = try await APIHarness.make(addressLimit: 3, cache: cache)
        try await harness.run { http in
            var statuses: [Int] = []
            var last: TestResponse?
            for _ in 0..<5 {
                let response = try await http.execute(uri: "/api/openapi.json", method: .get)
                statuses.append(Int(response.status.code))
                last = response
            }
            #expect(statuses == [200, 200, 200, 429, 429])
            let refused = try #require(last)
            #expect(refused.apiError?.error.code == "rate_limited")
            let retryAfter = Int(refused.headers[.retryAfter] ?? "") ?? 0
            #expect((1...60).contains(retryAfter))
            let outside = try await http.execute(uri: "/outside", method: .get)
            #expect(outside.status == .ok, "only /api/ paths are limited")
        }
        if let client {
            let key = try APIKeys.addressLimit.key(guild: Keyspace.platform, "127.0.0.1")
            #expect(try await client.send(["PTTL", key.rawValue]).int.map { $0 > 0 && $0 <= 60_000 } == true, "the window's key expires")
            await client.close()
        }
    }

    @Test("when the limiter's store is down, the API answers 503 instead of running unlimited")
    func storeDown() async throws {
        let port = try FreePort.loopback()
        var configuration = try RedisConfiguration(url: "redis://127.0.0.1:\(port)")
        configuration.connectTimeout = .milliseconds(200)
        configuration.commandTimeout = .milliseconds(300)
        let dead = RedisClient(configuration: configuration, logger: Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() }))
        let harness = try await APIHarness.make(cache: Backends.redis(dead).cache)
        try await harness.run { http in
            let response = try await http.execute(uri: "/api/openapi.json", method: .get)
            #expect(response.status == .serviceUnavailable)
            #expect(response.apiError?.error.code == "unavailable")
            #expect(response.headers[.retryAfter] != nil)
        }
        await dead.close()
    }
}
