import GuildhallCore
import Synchronization

/// Pub/sub inside one process: each subscription is an AsyncStream continuation.
public final class InProcessPubSub: PubSubBackend {
    private struct Subscriber {
        let channels: Set<String>
        let continuation: AsyncStream<PubSubMessage>.Continuation
    }

    private struct State {
        var nextID = 0
        var subscribers: [Int: Subscriber] = [:]
    }

    private let state = Mutex(State())

    public init() {}

    @discardableResult
    public func publish(_ channel: RedisKey, _ payload: String) async throws -> Int {
        try ChannelCheck.require([channel])
        let targets = state.withLock { state in
            state.subscribers.values.filter { $0.channels.contains(channel.rawValue) }.map(\.continuation)
        }
        let message = PubSubMessage(channel: channel.rawValue, payload: payload)
        for continuation in targets { continuation.yield(message) }
        return targets.count
    }

    public func subscribe(_ channels: [RedisKey]) async throws -> AsyncStream<PubSubMessage> {
        try ChannelCheck.require(channels)
        let (stream, continuation) = AsyncStream<PubSubMessage>.makeStream(bufferingPolicy: .bufferingNewest(10_000))
        let id = state.withLock { state in
            let id = state.nextID
            state.nextID += 1
            state.subscribers[id] = Subscriber(channels: Set(channels.map(\.rawValue)), continuation: continuation)
            return id
        }
        continuation.onTermination = { [weak self] _ in
            self?.state.withLock { _ = $0.subscribers.removeValue(forKey: id) }
        }
        return stream
    }

    /// Live subscriptions, for tests.
    public var subscriberCount: Int { state.withLock { $0.subscribers.count } }
}
