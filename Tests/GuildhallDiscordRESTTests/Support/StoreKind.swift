import Foundation
import GuildhallDiscordREST
import GuildhallRedis
import GuildhallTestSupport
import Logging

/// The two limiter stores every contract test runs against.
enum StoreKind: String, CaseIterable, CustomStringConvertible, Sendable {
    case inProcess = "in-process"
    case redis

    var description: String { rawValue }

    /// A store standing for "one process", a second one standing for "another process" sharing
    /// its state (the same object in memory; a second store object on the same Redis), and a
    /// closer. Tests keep apart in the shared Redis by using unique identities.
    func make() throws -> (first: any RESTRateLimitStore, second: any RESTRateLimitStore, close: @Sendable () async -> Void) {
        switch self {
        case .inProcess:
            let store = InProcessRESTRateLimitStore()
            return (store, store, {})
        case .redis:
            let client = try Self.redisClient()
            return (RedisRESTRateLimitStore(client: client), RedisRESTRateLimitStore(client: client), { await client.close() })
        }
    }

    static func redisClient() throws -> RedisClient {
        var logger = Logger(label: "test.redis")
        logger.logLevel = .critical
        return RedisClient(configuration: try RedisConfiguration(url: try TestEnvironment.redisURL()), logger: logger)
    }

    /// A fresh identity, so tests sharing one Redis never share a budget.
    static func uniqueIdentity() -> String {
        "test-" + UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased().prefix(20)
    }
}
