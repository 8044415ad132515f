import Foundation
import Synchronization

/// Discord's per-route limits as a scripted server plays them: a fixed window per
/// (bucket, major) that starts with its first request, and headers on every answer.
/// It also counts the 429s it had to send, which a well-behaved client keeps at zero.
final class ServerBuckets: Sendable {
    struct Window {
        var count: Int
        var endsAt: ContinuousClock.Instant
    }

    private let windows = Mutex<[String: Window]>([:])
    private let refusals = Mutex<Int>(0)

    var refusedCount: Int { refusals.withLock { $0 } }

    /// Counts one request; returns the answer's rate-limit headers and whether it may proceed.
    func take(hash: String, major: String, limit: Int, window: Duration) -> (allowed: Bool, headers: [(String, String)], retryAfter: Double) {
        let now = ContinuousClock.now
        let key = "\(hash)|\(major)"
        let (allowed, remaining, left): (Bool, Int, Duration) = windows.withLock { windows in
            var current = windows[key].flatMap { now < $0.endsAt ? $0 : nil } ?? Window(count: 0, endsAt: now + window)
            let allowed = current.count < limit
            if allowed { current.count += 1 }
            windows[key] = current
            return (allowed, max(0, limit - current.count), current.endsAt - now)
        }
        if !allowed { refusals.withLock { $0 += 1 } }
        let seconds = Double(left.components.seconds) + Double(left.components.attoseconds) / 1e18
        let resetAfter = String(format: "%.3f", max(0.001, seconds))
        var headers: [(String, String)] = [
            ("X-RateLimit-Limit", String(limit)), ("X-RateLimit-Remaining", String(remaining)),
            ("X-RateLimit-Reset-After", resetAfter), ("X-RateLimit-Bucket", hash),
            ("X-RateLimit-Reset", String(format: "%.3f", Date().timeIntervalSince1970 + seconds)),
        ]
        if !allowed {
            headers += [("X-RateLimit-Scope", "user"), ("Retry-After", String(Int(seconds.rounded(.up))))]
        }
        return (allowed, headers, max(0.001, seconds))
    }

    /// Discord's 429 body.
    static func tooManyRequestsBody(retryAfter: Double, global: Bool = false) -> String {
        #"{"message": "You are being rate limited.", "retry_after": \#(String(format: "%.3f", retryAfter)), "global": \#(global)}"#
    }
}
