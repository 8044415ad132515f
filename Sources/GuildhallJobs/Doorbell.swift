import Synchronization

/// Wakes the worker's claim loop early: when a job finishes (a slot is free) or shutdown
/// begins. One waiter at a time; a ring with nobody waiting is kept for the next wait.
final class Doorbell: Sendable {
    private struct State {
        var rung = false
        var generation = 0
        var waiter: (generation: Int, continuation: CheckedContinuation<Void, Never>)?
    }

    private let state = Mutex(State())

    func ring() {
        let waiter = state.withLock { state -> CheckedContinuation<Void, Never>? in
            guard let waiter = state.waiter else {
                state.rung = true
                return nil
            }
            state.waiter = nil
            return waiter.continuation
        }
        waiter?.resume()
    }

    /// Returns on a ring or after `timeout`, whichever is first.
    func wait(timeout: Duration) async {
        let generation: Int? = state.withLock { state in
            if state.rung {
                state.rung = false
                return nil
            }
            state.generation += 1
            return state.generation
        }
        guard let generation else { return }
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let ringing = state.withLock { state -> Bool in
                if state.rung {
                    state.rung = false
                    return true
                }
                state.waiter = (generation, continuation)
                return false
            }
            if ringing {
                continuation.resume()
                return
            }
            Task {
                try? await Task.sleep(for: timeout)
                self.expire(generation)
            }
        }
    }

    private func expire(_ generation: Int) {
        let waiter = state.withLock { state -> CheckedContinuation<Void, Never>? in
            guard let waiter = state.waiter, waiter.generation == generation else { return nil }
            state.waiter = nil
            return waiter.continuation
        }
        waiter?.resume()
    }
}
