import GuildhallCore
import Synchronization

/// The embedded role's cache: the same contract as Redis, in this process's memory.
public final class InProcessCache: CacheBackend {
    private let state = Mutex(InProcessStore())
    private let clock: MonotonicClock

    public init(clock: MonotonicClock = .system) {
        self.clock = clock
    }

    public func get(_ key: RedisKey) async throws -> String? {
        let now = clock.milliseconds()
        return state.withLock { $0.get(key.rawValue, now: now) }
    }

    public func set(_ key: RedisKey, _ value: String, ttl: Duration?) async throws {
        let ttl = try TTLPolicy.effectiveTTL(for: key, requested: ttl)
        let now = clock.milliseconds()
        state.withLock { $0.set(key.rawValue, value, expiresAt: ttl.map { now + UInt64($0.wholeMilliseconds) }) }
    }

    @discardableResult
    public func delete(_ keys: [RedisKey]) async throws -> Int {
        let now = clock.milliseconds()
        return state.withLock { store in keys.filter { store.delete($0.rawValue, now: now) }.count }
    }

    public func increment(_ key: RedisKey, by delta: Int64) async throws -> Int64 {
        let ttl = try TTLPolicy.effectiveTTL(for: key, requested: nil)
        let now = clock.milliseconds()
        return try state.withLock { store in
            let isNew = store.get(key.rawValue, now: now) == nil
            let value = try store.increment(key.rawValue, by: delta, now: now)
            if isNew, let ttl { _ = store.expire(key.rawValue, at: now + UInt64(ttl.wholeMilliseconds), now: now) }
            return value
        }
    }

    public func timeToLive(_ key: RedisKey) async throws -> Duration? {
        let now = clock.milliseconds()
        let pttl = state.withLock { $0.pttl(key.rawValue, now: now) }
        return pttl >= 0 ? .milliseconds(pttl) : nil
    }

    public func run(_ script: CacheScript, keys: [RedisKey], arguments: [String]) async throws -> ScriptValue {
        let now = clock.milliseconds()
        return try state.withLock { store in
            var context = LocalScriptContext(keys: keys.map(\.rawValue), arguments: arguments, store: store, now: now)
            let result = try script.local(&context)
            store = context.store
            return result
        }
    }

    /// Drops expired entries (the sweeper service calls this); returns how many.
    @discardableResult
    public func sweepExpired() -> Int {
        let now = clock.milliseconds()
        return state.withLock { $0.sweep(now: now) }
    }

    /// Every live key (tests check the keyspace through it).
    public func keys() -> [String] {
        let now = clock.milliseconds()
        return state.withLock { store in store.keys.filter { store.exists($0, now: now) } }
    }
}
