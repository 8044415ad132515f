import Foundation

/// What the limiter decided for one request, with the headers Discord would send.
struct RateLimitDecision: Sendable, Equatable {
    enum Scope: String, Sendable { case user, global, shared }

    /// `nil` when the request may proceed.
    var limited: (scope: Scope, retryAfter: Double)?
    var headers: [(String, String)]

    static func == (lhs: RateLimitDecision, rhs: RateLimitDecision) -> Bool {
        lhs.limited?.scope == rhs.limited?.scope && lhs.limited?.retryAfter == rhs.limited?.retryAfter
            && lhs.headers.map { "\($0.0)=\($0.1)" } == rhs.headers.map { "\($0.0)=\($0.1)" }
    }
}

/// Fixed-window rate limits per (bucket, major parameter) and per token per second, as a pure
/// value: the caller passes the time, so tests can walk through windows without sleeping.
struct RateLimitTable: Sendable {
    private struct Window: Sendable {
        var start: Double
        var length: Double
        var limit: Int
        var used: Int

        var end: Double { start + length }
    }

    var policy: SandboxRateLimitPolicy
    private var routeWindows: [String: Window] = [:]
    private var globalWindows: [String: Window] = [:]
    private var admissions = 0

    init(policy: SandboxRateLimitPolicy) {
        self.policy = policy
    }

    /// The opaque id Discord puts in `X-RateLimit-Bucket`: stable per bucket name, and the
    /// same for every major parameter value (the bucket excludes the top-level resource).
    static func bucketHash(_ name: String) -> String {
        var first: UInt64 = 0xCBF2_9CE4_8422_2325
        var second: UInt64 = 0x8422_2325_CBF2_9CE4
        for byte in name.utf8 {
            first = (first ^ UInt64(byte)) &* 0x0000_0100_0000_01B3
            second = (second &* 0x0000_0100_0000_01B3) ^ UInt64(byte)
        }
        return hex(first) + hex(second)
    }

    private static func hex(_ value: UInt64) -> String {
        let digits = String(value, radix: 16)
        return String(repeating: "0", count: 16 - digits.count) + digits
    }

    /// Counts one request to `route` (major value `major`, authorised by `token`) at `now`
    /// (seconds since 1970). A refused request uses up nothing.
    mutating func admit(route: SandboxRoute, major: String?, token: String?, now: Double) -> RateLimitDecision {
        admissions += 1
        if admissions % 4_096 == 0 { prune(now: now) }

        let bucket = policy.bucket(for: route)
        let routeKey = route.bucketName + "|" + (major ?? "")
        var window = routeWindows[routeKey] ?? Window(start: now, length: seconds(bucket.window), limit: bucket.limit, used: 0)
        if now >= window.end {
            window = Window(start: now, length: seconds(bucket.window), limit: bucket.limit, used: 0)
        }

        if route.countsAgainstGlobalLimit, let token {
            var global = globalWindows[token] ?? Window(start: now, length: 1, limit: policy.globalPerSecond, used: 0)
            if now >= global.end { global = Window(start: now, length: 1, limit: policy.globalPerSecond, used: 0) }
            if global.used >= global.limit {
                globalWindows[token] = global
                return RateLimitDecision(
                    limited: (.global, Self.round(global.end - now)),
                    headers: [("X-RateLimit-Global", "true"), ("X-RateLimit-Scope", "global")]
                )
            }
            if window.used < window.limit {
                global.used += 1
            }
            globalWindows[token] = global
        }

        let bucketHeader = ("X-RateLimit-Bucket", Self.bucketHash(route.bucketName))
        if window.used >= window.limit {
            routeWindows[routeKey] = window
            return RateLimitDecision(
                limited: (.user, Self.round(window.end - now)),
                headers: Self.headers(window, now: now, bucket: bucketHeader) + [("X-RateLimit-Scope", "user")]
            )
        }
        window.used += 1
        routeWindows[routeKey] = window
        return RateLimitDecision(limited: nil, headers: Self.headers(window, now: now, bucket: bucketHeader))
    }

    /// The route headers as they stand, without counting a request (for faults that refuse
    /// a request before it reaches the limiter's bookkeeping).
    func peekHeaders(route: SandboxRoute, major: String?, now: Double) -> [(String, String)] {
        let bucket = policy.bucket(for: route)
        let key = route.bucketName + "|" + (major ?? "")
        var window = routeWindows[key] ?? Window(start: now, length: seconds(bucket.window), limit: bucket.limit, used: 0)
        if now >= window.end { window = Window(start: now, length: seconds(bucket.window), limit: bucket.limit, used: 0) }
        return Self.headers(window, now: now, bucket: ("X-RateLimit-Bucket", Self.bucketHash(route.bucketName)))
    }

    private static func headers(_ window: Window, now: Double, bucket: (String, String)) -> [(String, String)] {
        [
            ("X-RateLimit-Limit", String(window.limit)),
            ("X-RateLimit-Remaining", String(max(0, window.limit - window.used))),
            ("X-RateLimit-Reset", format(window.end)),
            ("X-RateLimit-Reset-After", format(max(0, window.end - now))),
            bucket,
        ]
    }

    private mutating func prune(now: Double) {
        routeWindows = routeWindows.filter { $0.value.end > now }
        globalWindows = globalWindows.filter { $0.value.end > now }
    }

    var trackedWindowCount: Int { routeWindows.count + globalWindows.count }

    private func seconds(_ duration: Duration) -> Double {
        let (whole, fraction) = duration.components
        return Double(whole) + Double(fraction) / 1e18
    }

    /// Discord rounds to the millisecond; never report 0 for a wait that is not over.
    static func round(_ value: Double) -> Double {
        max(0.001, (value * 1_000).rounded(.up) / 1_000)
    }

    static func format(_ value: Double) -> String {
        String(format: "%.3f", value)
    }
}
