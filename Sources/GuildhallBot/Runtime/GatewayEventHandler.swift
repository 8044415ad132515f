import GuildhallDiscordGateway
import GuildhallDiscordModels

/// A feature's reaction to gateway events (XP on MESSAGE_CREATE, automod, entitlements…).
/// Handlers are called in order per shard; anything slow belongs in a job, not here.
public protocol GatewayEventHandler: Sendable {
    func handle(_ event: ShardEvent) async
}
