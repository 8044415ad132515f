import GuildhallCore
import GuildhallRedis
import Synchronization

/// The limiter shared by every process on one Redis: each decision is one Lua script, so
/// two processes can never both take a bucket's last request or the global window's last
/// slot. Keys are `RESTRateLimitKeys` under the platform guild, each with a bounded TTL.
public final class RedisRESTRateLimitStore: RESTRateLimitStore {
    public let client: RedisClient
    /// Route → bucket hash as this process last saw it. Only a guess: the acquire script
    /// checks it against Redis and answers `remap` when another process learnt otherwise.
    private let routeHashes = Mutex<[String: String]>([:])

    public init(client: RedisClient) {
        self.client = client
    }

    public func acquire(_ request: RESTRateLimitRequest) async throws -> RESTRateLimitDecision {
        try request.validate()
        var expected = routeHashes.withLock { $0[request.route] } ?? ""
        // A remap answer carries the current hash, so the second round normally settles it;
        // a third allows for a concurrent change between the two.
        for _ in 0..<3 {
            let bucketID = expected.isEmpty ? RESTRateLimitKeys.routeBucketID(request.route) : RESTRateLimitKeys.hashBucketID(expected)
            let keys = try [
                RESTRateLimitKeys.routeBucket.key(guild: Keyspace.platform, request.route),
                RESTRateLimitKeys.bucket.key(guild: Keyspace.platform, request.identity, bucketID, request.major),
                RESTRateLimitKeys.global.key(guild: Keyspace.platform, request.identity),
                RESTRateLimitKeys.pause.key(guild: Keyspace.platform, request.identity),
                RESTRateLimitKeys.invalid.key(guild: Keyspace.platform, request.identity),
                RESTRateLimitKeys.bucket.key(guild: Keyspace.platform, request.identity, RESTRateLimitKeys.routeBucketID(request.route), request.major),
            ]
            let policy = request.policy
            let reply = try await client.eval(
                RESTRateLimitScripts.acquire, keys: keys.map(\.rawValue),
                args: [
                    expected, request.countsTowardGlobalLimit ? "1" : "0", request.requestID, String(policy.globalLimit),
                    String(policy.invalidRequestBudget), String(policy.reservationTimeout.wholeMilliseconds),
                    String(policy.probePollInterval.wholeMilliseconds),
                ]
            )
            switch Self.parseAcquireReply(reply) {
            case .remap(let hash):
                expected = hash
                routeHashes.withLock { $0[request.route] = hash }
            case .granted(let isProbe):
                return .granted(RESTRateLimitTicket(request: request, bucketID: bucketID, isProbe: isProbe))
            case .decided(let decision):
                return decision
            case .malformed:
                throw GuildhallError(.internalError, "rate-limit acquire script replied \(reply)")
            }
        }
        throw GuildhallError(.unavailable, "the bucket of \(request.route) kept changing while acquiring")
    }

    /// What the acquire script said, read from its reply.
    enum AcquireReply: Equatable {
        case remap(String)
        case granted(isProbe: Bool)
        case decided(RESTRateLimitDecision)
        case malformed
    }

    static func parseAcquireReply(_ reply: RESPValue) -> AcquireReply {
        let parts = reply.array ?? []
        switch (parts.first?.string, parts.count) {
        case ("remap", 2):
            return .remap(parts[1].string ?? "")
        case ("granted", 2):
            guard let probe = parts[1].int else { return .malformed }
            return .granted(isProbe: probe == 1)
        case ("wait", 3):
            guard let milliseconds = parts[1].int, let reason = parts[2].string.flatMap(RESTRateLimitWaitReason.init) else { return .malformed }
            return .decided(.wait(.milliseconds(max(1, milliseconds)), reason: reason))
        case ("invalid", 2):
            guard let milliseconds = parts[1].int else { return .malformed }
            return .decided(.invalidRequestBudgetExhausted(retryAfter: .milliseconds(max(1, milliseconds))))
        default:
            return .malformed
        }
    }

    @discardableResult
    public func complete(_ ticket: RESTRateLimitTicket, outcome: RESTRateLimitOutcome) async throws -> RESTRateLimitCompletion {
        let request = ticket.request
        let headers = outcome.headers
        if let hash = headers.bucket {
            routeHashes.withLock { $0[request.route] = hash }
        }
        let targetBucketID = headers.bucket.map(RESTRateLimitKeys.hashBucketID) ?? ticket.bucketID
        let keys = try [
            RESTRateLimitKeys.routeBucket.key(guild: Keyspace.platform, request.route),
            RESTRateLimitKeys.bucket.key(guild: Keyspace.platform, request.identity, ticket.bucketID, request.major),
            RESTRateLimitKeys.bucket.key(guild: Keyspace.platform, request.identity, targetBucketID, request.major),
            RESTRateLimitKeys.global.key(guild: Keyspace.platform, request.identity),
            RESTRateLimitKeys.pause.key(guild: Keyspace.platform, request.identity),
            RESTRateLimitKeys.invalid.key(guild: Keyspace.platform, request.identity),
        ]
        let describes = headers.limit != nil && headers.remaining != nil && headers.resetAfter != nil
        let reply = try await client.eval(
            RESTRateLimitScripts.complete, keys: keys.map(\.rawValue),
            args: [
                ticket.isProbe ? "1" : "0", headers.bucket ?? "", describes ? "1" : "0",
                String(headers.limit ?? 0), String(headers.remaining ?? 0), String(headers.resetAfter?.wholeMilliseconds ?? 0),
                outcome.status.map(String.init) ?? "", headers.isGlobalLimit ? "1" : "0",
                String(outcome.rateLimitDelay.wholeMilliseconds),
                request.countsTowardGlobalLimit ? "1" : "0", request.requestID,
                String(request.policy.globalWindow.wholeMilliseconds),
                outcome.isInvalidRequest ? "1" : "0", String(request.policy.invalidRequestWindow.wholeMilliseconds),
            ]
        )
        guard let count = reply.int else {
            throw GuildhallError(.internalError, "rate-limit complete script replied \(reply)")
        }
        return RESTRateLimitCompletion(invalidRequestsInWindow: count)
    }
}
