import GuildhallBackends
import GuildhallCore
import GuildhallRedis
import GuildhallTestSupport
import Logging

/// The two implementations every contract test runs against.
enum BackendKind: String, CaseIterable, CustomStringConvertible, Sendable {
    case inProcess = "in-process"
    case redis

    var description: String { rawValue }

    /// Fresh backends; with Redis, a client on the test command's server. Keys never
    /// collide across tests because each test uses its own mock guilds.
    func make() async throws -> (Backends, @Sendable () async -> Void) {
        switch self {
        case .inProcess:
            return (.inProcess(), {})
        case .redis:
            let client = RedisClient(configuration: try RedisConfiguration(url: try TestEnvironment.redisURL()), logger: Logger(label: "test"))
            return (.redis(client), { await client.close() })
        }
    }
}

/// Key kinds used only by these tests.
enum TestKeys {
    static let short = RedisKeyKind(feature: "test", name: "short", lifetime: .expiring(.milliseconds(300)), cleanup: "TTL")
    static let long = RedisKeyKind(feature: "test", name: "long", lifetime: .expiring(.seconds(60)), cleanup: "TTL", parts: ["name"])
    static let durable = RedisKeyKind(feature: "test", name: "durable", lifetime: .persistent(reason: "test data"), cleanup: "deleted by the test")
    static let channel = RedisKeyKind(feature: "test", name: "events", lifetime: .channel, cleanup: "pub/sub")
    static let limit = RedisKeyKind(feature: "test", name: "limit", lifetime: .expiring(.seconds(10)), cleanup: "TTL", parts: ["user"])
}
