import GuildhallCore
import Synchronization
import Testing
@testable import GuildhallDiscordGateway

@Suite("Send limit, identify schedule and backoff")
struct LimiterTests {
    @Test func featureCommandsLeaveTheProtocolReserveFree() {
        var clock = ManualClock()
        var limiter = GatewaySendLimiter(limit: 5, window: .seconds(60), protocolReserve: 2)
        for _ in 0..<3 {
            #expect(limiter.nextSlot(forProtocol: false, now: clock.now) == clock.now)
            limiter.record(now: clock.now)
            clock.advance(by: .seconds(1))
        }
        // Three feature commands used the feature share; the next waits for the oldest to age out.
        #expect(limiter.remaining(forProtocol: false, now: clock.now) == 0)
        #expect(clock.offset(limiter.nextSlot(forProtocol: false, now: clock.now)) == "+60000ms")
        // Heartbeats still have the reserve.
        #expect(limiter.remaining(forProtocol: true, now: clock.now) == 2)
        #expect(limiter.nextSlot(forProtocol: true, now: clock.now) == clock.now)
        limiter.record(now: clock.now)
        limiter.record(now: clock.now)
        #expect(clock.offset(limiter.nextSlot(forProtocol: true, now: clock.now)) == "+60000ms")
        // The window slides: at 60 s the first send leaves it.
        clock.advance(to: clock.origin + .seconds(60))
        #expect(limiter.remaining(forProtocol: true, now: clock.now) == 1)
        #expect(limiter.remaining(forProtocol: false, now: clock.now) == 0)
        clock.advance(to: clock.origin + .seconds(200))
        #expect(limiter.remaining(forProtocol: false, now: clock.now) == 3)
    }

    @Test func discordsLimitIsTheDefault() {
        let limiter = GatewaySendLimiter()
        #expect(limiter.limit == 120)
        #expect(limiter.window == .seconds(60))
        #expect(limiter.protocolReserve > 0)
    }

    @Test func identifySlotsAreSpacedPerBucket() {
        var clock = ManualClock()
        var schedule = IdentifySchedule(spacing: .seconds(5))
        let bucket = { (shard: Int) in IdentifyWindow.bucket(shardID: shard, maxConcurrency: 2) }
        #expect(clock.offset(schedule.reserve(bucket: bucket(0), now: clock.now)) == "+0ms")
        #expect(clock.offset(schedule.reserve(bucket: bucket(1), now: clock.now)) == "+0ms", "another bucket identifies at once")
        #expect(clock.offset(schedule.reserve(bucket: bucket(2), now: clock.now)) == "+5000ms")
        #expect(clock.offset(schedule.reserve(bucket: bucket(4), now: clock.now)) == "+10000ms")
        #expect(clock.offset(schedule.reserve(bucket: bucket(3), now: clock.now)) == "+5000ms")
        clock.advance(by: .seconds(30))
        #expect(clock.offset(schedule.reserve(bucket: bucket(6), now: clock.now)) == "+30000ms", "an idle bucket is free at once")
        #expect(IdentifyWindow.spacing == .milliseconds(5500))
    }

    @Test func inProcessLimiterGrantsABucketInOrderOneWindowApart() async throws {
        let limiter = InProcessIdentifyLimiter(spacing: .seconds(1))
        let grants = Recorder<(Int, ContinuousClock.Instant)>()
        let start = ContinuousClock.now
        await withThrowingTaskGroup(of: Void.self) { group in
            for shard in [0, 2, 4] {
                group.addTask {
                    try await limiter.acquirePermit(shardID: shard, maxConcurrency: 2)
                    grants.append((shard, .now))
                }
                // Ask in shard order.
                try? await Task.sleep(for: .milliseconds(50))
            }
        }
        let recorded = grants.all
        #expect(recorded.map(\.0) == [0, 2, 4])
        if recorded.count == 3 {
            // A grant may be recorded late on a busy machine, never early: the k-th grant of the
            // bucket comes no sooner than k windows after the first request.
            #expect(start.duration(to: recorded[1].1) >= .milliseconds(950))
            #expect(start.duration(to: recorded[2].1) >= .milliseconds(1_950))
        }
    }

    @Test func cancelledPermitRequestThrows() async {
        let limiter = InProcessIdentifyLimiter(spacing: .seconds(30))
        try? await limiter.acquirePermit(shardID: 0, maxConcurrency: 1)
        let waiting = Task { try await limiter.acquirePermit(shardID: 0, maxConcurrency: 1) }
        waiting.cancel()
        await #expect(throws: CancellationError.self) { try await waiting.value }
    }

    @Test func backoffWaitsGrowToTheCapWithJitter() {
        let backoff = ReconnectBackoff(initial: .seconds(1), maximum: .seconds(10))
        let low = ShardRandomSource { 0 }
        let high = ShardRandomSource { 1 }
        #expect(backoff.delay(afterFailures: 0, random: high) == .zero)
        #expect(backoff.delay(afterFailures: 1, random: low) == .milliseconds(500))
        #expect(backoff.delay(afterFailures: 1, random: high) == .seconds(1))
        #expect(backoff.delay(afterFailures: 4, random: high) == .seconds(8))
        #expect(backoff.delay(afterFailures: 5, random: high) == .seconds(10))
        #expect(backoff.delay(afterFailures: 1000, random: low) == .seconds(5))
        // Out-of-range draws are clamped.
        #expect(backoff.delay(afterFailures: 1, random: ShardRandomSource { 7 }) == .seconds(1))
        #expect(ShardRandomSource { -3 }.duration(in: .seconds(1) ... .seconds(5)) == .seconds(1))
        #expect(ShardRandomSource.system.duration(in: .seconds(1) ... .seconds(5)) >= .seconds(1))
    }
}
