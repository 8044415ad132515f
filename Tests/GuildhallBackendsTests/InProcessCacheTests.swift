import GuildhallBackends
import GuildhallCore
import GuildhallFixtures
import Synchronization
import Testing

/// The in-process cache with a clock the test drives: expiry without sleeping.
@Suite("In-process cache with an injected clock")
struct InProcessCacheTests {
    final class ManualClock: Sendable {
        let now = Mutex<UInt64>(1_000)
        func advance(_ milliseconds: UInt64) { now.withLock { $0 += milliseconds } }
        var clock: MonotonicClock { MonotonicClock { self.now.withLock { $0 } } }
    }

    @Test("expiry follows the injected clock, and sweeping frees memory")
    func drivenExpiry() async throws {
        let time = ManualClock()
        let cache = InProcessCache(clock: time.clock)
        var factory = MockFactory.random()
        let guild = factory.snowflake()
        let short = try TestKeys.short.key(guild: guild)
        let long = try TestKeys.long.key(guild: guild, "kept")
        try await cache.set(short, "a")
        try await cache.set(long, "b")
        #expect(Set(cache.keys()) == [short.rawValue, long.rawValue])
        time.advance(299)
        #expect(try await cache.get(short) == "a")
        #expect(try await cache.timeToLive(short) == .milliseconds(1))
        time.advance(1)
        #expect(try await cache.get(short) == nil)
        #expect(cache.keys() == [long.rawValue])
        #expect(cache.sweepExpired() == 1)
        #expect(cache.sweepExpired() == 0)
        #expect(try await cache.increment(short, by: 2) == 2, "an expired counter starts again from zero")
    }

    @Test("the system clock moves forward")
    func systemClock() async throws {
        let first = MonotonicClock.system.milliseconds()
        try await Task.sleep(for: .milliseconds(20))
        #expect(MonotonicClock.system.milliseconds() >= first + 10)
    }

    @Test("increments that would overflow are refused")
    func overflow() async throws {
        let cache = InProcessCache()
        var factory = MockFactory.random()
        let key = try TestKeys.long.key(guild: factory.snowflake(), "big")
        try await cache.set(key, String(Int64.max))
        await #expect(throws: GuildhallError.self) { _ = try await cache.increment(key, by: 1) }
    }

    @Test("a script sees its writes and a failing script changes nothing")
    func scriptAtomicity() async throws {
        let cache = InProcessCache()
        var factory = MockFactory.random()
        let key = try TestKeys.long.key(guild: factory.snowflake(), "atomic")
        let failing = CacheScript(name: "fails", lua: "", local: { context in
            context.set(context.keys[0], "half-done", milliseconds: 1000)
            throw GuildhallError(.internalError, "boom")
        })
        await #expect(throws: GuildhallError.self) { _ = try await cache.run(failing, keys: [key], arguments: []) }
        #expect(try await cache.get(key) == nil)
        #expect(try await cache.timeToLive(key) == nil)
    }
}
