import GuildhallCore
import GuildhallRedis

/// Pub/sub across processes on Redis. Each subscription holds its own connection, which
/// the client re-subscribes after a reconnect.
public final class RedisPubSub: PubSubBackend {
    public let client: RedisClient

    public init(client: RedisClient) {
        self.client = client
    }

    @discardableResult
    public func publish(_ channel: RedisKey, _ payload: String) async throws -> Int {
        try ChannelCheck.require([channel])
        return try await client.publish(channel.rawValue, payload)
    }

    public func subscribe(_ channels: [RedisKey]) async throws -> AsyncStream<PubSubMessage> {
        try ChannelCheck.require(channels)
        let subscription = try await client.subscribe(to: channels.map(\.rawValue))
        let (stream, continuation) = AsyncStream<PubSubMessage>.makeStream(bufferingPolicy: .bufferingNewest(10_000))
        let pump = Task {
            for await message in subscription {
                continuation.yield(PubSubMessage(channel: message.channel, payload: message.payload))
            }
            continuation.finish()
        }
        continuation.onTermination = { _ in
            pump.cancel()
            Task { await subscription.unsubscribe() }
        }
        return stream
    }
}
