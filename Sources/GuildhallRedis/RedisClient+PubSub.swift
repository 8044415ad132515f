import NIOCore

extension RedisClient {
    /// Subscribes to `channels` on a connection of its own; returns once the server confirmed
    /// every channel, so a message published after this returns is delivered.
    public func subscribe(to channels: [String]) async throws -> RedisSubscription {
        guard !channels.isEmpty else {
            throw RedisError(.invalidConfiguration, "subscribe needs at least one channel")
        }
        guard !pool.isClosed else {
            throw RedisError(.poolClosed, "the Redis client is closed")
        }
        let (stream, continuation) = AsyncStream.makeStream(of: RedisPubSubMessage.self)
        let driver = RedisSubscriptionDriver(
            channels: channels,
            configuration: configuration,
            group: eventLoopGroup,
            logger: logger,
            continuation: continuation,
            onStop: { [weak self] driver in self?.unregister(driver) }
        )
        register(driver)
        try await driver.start()
        return RedisSubscription(channels: channels, driver: driver, stream: stream)
    }

    /// Publishes `message` on `channel`; returns how many subscribers received it.
    @discardableResult
    public func publish(_ channel: String, _ message: String) async throws -> Int {
        try await send(["PUBLISH", channel, message]).intValue()
    }
}
