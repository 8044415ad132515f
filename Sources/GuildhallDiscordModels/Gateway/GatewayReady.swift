
/// READY: the session is established. Holds what a resume needs later.
public struct GatewayReady: Codable, Sendable, Hashable {
    /// `{id, flags}` of the bot's application.
    public struct Application: Codable, Sendable, Hashable {
        public var id: Snowflake
        public var flags: Int?

        public init(id: Snowflake, flags: Int? = nil) {
            self.id = id
            self.flags = flags
        }
    }

    /// The API version.
    public var version: Int
    /// The bot user.
    public var user: User
    /// The shard's guilds, all unavailable until their GUILD_CREATE arrives.
    public var guilds: [UnavailableGuild]
    public var sessionID: String
    /// Where to reconnect when resuming this session.
    public var resumeGatewayURL: String
    /// The `[shard_id, num_shards]` the session was identified with.
    public var shard: GatewayShardInfo?
    public var application: Application

    public init(
        version: Int = 10, user: User, guilds: [UnavailableGuild], sessionID: String, resumeGatewayURL: String,
        shard: GatewayShardInfo?, application: Application
    ) {
        self.version = version
        self.user = user
        self.guilds = guilds
        self.sessionID = sessionID
        self.resumeGatewayURL = resumeGatewayURL
        self.shard = shard
        self.application = application
    }

    enum CodingKeys: String, CodingKey {
        case user, guilds, shard, application
        case version = "v"
        case sessionID = "session_id"
        case resumeGatewayURL = "resume_gateway_url"
    }
}
