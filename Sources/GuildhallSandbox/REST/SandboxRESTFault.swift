import GuildhallCore

/// A fault switched on for REST: a 429 storm, 5xx answers or slow answers, on one route
/// (`"POST /channels/{channel_id}/messages"`, as `SandboxRoute` names it) or on every
/// route (`"*"`), for a number of requests, a time, or until it is switched off.
public struct SandboxRESTFault: Sendable, Codable, Equatable {
    public enum Kind: String, Sendable, Codable {
        case rateLimit = "rate_limit"
        case serverError = "server_error"
        case slow
    }

    public var id: Int
    public var kind: Kind
    public var route: String
    /// Requests left to affect; `nil` means every request until it expires or is removed.
    public var remaining: Int?
    /// Seconds since 1970 at which it switches itself off; `nil` means never.
    public var expiresAt: Double?
    /// HTTP status for `server_error` (500, 502, 503 or 504).
    public var status: Int
    /// `retry_after` seconds for `rate_limit`.
    public var retryAfter: Double
    /// `X-RateLimit-Scope` for `rate_limit`: `user`, `shared` or `global`.
    public var scope: String
    /// Added latency for `slow`.
    public var delayMilliseconds: Int

    enum CodingKeys: String, CodingKey {
        case id, kind, route, remaining, status, scope
        case expiresAt = "expires_at"
        case retryAfter = "retry_after"
        case delayMilliseconds = "delay_ms"
    }

    public init(
        id: Int = 0, kind: Kind, route: String = "*", remaining: Int? = nil, expiresAt: Double? = nil,
        status: Int = 500, retryAfter: Double = 1, scope: String = "shared", delayMilliseconds: Int = 0
    ) {
        self.id = id
        self.kind = kind
        self.route = route
        self.remaining = remaining
        self.expiresAt = expiresAt
        self.status = status
        self.retryAfter = retryAfter
        self.scope = scope
        self.delayMilliseconds = delayMilliseconds
    }

    /// Checks the fields a caller sets, naming the first one that is wrong.
    public func validate() throws {
        func fail(_ message: String) -> GuildhallError { GuildhallError(.invalidInput, message) }
        if route != "*", SandboxRoute(rawValue: route) == nil {
            throw fail("unknown route '\(route)': use \"*\" or one of the sandbox's routes, e.g. \"POST /channels/{channel_id}/messages\"")
        }
        if let remaining, remaining < 1 { throw fail("remaining must be at least 1") }
        switch kind {
        case .serverError:
            guard [500, 502, 503, 504].contains(status) else { throw fail("status must be 500, 502, 503 or 504") }
        case .rateLimit:
            guard retryAfter > 0, retryAfter <= 3_600 else { throw fail("retry_after must be between 0 and 3600 seconds") }
            guard ["user", "shared", "global"].contains(scope) else { throw fail("scope must be user, shared or global") }
        case .slow:
            guard (1...60_000).contains(delayMilliseconds) else { throw fail("delay_ms must be between 1 and 60000") }
        }
    }

    func applies(to route: SandboxRoute, now: Double) -> Bool {
        if let expiresAt, now >= expiresAt { return false }
        if let remaining, remaining <= 0 { return false }
        return self.route == "*" || self.route == route.rawValue
    }
}

/// The faults in force, as a value: `SandboxServer` keeps one behind a lock.
struct SandboxFaultBoard: Sendable {
    private(set) var faults: [SandboxRESTFault] = []
    private var nextID = 1

    /// What the faults do to one request.
    struct Effect: Sendable, Equatable {
        var delayMilliseconds = 0
        var refusal: SandboxRESTFault?
    }

    mutating func add(_ fault: SandboxRESTFault) throws -> SandboxRESTFault {
        try fault.validate()
        var fault = fault
        fault.id = nextID
        nextID += 1
        faults.append(fault)
        return fault
    }

    @discardableResult
    mutating func remove(id: Int) -> Bool {
        let before = faults.count
        faults.removeAll { $0.id == id }
        return faults.count != before
    }

    mutating func clear() { faults.removeAll() }

    /// Applies the faults to a request on `route` at `now`, using up their counts. Slow faults
    /// add up; the first refusing fault (429 or 5xx) wins.
    mutating func effect(for route: SandboxRoute, now: Double) -> Effect {
        faults.removeAll { fault in
            (fault.expiresAt.map { now >= $0 } ?? false) || (fault.remaining.map { $0 <= 0 } ?? false)
        }
        var effect = Effect()
        for index in faults.indices where faults[index].applies(to: route, now: now) {
            switch faults[index].kind {
            case .slow:
                effect.delayMilliseconds += faults[index].delayMilliseconds
            case .rateLimit, .serverError:
                guard effect.refusal == nil else { continue }
                effect.refusal = faults[index]
            }
            if let remaining = faults[index].remaining { faults[index].remaining = remaining - 1 }
        }
        faults.removeAll { $0.remaining.map { $0 <= 0 } ?? false }
        return effect
    }
}
