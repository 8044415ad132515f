import Synchronization

/// What every REST request passes before its handler: the faults switched on, the rate
/// limits, and the count of invalid requests (401, 403 and non-shared 429) Discord bans an IP
/// for past 10,000 in 10 minutes. One lock guards all three.
final class SandboxRESTGate: Sendable {
    enum Verdict: Sendable {
        /// Go ahead after `delayMilliseconds`, then send `headers` with the answer.
        case proceed(delayMilliseconds: Int, headers: [(String, String)])
        /// A fault answers instead of the handler.
        case fault(SandboxRESTFault, delayMilliseconds: Int, headers: [(String, String)])
        /// The limiter refuses.
        case limited(scope: RateLimitDecision.Scope, retryAfter: Double, headers: [(String, String)])
    }

    struct Statistics: Sendable, Equatable {
        var requests = 0
        var rateLimited = 0
        var faulted = 0
        /// Invalid requests in the last 10 minutes.
        var invalidLastTenMinutes = 0
        var perRoute: [String: Int] = [:]
    }

    private struct State: Sendable {
        var table: RateLimitTable
        var faults = SandboxFaultBoard()
        var invalid: [Double] = []
        var statistics = Statistics()
    }

    static let invalidWindow: Double = 600
    private let state: Mutex<State>

    init(policy: SandboxRateLimitPolicy) {
        state = Mutex(State(table: RateLimitTable(policy: policy)))
    }

    func admit(route: SandboxRoute, major: String?, token: String?, now: Double) -> Verdict {
        state.withLock { state in
            state.statistics.requests += 1
            state.statistics.perRoute[route.rawValue, default: 0] += 1
            let effect = state.faults.effect(for: route, now: now)
            if let refusal = effect.refusal {
                state.statistics.faulted += 1
                return .fault(refusal, delayMilliseconds: effect.delayMilliseconds,
                              headers: state.table.peekHeaders(route: route, major: major, now: now))
            }
            let decision = state.table.admit(route: route, major: major, token: token, now: now)
            if let limited = decision.limited {
                state.statistics.rateLimited += 1
                return .limited(scope: limited.scope, retryAfter: limited.retryAfter, headers: decision.headers)
            }
            return .proceed(delayMilliseconds: effect.delayMilliseconds, headers: decision.headers)
        }
    }

    /// Counts a 401, 403 or 429 answer (shared-scope 429s do not count, as on Discord).
    func recordInvalid(now: Double) {
        state.withLock { state in
            state.invalid.append(now)
            if state.invalid.count % 256 == 0 { state.invalid.removeAll { now - $0 > Self.invalidWindow } }
        }
    }

    func statistics(now: Double) -> Statistics {
        state.withLock { state in
            state.invalid.removeAll { now - $0 > Self.invalidWindow }
            var statistics = state.statistics
            statistics.invalidLastTenMinutes = state.invalid.count
            return statistics
        }
    }

    func addFault(_ fault: SandboxRESTFault) throws -> SandboxRESTFault {
        try state.withLock { try $0.faults.add(fault) }
    }

    func removeFault(id: Int) -> Bool { state.withLock { $0.faults.remove(id: id) } }
    func clearFaults() { state.withLock { $0.faults.clear() } }
    var faults: [SandboxRESTFault] { state.withLock { $0.faults.faults } }
}
