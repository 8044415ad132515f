import GuildhallBackends
import Synchronization

/// The limiter for one process (the embedded `serve` role, or a process that owns its bot
/// token alone): `RESTRateLimitState` behind a mutex, on an injectable monotonic clock.
public final class InProcessRESTRateLimitStore: RESTRateLimitStore {
    private let state = Mutex(RESTRateLimitState())
    private let clock: MonotonicClock

    public init(clock: MonotonicClock = .system) {
        self.clock = clock
    }

    public func acquire(_ request: RESTRateLimitRequest) async throws -> RESTRateLimitDecision {
        try request.validate()
        let now = Int64(clock.milliseconds())
        return state.withLock { $0.acquire(request, now: now) }
    }

    @discardableResult
    public func complete(_ ticket: RESTRateLimitTicket, outcome: RESTRateLimitOutcome) async throws -> RESTRateLimitCompletion {
        let now = Int64(clock.milliseconds())
        return state.withLock { $0.complete(ticket, outcome: outcome, now: now) }
    }
}
