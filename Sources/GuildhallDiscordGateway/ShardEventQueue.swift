import Synchronization

/// One shard's dispatches on their way to the bot, first in first out, holding at most
/// `capacity`. The shard's reader waits while it is full, so a slow consumer slows that
/// shard's reading instead of growing memory without bound (Discord then sees a slower
/// reader, and a consumer stalled past a heartbeat interval makes the shard resume). The
/// consumer waits while it is empty. One producer and one consumer at a time.
public final class ShardEventQueue: AsyncSequence, Sendable {
    public typealias Element = ShardEvent

    private struct State {
        var buffer: [ShardEvent?] = []
        var head = 0
        var count = 0
        var finished = false
        var consumer: CheckedContinuation<ShardEvent?, Never>?
        var consumerID = 0
        var producers: [(id: Int, continuation: CheckedContinuation<Void, Never>)] = []
        var nextWaiterID = 1
    }

    public let capacity: Int
    private let state: Mutex<State>

    public init(capacity: Int) {
        precondition(capacity > 0, "a shard event queue holds at least one event")
        self.capacity = capacity
        state = Mutex(State(buffer: Array(repeating: nil, count: capacity)))
    }

    /// How many events wait for the consumer.
    public var count: Int { state.withLock { $0.count } }

    /// Adds `event`, waiting while the queue is full. Returns without adding it once the
    /// queue is finished (or the producer's task is cancelled while it waits).
    public func push(_ event: ShardEvent) async {
        while true {
            let waiterID = state.withLock { state -> Int? in
                if state.finished { return nil }
                if let consumer = state.consumer {
                    state.consumer = nil
                    consumer.resume(returning: event)
                    return nil
                }
                if state.count < capacity {
                    state.buffer[(state.head + state.count) % capacity] = event
                    state.count += 1
                    return nil
                }
                defer { state.nextWaiterID += 1 }
                return state.nextWaiterID
            }
            guard let waiterID else { return }
            await withTaskCancellationHandler {
                await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
                    let resumeNow = state.withLock { state -> Bool in
                        if state.finished || state.count < capacity || Task.isCancelled { return true }
                        state.producers.append((waiterID, continuation))
                        return false
                    }
                    if resumeNow { continuation.resume() }
                }
            } onCancel: {
                let waiting = state.withLock { state -> CheckedContinuation<Void, Never>? in
                    guard let index = state.producers.firstIndex(where: { $0.id == waiterID }) else { return nil }
                    return state.producers.remove(at: index).continuation
                }
                waiting?.resume()
            }
            if Task.isCancelled { return }
        }
    }

    /// The next event, waiting while there is none; nil once the queue is finished and
    /// drained (or the consumer's task is cancelled while it waits).
    public func next() async -> ShardEvent? {
        enum Step { case event(ShardEvent), finished, wait(Int) }
        let step = state.withLock { state -> Step in
            if state.count > 0 { return .event(Self.pop(&state, capacity: capacity)) }
            if state.finished { return .finished }
            state.consumerID += 1
            return .wait(state.consumerID)
        }
        switch step {
        case .event(let event): return event
        case .finished: return nil
        case .wait(let id):
            return await withTaskCancellationHandler {
                await withCheckedContinuation { (continuation: CheckedContinuation<ShardEvent?, Never>) in
                    // An event may have arrived between the first look and now: take it.
                    let answer = state.withLock { state -> ShardEvent?? in
                        if state.count > 0 { return .some(Self.pop(&state, capacity: capacity)) }
                        if state.finished || Task.isCancelled || state.consumerID != id { return .some(nil) }
                        state.consumer = continuation
                        return nil
                    }
                    if let answer { continuation.resume(returning: answer) }
                }
            } onCancel: {
                let waiting = state.withLock { state -> CheckedContinuation<ShardEvent?, Never>? in
                    guard state.consumerID == id else { return nil }
                    defer { state.consumer = nil }
                    return state.consumer
                }
                waiting?.resume(returning: nil)
            }
        }
    }

    /// Takes the oldest event and lets one waiting producer try again.
    private static func pop(_ state: inout State, capacity: Int) -> ShardEvent {
        let event = state.buffer[state.head]!
        state.buffer[state.head] = nil
        state.head = (state.head + 1) % capacity
        state.count -= 1
        if !state.producers.isEmpty { state.producers.removeFirst().continuation.resume() }
        return event
    }

    /// No more events will come: the consumer drains what is left, then gets nil; waiting
    /// producers return without adding theirs.
    public func finish() {
        let (consumer, producers) = state.withLock { state -> (CheckedContinuation<ShardEvent?, Never>?, [CheckedContinuation<Void, Never>]) in
            state.finished = true
            defer {
                state.consumer = nil
                state.producers.removeAll()
            }
            return (state.count == 0 ? state.consumer : nil, state.producers.map(\.continuation))
        }
        consumer?.resume(returning: nil)
        for producer in producers { producer.resume() }
    }

    public struct AsyncIterator: AsyncIteratorProtocol {
        let queue: ShardEventQueue

        public mutating func next() async -> ShardEvent? {
            await queue.next()
        }
    }

    public func makeAsyncIterator() -> AsyncIterator {
        AsyncIterator(queue: self)
    }
}
