import GuildhallCore

/// Where the REST client's rate-limit state lives: in this process, or in Redis so several
/// processes spend one budget. Both implementations keep the same rules (the contract suite
/// runs against each):
///
/// - **Buckets** are keyed by (identity, bucket, major). The bucket is the route's hash once a
///   response has named it (`X-RateLimit-Bucket`), and `method + template` until then. A bucket
///   nobody has described yet lets one request through (the probe) and holds the rest until its
///   headers arrive; a described bucket hands out its `remaining`, minus requests in flight.
/// - **The global limit** is a sliding window per identity: each request holds a slot from the
///   moment it is granted until one window after its response, so no window of arrivals at
///   Discord can hold more than the limit. Interaction callbacks and follow-ups are exempt.
/// - **A global 429** pauses every request of the identity for its `retry_after`.
/// - **The invalid-request guard** counts 401, 403 and 429 responses (but not shared-scope
///   429s) per identity in a fixed window, and refuses requests once the budget is spent.
public protocol RESTRateLimitStore: Sendable {
    /// Reserves a place for one request, or says how long to wait, or refuses it.
    func acquire(_ request: RESTRateLimitRequest) async throws -> RESTRateLimitDecision
    /// Records what the response (or the failure to get one) taught about the limits, and
    /// releases the ticket's reservation.
    @discardableResult
    func complete(_ ticket: RESTRateLimitTicket, outcome: RESTRateLimitOutcome) async throws -> RESTRateLimitCompletion
}

/// The numbers a client limits itself by. Small values make tests fast; the defaults are
/// Discord's global limit and a guard a quarter of the way to Discord's ban threshold.
public struct RESTRateLimitPolicy: Sendable, Hashable {
    /// Requests per `globalWindow` per identity (Discord: 50 per second per bot).
    public var globalLimit: Int
    public var globalWindow: Duration
    /// 401/403/429 responses allowed per `invalidRequestWindow` before requests are refused
    /// (Discord bans an IP at 10,000 per 10 minutes).
    public var invalidRequestBudget: Int
    public var invalidRequestWindow: Duration
    /// How long a granted request may go without completing before its reservation lapses
    /// (a process that died mid-request must not hold a bucket forever). At least the
    /// client's request timeout.
    public var reservationTimeout: Duration
    /// How often a request waiting for another's probe looks again.
    public var probePollInterval: Duration

    public init(
        globalLimit: Int = 50, globalWindow: Duration = .seconds(1),
        invalidRequestBudget: Int = 2_500, invalidRequestWindow: Duration = .seconds(600),
        reservationTimeout: Duration = .seconds(30), probePollInterval: Duration = .milliseconds(50)
    ) {
        self.globalLimit = globalLimit
        self.globalWindow = globalWindow
        self.invalidRequestBudget = invalidRequestBudget
        self.invalidRequestWindow = invalidRequestWindow
        self.reservationTimeout = reservationTimeout
        self.probePollInterval = probePollInterval
    }

    /// Throws `invalid_configuration` for limits the stores cannot honour.
    public func validate() throws {
        guard globalLimit > 0, globalLimit <= 10_000 else {
            throw GuildhallError(.invalidConfiguration, "global limit must be 1...10000, got \(globalLimit)")
        }
        guard invalidRequestBudget > 0, invalidRequestBudget < 10_000 else {
            throw GuildhallError(.invalidConfiguration, "invalid-request budget must be 1...9999 (Discord bans at 10,000), got \(invalidRequestBudget)")
        }
        for (name, value, maximum) in [
            ("global window", globalWindow, Duration.seconds(60)),
            ("invalid-request window", invalidRequestWindow, RESTRateLimitKeys.maximumInvalidWindow),
            ("reservation timeout", reservationTimeout, Duration.seconds(300)),
            ("probe poll interval", probePollInterval, Duration.seconds(5)),
        ] where value < .milliseconds(1) || value > maximum {
            throw GuildhallError(.invalidConfiguration, "\(name) must be between 1ms and \(maximum.compactDescription), got \(value)")
        }
    }
}

/// One request asking for a place.
public struct RESTRateLimitRequest: Sendable, Hashable {
    /// Whose budget: a digest of the bot token (or of an OAuth2 user's token).
    public var identity: String
    /// `DiscordRoute.limiterRouteID`.
    public var route: String
    /// `MajorParameter.limiterSegment`.
    public var major: String
    public var countsTowardGlobalLimit: Bool
    /// Unique per attempt: names the request's global slot.
    public var requestID: String
    public var policy: RESTRateLimitPolicy

    public init(identity: String, route: String, major: String, countsTowardGlobalLimit: Bool, requestID: String, policy: RESTRateLimitPolicy) {
        self.identity = identity
        self.route = route
        self.major = major
        self.countsTowardGlobalLimit = countsTowardGlobalLimit
        self.requestID = requestID
        self.policy = policy
    }

    /// Throws `invalid_input` when a part could not be used in a key.
    func validate() throws {
        for (name, value) in [("identity", identity), ("route", route), ("major", major), ("request id", requestID)] {
            guard RESTRateLimitKeys.isKeySegment(value) else {
                throw GuildhallError(.invalidInput, "rate-limit \(name) '\(value)' is not a plain key segment")
            }
        }
        guard RESTRateLimitKeys.isKeySegment(RESTRateLimitKeys.routeBucketID(route)) else {
            throw GuildhallError(.invalidInput, "rate-limit route '\(route)' is too long for a key")
        }
        try policy.validate()
    }
}

/// Why a request must wait.
public enum RESTRateLimitWaitReason: String, Sendable, Hashable {
    /// Its bucket has no requests left in this window.
    case bucket
    /// Its bucket is being probed by another request.
    case probe
    /// The global sliding window is full.
    case global
    /// A global 429 paused every request.
    case globalPause
}

/// The store's answer to `acquire`.
public enum RESTRateLimitDecision: Sendable, Hashable {
    case granted(RESTRateLimitTicket)
    case wait(Duration, reason: RESTRateLimitWaitReason)
    /// The invalid-request guard tripped; no request may go until the window ends.
    case invalidRequestBudgetExhausted(retryAfter: Duration)
}

/// A granted reservation, handed back to `complete`.
public struct RESTRateLimitTicket: Sendable, Hashable {
    public let request: RESTRateLimitRequest
    /// The bucket the reservation was taken in: `h.<hash>` or `r.<route>`.
    public let bucketID: String
    /// True when this request is the one learning an undescribed bucket.
    public let isProbe: Bool

    public init(request: RESTRateLimitRequest, bucketID: String, isProbe: Bool) {
        self.request = request
        self.bucketID = bucketID
        self.isProbe = isProbe
    }
}

/// What came back: a status and headers, or nothing (transport failure or timeout).
public struct RESTRateLimitOutcome: Sendable, Hashable {
    public var status: Int?
    public var headers: RateLimitHeaders
    /// For 429s: the body's `retry_after` when present, else `Retry-After`.
    public var retryAfter: Duration?

    public init(status: Int?, headers: RateLimitHeaders = RateLimitHeaders(), retryAfter: Duration? = nil) {
        self.status = status
        self.headers = headers
        self.retryAfter = retryAfter
    }

    /// A 401, a 403, or a 429 not in the shared scope: what Discord counts toward its ban.
    public var isInvalidRequest: Bool {
        switch status {
        case 401, 403: return true
        case 429: return headers.scope != .shared
        default: return false
        }
    }

    /// How long a 429 asks to wait: the body's value, the header's, or one second.
    var rateLimitDelay: Duration { retryAfter ?? headers.retryAfter ?? headers.resetAfter ?? .seconds(1) }
}

/// What `complete` did, for metrics.
public struct RESTRateLimitCompletion: Sendable, Hashable {
    /// Invalid requests counted in the identity's current window (0 when none were).
    public var invalidRequestsInWindow: Int

    public init(invalidRequestsInWindow: Int) {
        self.invalidRequestsInWindow = invalidRequestsInWindow
    }
}
