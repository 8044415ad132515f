import Synchronization

/// At most `limit` pieces of work at once: `acquire` waits (in arrival order) while all
/// slots are taken. Used where a handler starts work it does not wait for, so a burst
/// of events slows the reader instead of growing memory without bound.
public final class InFlightLimit: Sendable {
    private struct State {
        var available: Int
        var waiters: [CheckedContinuation<Void, Never>] = []
        var head = 0
    }

    private let state: Mutex<State>
    public let limit: Int

    public init(_ limit: Int) {
        precondition(limit > 0, "an in-flight limit must be positive")
        self.limit = limit
        state = Mutex(State(available: limit))
    }

    public func acquire() async {
        let acquired = state.withLock { state -> Bool in
            guard state.available > 0 else { return false }
            state.available -= 1
            return true
        }
        if acquired { return }
        await withCheckedContinuation { continuation in
            let resumeNow = state.withLock { state -> Bool in
                // A slot may have come free between the two locks.
                if state.available > 0 {
                    state.available -= 1
                    return true
                }
                state.waiters.append(continuation)
                return false
            }
            if resumeNow { continuation.resume() }
        }
    }

    public func release() {
        let next = state.withLock { state -> CheckedContinuation<Void, Never>? in
            guard state.head < state.waiters.count else {
                state.available += 1
                return nil
            }
            let waiter = state.waiters[state.head]
            state.head += 1
            if state.head > 1_024, state.head * 2 > state.waiters.count {
                state.waiters.removeFirst(state.head)
                state.head = 0
            }
            return waiter
        }
        next?.resume()
    }

    /// Slots in use right now.
    public var inUse: Int { state.withLock { limit - $0.available } }
}
