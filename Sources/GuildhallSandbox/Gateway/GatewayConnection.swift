import NIOCore
import Synchronization

/// One client's socket as the hub sees it: an ordered queue of frames for the writer task,
/// a pending close, and the protocol machine. Frames from dispatches, replays and
/// acknowledgements all go through the one queue, so the client sees them in the order the
/// hub decided them.
final class GatewayConnection: Sendable {
    enum Batch: Sendable {
        case frames([ByteBuffer])
        case close(code: Int, reason: String)
        case finished
    }

    private struct State: Sendable {
        var pending: [ByteBuffer] = []
        var waiter: CheckedContinuation<Void, Never>?
        var close: (code: Int, reason: String)?
        var finished = false
        var machine: GatewayConnectionMachine
        var sessionID: String?
        var sent = 0
    }

    let id: Int
    /// The URL path the client connected to (`/gateway` or the resume path).
    let path: String
    private let state: Mutex<State>
    private let abruptDrop: @Sendable () -> Void

    init(id: Int, path: String, machine: GatewayConnectionMachine, abruptDrop: @escaping @Sendable () -> Void) {
        self.id = id
        self.path = path
        state = Mutex(State(machine: machine))
        self.abruptDrop = abruptDrop
    }

    func enqueue(_ frame: ByteBuffer) {
        let waiter = state.withLock { state -> CheckedContinuation<Void, Never>? in
            guard !state.finished, state.close == nil else { return nil }
            state.pending.append(frame)
            defer { state.waiter = nil }
            return state.waiter
        }
        waiter?.resume()
    }

    func enqueue(contentsOf frames: [ByteBuffer]) {
        guard !frames.isEmpty else { return }
        let waiter = state.withLock { state -> CheckedContinuation<Void, Never>? in
            guard !state.finished, state.close == nil else { return nil }
            state.pending.append(contentsOf: frames)
            defer { state.waiter = nil }
            return state.waiter
        }
        waiter?.resume()
    }

    /// Sends what is queued, then closes with `code`. Later frames are dropped.
    func requestClose(code: Int, reason: String) {
        let waiter = state.withLock { state -> CheckedContinuation<Void, Never>? in
            guard state.close == nil, !state.finished else { return nil }
            state.close = (code, reason)
            state.machine.markClosed()
            defer { state.waiter = nil }
            return state.waiter
        }
        waiter?.resume()
    }

    /// Cuts the TCP connection with no close frame, as a network failure would.
    func drop() {
        finish()
        abruptDrop()
    }

    /// The writer has stopped: wake it if waiting, refuse further frames.
    func finish() {
        let waiter = state.withLock { state -> CheckedContinuation<Void, Never>? in
            state.finished = true
            state.machine.markClosed()
            defer { state.waiter = nil }
            return state.waiter
        }
        waiter?.resume()
    }

    /// Frames not yet handed to the socket (the traffic generator backs off when it grows).
    var backlog: Int { state.withLock { $0.pending.count } }

    /// Frames handed to the socket so far.
    var sentCount: Int { state.withLock { $0.sent } }

    var sessionID: String? { state.withLock { $0.sessionID } }

    /// Runs `body` on the connection's protocol machine under its lock.
    func withMachine<Result>(_ body: (inout GatewayConnectionMachine) -> Result) -> Result {
        state.withLock { body(&$0.machine) }
    }

    func attach(sessionID: String) {
        state.withLock {
            $0.sessionID = sessionID
            $0.machine.attached(to: sessionID)
        }
    }

    /// op 9 was sent: the client may start over on this connection.
    func detachSession() {
        state.withLock {
            $0.sessionID = nil
            $0.machine.detached()
        }
    }

    /// Waits for work for the writer: queued frames first, then a close, then the end.
    func nextBatch() async -> Batch {
        while true {
            if let batch = takeBatch() { return batch }
            await withCheckedContinuation { continuation in
                let ready = state.withLock { state -> Bool in
                    if !state.pending.isEmpty || state.close != nil || state.finished { return true }
                    state.waiter = continuation
                    return false
                }
                if ready { continuation.resume() }
            }
        }
    }

    private func takeBatch() -> Batch? {
        state.withLock { state in
            if !state.pending.isEmpty {
                let frames = state.pending
                state.pending.removeAll(keepingCapacity: true)
                state.sent += frames.count
                return .frames(frames)
            }
            if let close = state.close {
                state.finished = true
                return .close(code: close.code, reason: close.reason)
            }
            return state.finished ? .finished : nil
        }
    }
}
