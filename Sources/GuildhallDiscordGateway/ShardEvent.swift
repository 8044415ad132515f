import GuildhallDiscordModels

/// One dispatch as a shard manager hands it out: which shard, its sequence number on that
/// shard's session, and the decoded event.
public struct ShardEvent: Sendable {
    public let shardID: Int
    /// `s` of the dispatch; sequences rise by one per dispatch within a session.
    public let sequence: Int?
    public let event: GatewayEvent

    public init(shardID: Int, sequence: Int?, event: GatewayEvent) {
        self.shardID = shardID
        self.sequence = sequence
        self.event = event
    }
}
