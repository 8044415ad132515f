import GuildhallBackends
import GuildhallCore
import GuildhallFixtures
import Testing

@Suite("Pub/sub contract (in-process and Redis)")
struct PubSubContractTests {
    @Test("subscribers receive what is published after they subscribed", arguments: BackendKind.allCases)
    func delivery(kind: BackendKind) async throws {
        let (backends, close) = try await kind.make()
        var factory = MockFactory.random()
        let channel = try TestKeys.channel.key(guild: factory.snowflake())
        let other = try TestKeys.channel.key(guild: factory.snowflake())
        let stream = try await backends.pubSub.subscribe([channel])
        #expect(try await backends.pubSub.publish(other, "not for us") == 0)
        #expect(try await backends.pubSub.publish(channel, "one") == 1)
        try await backends.pubSub.publish(channel, "two")
        var received: [PubSubMessage] = []
        for await message in stream {
            received.append(message)
            if received.count == 2 { break }
        }
        #expect(received == [PubSubMessage(channel: channel.rawValue, payload: "one"), PubSubMessage(channel: channel.rawValue, payload: "two")])
        await close()
    }

    @Test("only channel kinds may be used as channels", arguments: BackendKind.allCases)
    func channelsOnly(kind: BackendKind) async throws {
        let (backends, close) = try await kind.make()
        var factory = MockFactory.random()
        let notChannel = try TestKeys.short.key(guild: factory.snowflake())
        await #expect(throws: GuildhallError.self) { try await backends.pubSub.publish(notChannel, "x") }
        await #expect(throws: GuildhallError.self) { _ = try await backends.pubSub.subscribe([notChannel]) }
        await close()
    }

    @Test("a subscription that stops being read is removed")
    func inProcessCleanup() async throws {
        let pubSub = InProcessPubSub()
        var factory = MockFactory.random()
        let channel = try TestKeys.channel.key(guild: factory.snowflake())
        do {
            let stream = try await pubSub.subscribe([channel])
            #expect(pubSub.subscriberCount == 1)
            _ = stream
        }
        // The stream went out of scope: its termination handler ran.
        for _ in 0..<100 where pubSub.subscriberCount > 0 { try await Task.sleep(for: .milliseconds(10)) }
        #expect(pubSub.subscriberCount == 0)
    }
}
