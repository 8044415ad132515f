/// The REST limiter's rules as a value: no clock and no I/O, every call takes `now` in
/// milliseconds. The in-process store wraps one in a mutex; the Redis store's Lua scripts
/// implement the same transitions, and the contract suite holds them to each other.
/// The rules themselves are described on `RESTRateLimitStore`.
public struct RESTRateLimitState: Sendable {
    struct BucketKey: Hashable, Sendable {
        let identity: String
        let bucketID: String
        let major: String
    }

    struct Bucket: Sendable, Equatable {
        /// True once a response described the current window.
        var known = false
        var limit = 0
        var remaining = 0
        var resetAt: Int64 = 0
        /// Granted requests without a response yet; they lapse together at `inflightUntil`.
        var inflight = 0
        var inflightUntil: Int64 = 0
        /// While a probe is out, until when (0: none).
        var probeUntil: Int64 = 0

        func inflight(at now: Int64) -> Int { now < inflightUntil ? inflight : 0 }
        func isDescribed(at now: Int64) -> Bool { known && now < resetAt }
        func isIdle(at now: Int64) -> Bool { !isDescribed(at: now) && inflight(at: now) == 0 && now >= probeUntil }
    }

    struct InvalidWindow: Sendable, Equatable {
        var count: Int
        var endsAt: Int64
    }

    /// Longest a route's hash, a bucket's window or a pause is believed (the Redis keys' TTLs).
    static let routeMappingLifetime: Int64 = 86_400_000
    static let longestWindow: Int64 = 86_399_000
    static let longestPause: Int64 = 599_000

    var routes: [String: (hash: String, expiresAt: Int64)] = [:]
    var buckets: [BucketKey: Bucket] = [:]
    /// identity → request id → the time its slot is held until.
    var globalSlots: [String: [String: Int64]] = [:]
    var pauses: [String: Int64] = [:]
    var invalid: [String: InvalidWindow] = [:]
    private var operations = 0

    public init() {}

    /// The bucket a request of `route` is counted in right now.
    func bucketID(route: String, now: Int64) -> String {
        if let mapping = routes[route], now < mapping.expiresAt { return RESTRateLimitKeys.hashBucketID(mapping.hash) }
        return RESTRateLimitKeys.routeBucketID(route)
    }

    public mutating func acquire(_ request: RESTRateLimitRequest, now: Int64) -> RESTRateLimitDecision {
        defer { maintain(now: now) }
        let policy = request.policy
        if let window = invalid[request.identity], now < window.endsAt, window.count >= policy.invalidRequestBudget {
            return .invalidRequestBudgetExhausted(retryAfter: .milliseconds(window.endsAt - now))
        }
        if request.countsTowardGlobalLimit, let until = pauses[request.identity], now < until {
            return .wait(.milliseconds(until - now), reason: .globalPause)
        }
        let key = BucketKey(identity: request.identity, bucketID: bucketID(route: request.route, now: now), major: request.major)
        var bucket = buckets[key] ?? Bucket()
        let isProbe: Bool
        if bucket.isDescribed(at: now) {
            guard bucket.remaining > 0 else { return .wait(.milliseconds(bucket.resetAt - now), reason: .bucket) }
            isProbe = false
        } else if let probing = probeUntil(of: key, route: request.route, now: now) {
            return .wait(.milliseconds(min(policy.probePollInterval.wholeMilliseconds, probing - now)), reason: .probe)
        } else {
            isProbe = true
        }
        let hold = policy.reservationTimeout.wholeMilliseconds
        if request.countsTowardGlobalLimit {
            // Lapsed slots are dropped only when the window looks full, and the slots are
            // changed in place: a raised global limit means thousands of slots, and copying
            // or scanning them on every request would cost more than the request.
            if globalSlots[request.identity, default: [:]].count >= policy.globalLimit {
                globalSlots[request.identity, default: [:]] = globalSlots[request.identity, default: [:]].filter { $0.value > now }
                if let slots = globalSlots[request.identity], slots.count >= policy.globalLimit {
                    return .wait(.milliseconds(slots.values.min()! - now), reason: .global)
                }
            }
            globalSlots[request.identity, default: [:]][request.requestID] = now + hold
        }
        if isProbe {
            bucket.known = false
            bucket.probeUntil = now + hold
        } else {
            bucket.remaining -= 1
        }
        bucket.inflight = bucket.inflight(at: now) + 1
        bucket.inflightUntil = now + hold
        buckets[key] = bucket
        return .granted(RESTRateLimitTicket(request: request, bucketID: key.bucketID, isProbe: isProbe))
    }

    /// When a probe is out for this bucket, until when. Right after a route's hash is learnt,
    /// a probe sent under the route's own key may still be out: it counts for the hash's
    /// bucket too, so the same major never has two probes in flight.
    func probeUntil(of key: BucketKey, route: String, now: Int64) -> Int64? {
        let routeKey = BucketKey(identity: key.identity, bucketID: RESTRateLimitKeys.routeBucketID(route), major: key.major)
        let until = max(buckets[key]?.probeUntil ?? 0, key == routeKey ? 0 : buckets[routeKey]?.probeUntil ?? 0)
        return now < until ? until : nil
    }

    @discardableResult
    public mutating func complete(_ ticket: RESTRateLimitTicket, outcome: RESTRateLimitOutcome, now: Int64) -> RESTRateLimitCompletion {
        defer { maintain(now: now) }
        let request = ticket.request
        let ticketKey = BucketKey(identity: request.identity, bucketID: ticket.bucketID, major: request.major)
        if var reserved = buckets[ticketKey] {
            reserved.inflight = max(0, reserved.inflight(at: now) - 1)
            if ticket.isProbe { reserved.probeUntil = 0 }
            buckets[ticketKey] = reserved
        }
        var targetKey = ticketKey
        let headers = outcome.headers
        if let hash = headers.bucket {
            routes[request.route] = (hash, now + Self.routeMappingLifetime)
            targetKey = BucketKey(identity: request.identity, bucketID: RESTRateLimitKeys.hashBucketID(hash), major: request.major)
        }
        var target = buckets[targetKey] ?? Bucket()
        if let limit = headers.limit, let remaining = headers.remaining, let resetAfter = headers.resetAfter {
            // Requests still in flight may not be in Discord's count yet: assume they are not.
            let reported = max(0, remaining - target.inflight(at: now))
            if target.isDescribed(at: now) {
                target.remaining = min(target.remaining, reported)
            } else {
                target.known = true
                target.remaining = reported
                target.resetAt = now + min(resetAfter.wholeMilliseconds, Self.longestWindow)
            }
            target.limit = limit
        }
        if outcome.status == 429 {
            let delay = min(outcome.rateLimitDelay.wholeMilliseconds, headers.isGlobalLimit ? Self.longestPause : Self.longestWindow)
            if headers.isGlobalLimit {
                pauses[request.identity] = max(pauses[request.identity] ?? 0, now + delay)
            } else {
                target.resetAt = max(target.isDescribed(at: now) ? target.resetAt : 0, now + delay)
                target.known = true
                target.remaining = 0
            }
        }
        buckets[targetKey] = target
        if request.countsTowardGlobalLimit {
            globalSlots[request.identity, default: [:]][request.requestID] = now + request.policy.globalWindow.wholeMilliseconds
        }
        guard outcome.isInvalidRequest else { return RESTRateLimitCompletion(invalidRequestsInWindow: 0) }
        var window = invalid[request.identity].flatMap { now < $0.endsAt ? $0 : nil }
            ?? InvalidWindow(count: 0, endsAt: now + request.policy.invalidRequestWindow.wholeMilliseconds)
        window.count += 1
        invalid[request.identity] = window
        return RESTRateLimitCompletion(invalidRequestsInWindow: window.count)
    }

    /// Drops state that no longer says anything: idle buckets, lapsed slots, ended pauses
    /// and windows, expired route hashes. Runs every 256 operations.
    mutating func maintain(now: Int64) {
        operations += 1
        guard operations % 256 == 0 else { return }
        prune(now: now)
    }

    mutating func prune(now: Int64) {
        routes = routes.filter { now < $0.value.expiresAt }
        buckets = buckets.filter { !$0.value.isIdle(at: now) }
        globalSlots = globalSlots.compactMapValues { slots in
            let live = slots.filter { $0.value > now }
            return live.isEmpty ? nil : live
        }
        pauses = pauses.filter { now < $0.value }
        invalid = invalid.filter { now < $0.value.endsAt }
    }

    /// How many entries the state holds (tests check that pruning bounds it).
    var entryCount: Int {
        routes.count + buckets.count + globalSlots.values.reduce(0) { $0 + $1.count } + pauses.count + invalid.count
    }
}
