import Foundation
@testable import GuildhallBot
import GuildhallCore
import GuildhallDiscordGateway
import GuildhallDiscordModels
import GuildhallGuildSettings
import GuildhallTestSupport
import Synchronization
import Testing

/// Throws on every MESSAGE_CREATE: its failures must be logged and counted, not swallowed.
struct FailingHandler: GatewayEventHandler {
    struct Broken: Error {}

    func handle(_ event: ShardEvent) async throws {
        if case .messageCreate = event.event { throw Broken() }
    }
}

/// Holds every event of one shard until released: a handler slow on one shard.
final class StallingHandler: GatewayEventHandler {
    let shard: Int
    private let gate = Mutex<CheckedContinuation<Void, Never>?>(nil)
    private let released = Mutex(false)
    let stalled = Mutex(0)

    init(shard: Int) {
        self.shard = shard
    }

    func handle(_ event: ShardEvent) async throws {
        guard event.shardID == shard, case .messageCreate = event.event, !released.withLock({ $0 }) else { return }
        stalled.withLock { $0 += 1 }
        await withCheckedContinuation { continuation in
            let open = released.withLock { released -> Bool in
                if !released { gate.withLock { $0 = continuation } }
                return released
            }
            if open { continuation.resume() }
        }
    }

    func release() {
        released.withLock { $0 = true }
        gate.withLock { $0 }?.resume()
    }
}

@Suite("the bot's event pipeline")
struct EventPipelineTests {
    @Test("a handler's error is logged and counted, and the handlers after it still run")
    func handlerErrorsAreLogged() async throws {
        let harness = try await SandboxBotHarness.start(guilds: 2, shards: 1) { _, _ in [FailingHandler()] }
        defer { Task { await harness.stop() } }
        #expect(try await harness.waitUntilReady())
        let guild = harness.guilds[0]
        let message = try harness.sandbox.control.postMessage(channelID: harness.textChannel(of: guild), userID: guild.ownerID, content: "hello")
        let logged = await waitUntil { !harness.logs.with(message: "a gateway handler failed").isEmpty }
        #expect(logged)
        let entry = try #require(harness.logs.with(message: "a gateway handler failed").first)
        #expect(entry.metadata["handler"] == "FailingHandler" && entry.metadata["event"] == "MESSAGE_CREATE")
        // The recorder runs before the failing handler; a second post proves the loop goes on.
        let second = try harness.sandbox.control.postMessage(channelID: harness.textChannel(of: guild), userID: guild.ownerID, content: "again")
        #expect(await waitUntil { Set(harness.recorder.named("MESSAGE_CREATE").compactMap(\.messageID)).isSuperset(of: [message.id, second.id]) })
        #expect(await waitUntil { harness.logs.with(message: "a gateway handler failed").count == 2 })
    }

    @Test("a handler stalled on one shard holds that shard only: the other shard's events keep arriving")
    func shardsAreIndependent() async throws {
        let stalling = StallingHandler(shard: 0)
        let harness = try await SandboxBotHarness.start(guilds: 8, shards: 2) { _, _ in [stalling] }
        defer { Task { await harness.stop() } }
        #expect(try await harness.waitUntilReady())
        let onZero = try #require(harness.guilds.first { $0.id.shard(count: 2) == 0 })
        let onOne = try #require(harness.guilds.first { $0.id.shard(count: 2) == 1 })
        _ = try harness.sandbox.control.postMessage(channelID: harness.textChannel(of: onZero), userID: onZero.ownerID, content: "stall")
        #expect(await waitUntil { stalling.stalled.withLock { $0 } == 1 }, "shard 0's handler is now stuck")
        let through = try harness.sandbox.control.postMessage(channelID: harness.textChannel(of: onOne), userID: onOne.ownerID, content: "through")
        #expect(await waitUntil { harness.recorder.named("MESSAGE_CREATE").contains { $0.messageID == through.id } }, "shard 1 is not held by shard 0")
        let queued = try harness.sandbox.control.postMessage(channelID: harness.textChannel(of: onZero), userID: onZero.ownerID, content: "queued")
        // The positive signal: the event is in shard 0's queue, read but not handed on.
        #expect(await waitUntil { harness.runtime.manager.queues[0]?.count == 1 })
        #expect(!harness.recorder.named("MESSAGE_CREATE").contains { $0.messageID == queued.id }, "shard 0 waits behind its stalled handler")
        stalling.release()
        #expect(await waitUntil { harness.recorder.named("MESSAGE_CREATE").contains { $0.messageID == queued.id } })
    }
}
