import GuildhallCore

/// One message received on a channel.
public struct PubSubMessage: Sendable, Equatable {
    public let channel: String
    public let payload: String

    public init(channel: String, payload: String) {
        self.channel = channel
        self.payload = payload
    }
}

/// Fan-out messages between processes (Redis) or within one (in-process): used to tell
/// every process that a guild's cached configuration changed.
public protocol PubSubBackend: Sendable {
    /// Delivers `payload` to every current subscriber of `channel`; returns how many received it
    /// (Redis counts subscribed connections, the in-process backend counts subscriptions).
    @discardableResult
    func publish(_ channel: RedisKey, _ payload: String) async throws -> Int
    /// Messages on these channels from now on, until the stream's consumer stops iterating.
    /// Returns once the subscription is active, so nothing published afterwards is missed.
    func subscribe(_ channels: [RedisKey]) async throws -> AsyncStream<PubSubMessage>
}

/// Checks that only channel kinds are used as channels.
enum ChannelCheck {
    static func require(_ keys: [RedisKey]) throws {
        for key in keys {
            guard case .channel = key.kind.lifetime else {
                throw GuildhallError(.invalidKey, "\(key.kind.pattern) is not declared as a pub/sub channel")
            }
        }
    }
}
