import GuildhallCore

/// The numbers behind the sandbox's rate limits. Discord does not publish its own, and tells
/// clients to read the headers instead (FACTS.md §10); these are close to what bots observe.
public struct SandboxRateLimitPolicy: Sendable, Equatable {
    public struct Bucket: Sendable, Equatable {
        public var limit: Int
        public var window: Duration

        public init(limit: Int, window: Duration) {
            self.limit = limit
            self.window = window
        }
    }

    /// Requests per second per bot token across every route that counts (Discord: 50).
    public var globalPerSecond: Int
    /// Buckets by `SandboxRoute.bucketName`; routes without an entry use `defaultBucket`.
    public var buckets: [String: Bucket]
    public var defaultBucket: Bucket

    public init(globalPerSecond: Int, buckets: [String: Bucket], defaultBucket: Bucket) {
        self.globalPerSecond = globalPerSecond
        self.buckets = buckets
        self.defaultBucket = defaultBucket
    }

    public func bucket(for route: SandboxRoute) -> Bucket {
        buckets[route.bucketName] ?? defaultBucket
    }

    /// Numbers of the kind real bots see: 5 messages per 5 s per channel, one reaction per
    /// 250 ms, and so on, under the global 50 per second.
    public static let discordLike = SandboxRateLimitPolicy(
        globalPerSecond: 50,
        buckets: [
            "messages.create": Bucket(limit: 5, window: .seconds(5)),
            "messages.modify": Bucket(limit: 5, window: .seconds(5)),
            "messages.read": Bucket(limit: 50, window: .seconds(1)),
            "reactions": Bucket(limit: 1, window: .milliseconds(250)),
            "members.modify": Bucket(limit: 10, window: .seconds(10)),
            "members.kick": Bucket(limit: 5, window: .seconds(5)),
            "bans.modify": Bucket(limit: 5, window: .seconds(5)),
            "commands.overwrite": Bucket(limit: 4, window: .seconds(20)),
            "interactions.callback": Bucket(limit: 5, window: .seconds(5)),
            "webhooks": Bucket(limit: 5, window: .seconds(2)),
            "entitlements.modify": Bucket(limit: 10, window: .seconds(10)),
            "oauth2.token": Bucket(limit: 10, window: .seconds(10)),
        ],
        defaultBucket: Bucket(limit: 20, window: .seconds(1))
    )

    /// Limits high enough never to bite: for local development and benchmarks that measure
    /// something other than the client's limiter.
    public static let relaxed = SandboxRateLimitPolicy(
        globalPerSecond: 1_000_000,
        buckets: [:],
        defaultBucket: Bucket(limit: 1_000_000, window: .seconds(1))
    )

    func validate() throws {
        let all = Array(buckets.values) + [defaultBucket]
        guard globalPerSecond >= 1, all.allSatisfy({ $0.limit >= 1 && $0.window > .zero }) else {
            throw GuildhallError(.invalidConfiguration, "sandbox: rate limits must be positive")
        }
    }
}
