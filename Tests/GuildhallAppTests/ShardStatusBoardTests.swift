import Foundation
@testable import GuildhallApp
import GuildhallBackends
import GuildhallCore
import GuildhallDiscordGateway
import Testing

@Suite("the shard status board")
struct ShardStatusBoardTests {
    @Test("a guild's shard reads down until a process says it is connected, and down again when it says so")
    func board() async throws {
        let backends = Backends.inProcess()
        let board = ShardStatusBoard(cache: backends.cache)
        let guild = Snowflake(80_351_110_224_678_912)
        #expect(await board.isDown(guild: guild), "nobody has written anything: not known to be connected")

        let manager = try ShardManager(configuration: .init(token: "board-test", intents: [.guilds], shardIDs: [0, 1], shardCount: 2, gatewayURL: "ws://127.0.0.1:9/"))
        try await board.publish(manager)
        #expect(await board.isDown(guild: guild), "a shard that has not connected is down")
        #expect(try await backends.cache.get(GatewayKeys.shardCount.key(guild: Keyspace.platform)) == "2")

        let shard = guild.shard(count: 2)
        try await backends.cache.set(try GatewayKeys.shardStatus.key(guild: Keyspace.platform, String(shard)), "connected", ttl: .seconds(30))
        #expect(await !board.isDown(guild: guild))
        #expect(try await backends.cache.timeToLive(GatewayKeys.shardStatus.key(guild: Keyspace.platform, String(shard))).map { $0 <= .seconds(30) } == true)

        let service = ShardStatusService(board: board, manager: manager, logger: .init(label: "test"), interval: .milliseconds(20))
        let task = Task { try await service.run() }
        try await Task.sleep(for: .milliseconds(100))
        task.cancel()
        try await task.value
        #expect(await board.isDown(guild: guild), "the service rewrote the real status: not connected")
    }
}
