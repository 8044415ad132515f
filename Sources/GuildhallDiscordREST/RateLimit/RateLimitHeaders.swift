import Foundation
import NIOHTTP1

/// Which limit a 429 came from (`X-RateLimit-Scope`).
public enum RateLimitScope: String, Sendable, Hashable, Codable {
    /// This bot's per-route limit.
    case user
    /// The bot's global limit.
    case global
    /// A per-resource limit shared by everyone; does not count as an invalid request.
    case shared
}

/// What Discord's rate-limit headers said about one response (FACTS §3.2). Every field is
/// optional: Discord leaves them out on some routes and on errors from its edge.
public struct RateLimitHeaders: Sendable, Hashable {
    public var limit: Int?
    public var remaining: Int?
    /// Until the bucket's window resets (`X-RateLimit-Reset-After`, or `X-RateLimit-Reset`
    /// relative to the local wall clock when only that is present).
    public var resetAfter: Duration?
    /// The opaque bucket hash, when it is usable as a key segment.
    public var bucket: String?
    public var scope: RateLimitScope?
    /// `X-RateLimit-Global: true`, sent on 429s caused by the global limit.
    public var isGlobal: Bool
    /// `Retry-After`, on 429s.
    public var retryAfter: Duration?

    public init(
        limit: Int? = nil, remaining: Int? = nil, resetAfter: Duration? = nil, bucket: String? = nil,
        scope: RateLimitScope? = nil, isGlobal: Bool = false, retryAfter: Duration? = nil
    ) {
        self.limit = limit
        self.remaining = remaining
        self.resetAfter = resetAfter
        self.bucket = bucket
        self.scope = scope
        self.isGlobal = isGlobal
        self.retryAfter = retryAfter
    }

    /// Reads the headers of a response. Malformed values are ignored rather than trusted:
    /// a negative count or a non-numeric reset is as good as absent.
    public init(headers: HTTPHeaders, now: Date = Date()) {
        self.init()
        limit = headers.first(name: "X-RateLimit-Limit").flatMap { Int($0.trimmed) }.flatMap { $0 >= 0 ? $0 : nil }
        remaining = headers.first(name: "X-RateLimit-Remaining").flatMap { Int($0.trimmed) }.flatMap { $0 >= 0 ? $0 : nil }
        if let after = headers.first(name: "X-RateLimit-Reset-After").flatMap(Self.seconds) {
            resetAfter = after
        } else if let reset = headers.first(name: "X-RateLimit-Reset").flatMap({ Double($0.trimmed) }), reset.isFinite {
            resetAfter = .milliseconds(max(0, Int64(((reset - now.timeIntervalSince1970) * 1000).rounded(.up))))
        }
        bucket = headers.first(name: "X-RateLimit-Bucket").map(\.trimmed).flatMap(Self.validBucket)
        scope = headers.first(name: "X-RateLimit-Scope").flatMap { RateLimitScope(rawValue: $0.trimmed.lowercased()) }
        isGlobal = headers.first(name: "X-RateLimit-Global").map { $0.trimmed.lowercased() == "true" } ?? false
        retryAfter = headers.first(name: "Retry-After").flatMap(Self.seconds)
    }

    /// True when the response described its bucket well enough to budget with.
    public var describesBucket: Bool { limit != nil && remaining != nil && resetAfter != nil }

    /// True for a 429 from the global limit (either header says so).
    public var isGlobalLimit: Bool { isGlobal || scope == .global }

    /// Fractional seconds as a duration, rounded up to whole milliseconds; nil when malformed.
    static func seconds(_ text: String) -> Duration? {
        Double(text.trimmed).flatMap(duration(seconds:))
    }

    static func duration(seconds value: Double) -> Duration? {
        guard value.isFinite, value >= 0, value < 1e9 else { return nil }
        return .milliseconds(Int64((value * 1000).rounded(.up)))
    }

    /// Bucket hashes become part of Redis keys: only plain segments up to 64 characters.
    static func validBucket(_ text: String) -> String? {
        guard !text.isEmpty, text.utf8.count <= 64,
              text.utf8.allSatisfy({ $0.isASCIIAlphanumeric || $0 == UInt8(ascii: "_") || $0 == UInt8(ascii: "-") }) else { return nil }
        return text
    }
}

extension UInt8 {
    var isASCIIAlphanumeric: Bool {
        (self >= 0x30 && self <= 0x39) || (self >= 0x41 && self <= 0x5A) || (self >= 0x61 && self <= 0x7A)
    }
}

extension String {
    var trimmed: String { trimmingCharacters(in: .whitespaces) }
}
