import Foundation
import GuildhallCore
import GuildhallDiscordModels
import GuildhallFixtures
import Synchronization
import Testing
@testable import GuildhallDiscordGateway

/// Collects a manager's event sequence in the background.
final class ManagerConsumer: Sendable {
    let log = EventLog()
    private let task: Mutex<Task<Void, Never>?> = Mutex(nil)

    init(_ manager: ShardManager) {
        let log = self.log
        task.withLock { $0 = Task { for await event in manager.events { log.append(event) } } }
    }

    func waitForEnd() async {
        _ = await task.withLock { $0 }?.value
    }
}

@Suite("ShardManager")
struct ShardManagerTests {
    static func configuration(server: ScriptedGateway, shards: [Int], count: Int, maxConcurrency: Int = 1) -> ShardManager.Configuration {
        var configuration = ShardManager.Configuration(
            token: Transport.token, intents: [.guilds, .guildMessages], shardIDs: shards, shardCount: count,
            gatewayURL: server.baseURL, maxConcurrency: maxConcurrency
        )
        configuration.invalidSessionWait = .milliseconds(100) ... .milliseconds(200)
        configuration.backoff = ReconnectBackoff(initial: .milliseconds(100), maximum: .seconds(1))
        configuration.closeTimeout = .seconds(2)
        configuration.permitRetryDelay = .milliseconds(100)
        return configuration
    }

    @Test func runsItsShardRangeAndEveryGuildsEventsArriveOnTheFormulasShard() async throws {
        var factory = MockFactory.random()
        let guilds = (0..<40).map { _ in factory.snowflake() }
        let server = ScriptedGateway(options: .init(guilds: guilds))
        try await server.start()
        let manager = try ShardManager(
            configuration: Self.configuration(server: server, shards: [0, 1, 2, 3], count: 8),
            identifyLimiter: InProcessIdentifyLimiter(spacing: .milliseconds(20)), random: ShardRandomSource { 0.5 },
            logger: Transport.quiet
        )
        let consumer = ManagerConsumer(manager)
        let running = Task { try await manager.run() }
        try await eventually("four shards connected") { manager.isHealthy }
        let served = guilds.filter { $0.shard(count: 8) < 4 }
        try await eventually("a GUILD_CREATE per served guild") { consumer.log.named("GUILD_CREATE").count == served.count }
        // Traffic: three messages per served guild, each on its own shard's session.
        for round in 1...3 {
            for guild in served { server.dispatch(Transport.message(guild: guild, number: round), shard: guild.shard(count: 8)) }
        }
        try await eventually("all messages") { consumer.log.named("MESSAGE_CREATE").count == served.count * 3 }

        for event in consumer.log.all {
            if let guild = event.event.guildID {
                #expect(event.shardID == guild.shard(count: 8), "\(event.event.name) of \(guild) on shard \(event.shardID)")
            }
        }
        for shard in 0..<4 {
            let sequences = consumer.log.sequences(shard: shard)
            #expect(sequences == Array(1...sequences.count), "shard \(shard) is contiguous")
        }
        #expect(Set(server.identifies.compactMap(\.shard)) == [0, 1, 2, 3])
        #expect(server.identifies.allSatisfy { $0.identify.shard?.count == 8 })
        #expect(manager.shardIDs == [0, 1, 2, 3])
        #expect(manager.snapshots.map(\.status) == Array(repeating: .connected, count: 4))
        #expect(manager.status(ofShard: 2) == .connected)
        #expect(manager.status(ofShard: 6) == nil)
        let guild = served[0]
        #expect(manager.shardID(for: guild) == guild.shard(count: 8))
        #expect(manager.shard(for: guild)?.shardID == guild.shard(count: 8))
        #expect(manager.shard(id: 7) == nil)

        // A guild's command goes out on its own shard; a guild another process serves is refused.
        try await manager.send(.requestGuildMembers(GatewayRequestGuildMembers(guildID: guild)), forGuild: guild)
        try await eventually("the member request") { !server.commands().isEmpty }
        #expect(server.received.last { !$0.command.isProtocolCommand }?.shard == guild.shard(count: 8))
        let elsewhere = try #require(guilds.first { $0.shard(count: 8) >= 4 })
        await #expect(throws: GuildhallError.self) {
            try await manager.send(.requestGuildMembers(GatewayRequestGuildMembers(guildID: elsewhere)), forGuild: elsewhere)
        }
        try await manager.broadcast(.presenceUpdate(GatewayPresenceUpdate(status: .idle)))
        try await eventually("presence on every shard") { server.commands().count == 5 }
        #expect(Set(server.received.filter { if case .presenceUpdate = $0.command { true } else { false } }.compactMap(\.shard)) == [0, 1, 2, 3])

        await manager.stop()
        #expect(await result(of: running) != nil)
        await consumer.waitForEnd()
        #expect(manager.snapshots.allSatisfy { $0.status == .stopped })
        #expect(!manager.isHealthy)
        await #expect(throws: GuildhallError.self) { try await manager.run() }
        await server.stop()
    }

    @Test func identifiesWaitForTheirBucketUnderMaxConcurrency() async throws {
        let server = ScriptedGateway()
        try await server.start()
        let spacing = Duration.milliseconds(1500)
        let manager = try ShardManager(
            configuration: Self.configuration(server: server, shards: [0, 1, 2, 3], count: 4, maxConcurrency: 2),
            identifyLimiter: InProcessIdentifyLimiter(spacing: spacing), logger: Transport.quiet
        )
        let consumer = ManagerConsumer(manager)
        let running = Task { try await manager.run() }
        try await eventually("four shards connected", timeout: .seconds(20)) { manager.isHealthy }
        let identifies = server.identifies
        #expect(identifies.count == 4)
        // Buckets are shard % 2: {0, 2} and {1, 3}. Within a bucket identifies are a window apart.
        for bucket in 0..<2 {
            let times = identifies.filter { ($0.shard ?? -1) % 2 == bucket }.map(\.at).sorted()
            #expect(times.count == 2)
            if times.count == 2 {
                // Server receipt times carry scheduling noise on a loaded machine; identifies that
                // shared a window would arrive together, so a third of the spacing tells them apart.
                #expect(times[0].duration(to: times[1]) >= .milliseconds(500), "bucket \(bucket) identified twice within a window")
            }
        }
        await manager.stop()
        _ = await result(of: running)
        await consumer.waitForEnd()
        await server.stop()
    }

    @Test func aFatalCloseOnOneShardStopsThemAll() async throws {
        let server = ScriptedGateway(options: .init(closeOnIdentify: [1: 4014]))
        try await server.start()
        let manager = try ShardManager(
            configuration: Self.configuration(server: server, shards: [0, 1], count: 2),
            identifyLimiter: InProcessIdentifyLimiter(spacing: .milliseconds(20)), logger: Transport.quiet
        )
        let consumer = ManagerConsumer(manager)
        let running = Task { try await manager.run() }
        let outcome = await result(of: running, within: .seconds(20))
        guard case .failure(let error as GuildhallError)? = outcome else {
            Issue.record("expected the fatal error, got \(String(describing: outcome))")
            await server.stop()
            return
        }
        #expect(error.code == .gatewayDisallowedIntents)
        #expect(manager.status(ofShard: 1) == .failed)
        #expect(manager.status(ofShard: 0) == .stopped)
        await consumer.waitForEnd()
        await server.stop()
    }

    @Test func identifyLimiterFailuresAreRetried() async throws {
        let limiter = FlakyLimiter(failures: 2)
        let running = try await RunningShard.start(limiter: limiter)
        try await running.waitForReady()
        #expect(limiter.calls == 3)
        #expect(running.shard.snapshot.identifies == 1)
        await running.finish()
    }
}

/// A limiter whose first calls fail (a Redis outage), then grants.
final class FlakyLimiter: IdentifyLimiter {
    private let remainingFailures: Mutex<Int>
    private let callCount = Mutex(0)

    init(failures: Int) {
        remainingFailures = Mutex(failures)
    }

    var calls: Int { callCount.withLock { $0 } }

    func acquirePermit(shardID: Int, maxConcurrency: Int) async throws {
        callCount.withLock { $0 += 1 }
        let fail = remainingFailures.withLock { remaining -> Bool in
            guard remaining > 0 else { return false }
            remaining -= 1
            return true
        }
        if fail { throw GuildhallError(.unavailable, "limiter backend down") }
    }
}
