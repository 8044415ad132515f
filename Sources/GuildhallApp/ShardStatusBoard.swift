import GuildhallBackends
import GuildhallCore
import GuildhallKit
import GuildhallDiscordGateway
import Logging
import ServiceLifecycle

/// Where processes without shards (the API) learn whether a guild's shard is connected:
/// each gateway process writes its shards' status every 10 s with a 30 s TTL, so a shard
/// whose process died reads as down within half a minute.
struct ShardStatusBoard: Sendable {
    let cache: any CacheBackend

    /// Writes every shard of `manager` once.
    func publish(_ manager: ShardManager) async throws {
        try await cache.set(try GatewayKeys.shardCount.key(guild: Keyspace.platform), String(manager.configuration.shardCount), ttl: .seconds(30))
        for snapshot in manager.snapshots {
            let key = try GatewayKeys.shardStatus.key(guild: Keyspace.platform, String(snapshot.shardID))
            try await cache.set(key, snapshot.status.isHealthy ? "connected" : "down", ttl: .seconds(30))
        }
    }

    /// Whether the shard serving `guild` is down: true when its process says so, or when no
    /// process has written it lately. False only when it is known to be connected.
    func isDown(guild: Snowflake) async -> Bool {
        guard let countText = try? await cache.get(GatewayKeys.shardCount.key(guild: Keyspace.platform)), let count = Int(countText), count > 0 else {
            return true
        }
        let key = try? GatewayKeys.shardStatus.key(guild: Keyspace.platform, String(guild.shard(count: count)))
        guard let key, let status = try? await cache.get(key) else { return true }
        return status != "connected"
    }
}

/// Publishes the shards' status every `interval` until shutdown.
struct ShardStatusService: Service {
    let board: ShardStatusBoard
    let manager: ShardManager
    let logger: Logger
    var interval: Duration = .seconds(10)

    func run() async throws {
        try await stoppingQuietly {
            while !Task.isCancelled {
                do {
                    try await board.publish(manager)
                } catch {
                    logger.warning("could not publish the shards' status", metadata: ["error": "\(error)"])
                }
                try await Task.sleep(for: interval)
            }
        }
    }
}
