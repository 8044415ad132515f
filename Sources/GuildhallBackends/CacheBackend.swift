import GuildhallCore

/// Shared, expiring state: Redis in production, memory in the embedded role. Every key is a
/// `RedisKey`, so every write carries the TTL its kind declares.
public protocol CacheBackend: Sendable {
    /// The value, or nil when missing or expired.
    func get(_ key: RedisKey) async throws -> String?
    /// Stores a value with `ttl`, or the kind's declared TTL when `ttl` is nil. A TTL longer
    /// than the declared one is refused, so no key outlives its declaration.
    func set(_ key: RedisKey, _ value: String, ttl: Duration?) async throws
    /// Deletes keys; returns how many existed.
    @discardableResult
    func delete(_ keys: [RedisKey]) async throws -> Int
    /// Adds `delta` atomically; a new key starts at 0 and gets the kind's TTL.
    func increment(_ key: RedisKey, by delta: Int64) async throws -> Int64
    /// Remaining lifetime; nil when the key is missing or has no TTL.
    func timeToLive(_ key: RedisKey) async throws -> Duration?
    /// Runs a script atomically: Lua on Redis, its Swift twin in memory.
    func run(_ script: CacheScript, keys: [RedisKey], arguments: [String]) async throws -> ScriptValue
}

extension CacheBackend {
    public func set(_ key: RedisKey, _ value: String) async throws {
        try await set(key, value, ttl: nil)
    }
}

/// The TTL rules every backend applies to writes.
public enum TTLPolicy {
    /// The TTL a write must use: the caller's (bounded by the declaration) or the declared one.
    public static func effectiveTTL(for key: RedisKey, requested: Duration?) throws -> Duration? {
        switch key.kind.lifetime {
        case .channel:
            throw GuildhallError(.invalidKey, "\(key.kind.pattern) is a pub/sub channel; nothing may be stored under it")
        case .persistent:
            guard requested == nil else {
                throw GuildhallError(.invalidKey, "\(key.kind.pattern) is declared persistent; it takes no TTL")
            }
            return nil
        case .expiring(let declared):
            guard let requested else { return declared }
            guard requested > .zero, requested <= declared else {
                throw GuildhallError(.invalidKey, "TTL \(requested) for \(key.kind.pattern) must be positive and at most the declared \(declared)")
            }
            return requested
        }
    }
}
