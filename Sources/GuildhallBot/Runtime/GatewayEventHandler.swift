import GuildhallDiscordGateway
import GuildhallDiscordModels

/// A feature's reaction to gateway events (XP on MESSAGE_CREATE, automod, entitlements…).
/// Handlers are called in order per shard; anything slow belongs in a job, not here. An
/// error thrown here is logged and counted by the runtime (and the next handler still runs).
public protocol GatewayEventHandler: Sendable {
    func handle(_ event: ShardEvent) async throws
}

/// A handler that also works on a timer (voice XP's tick). The runtime runs it beside the
/// shards and cancels it when they stop.
public protocol TickingGatewayEventHandler: GatewayEventHandler {
    func run() async throws
}
