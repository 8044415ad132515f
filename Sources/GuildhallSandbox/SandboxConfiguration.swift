import Foundation
import GuildhallCore
import Logging

/// Everything that shapes one sandbox Discord: where it listens, what world it seeds and how
/// strict it is. Two sandboxes with the same configuration hold the same world, snowflake for
/// snowflake, so a failing run can be replayed from its seed.
public struct SandboxConfiguration: Sendable {
    /// Loopback by default: the sandbox is a test double, never a public service.
    public var host: String
    /// 0 lets the kernel pick a free port; `SandboxServer.start()` returns the one it got.
    public var port: Int
    public var seed: UInt64
    public var guildCount: Int
    /// Members per guild besides the bot and the sandbox's own OAuth2 users.
    public var membersPerGuild: Int
    /// The shard count `GET /gateway/bot` recommends.
    public var recommendedShards: Int
    /// Identifies allowed per identify window and rate-limit key (`shard_id % max_concurrency`).
    public var maxConcurrency: Int
    /// Discord's identify window is 5 s; tests may shorten it.
    public var identifyWindow: Duration
    /// Daily session starts (`session_start_limit.total`).
    public var sessionStartLimit: Int
    /// `heartbeat_interval` sent in Hello.
    public var heartbeatInterval: Duration
    /// A connection that sends no heartbeat for `heartbeatInterval × heartbeatTimeoutFactor`
    /// is closed with 4009.
    public var heartbeatTimeoutFactor: Double
    /// Client sends allowed per connection per `gatewaySendWindow` before 4008.
    public var gatewaySendLimit: Int
    public var gatewaySendWindow: Duration
    /// Dispatches kept per session for resume; older sequences cannot be resumed (op 9 false).
    public var replayBufferLimit: Int
    /// How long a disconnected session stays resumable.
    public var sessionResumeWindow: Duration
    /// Guilds one shard may hold before identify fails with 4011.
    public var maxGuildsPerShard: Int
    /// Privileged intents the application has switched on in the portal (4014 otherwise).
    public var enabledPrivilegedIntents: UInt64
    /// Permissions of the bot's managed role in every guild.
    public var botPermissions: UInt64
    /// Position of the bot's role; `nil` puts it above every seeded role.
    public var botRolePosition: Int?
    /// Where interactions are POSTed, signed, instead of the gateway (Discord's
    /// "Interactions Endpoint URL"); `nil` delivers them as INTERACTION_CREATE.
    public var interactionsEndpointURL: URL?
    /// Redirect URIs registered for OAuth2; empty accepts any http(s) URI (convenient locally).
    public var oauthRedirectURIs: [String]
    public var rateLimits: SandboxRateLimitPolicy
    /// Time allowed for the first interaction response (Discord: 3 s).
    public var interactionResponseDeadline: Duration
    /// How long an interaction token accepts follow-ups (Discord: 15 min).
    public var interactionTokenLifetime: Duration
    public var logger: Logger

    public init(
        host: String = "127.0.0.1",
        port: Int = 0,
        seed: UInt64 = 1,
        guildCount: Int = 4,
        membersPerGuild: Int = 12,
        recommendedShards: Int = 1,
        maxConcurrency: Int = 1,
        identifyWindow: Duration = .seconds(5),
        sessionStartLimit: Int = 1_000,
        heartbeatInterval: Duration = .milliseconds(41_250),
        heartbeatTimeoutFactor: Double = 1.5,
        gatewaySendLimit: Int = 120,
        gatewaySendWindow: Duration = .seconds(60),
        replayBufferLimit: Int = 100_000,
        sessionResumeWindow: Duration = .seconds(180),
        maxGuildsPerShard: Int = 2_500,
        enabledPrivilegedIntents: UInt64 = SandboxIntents.privileged,
        botPermissions: UInt64 = SandboxPermissionBits.defaultBot,
        botRolePosition: Int? = nil,
        interactionsEndpointURL: URL? = nil,
        oauthRedirectURIs: [String] = [],
        rateLimits: SandboxRateLimitPolicy = .discordLike,
        interactionResponseDeadline: Duration = .seconds(3),
        interactionTokenLifetime: Duration = .seconds(900),
        logger: Logger = Logger(label: "guildhall.sandbox")
    ) {
        self.host = host
        self.port = port
        self.seed = seed
        self.guildCount = guildCount
        self.membersPerGuild = membersPerGuild
        self.recommendedShards = recommendedShards
        self.maxConcurrency = maxConcurrency
        self.identifyWindow = identifyWindow
        self.sessionStartLimit = sessionStartLimit
        self.heartbeatInterval = heartbeatInterval
        self.heartbeatTimeoutFactor = heartbeatTimeoutFactor
        self.gatewaySendLimit = gatewaySendLimit
        self.gatewaySendWindow = gatewaySendWindow
        self.replayBufferLimit = replayBufferLimit
        self.sessionResumeWindow = sessionResumeWindow
        self.maxGuildsPerShard = maxGuildsPerShard
        self.enabledPrivilegedIntents = enabledPrivilegedIntents
        self.botPermissions = botPermissions
        self.botRolePosition = botRolePosition
        self.interactionsEndpointURL = interactionsEndpointURL
        self.oauthRedirectURIs = oauthRedirectURIs
        self.rateLimits = rateLimits
        self.interactionResponseDeadline = interactionResponseDeadline
        self.interactionTokenLifetime = interactionTokenLifetime
        self.logger = logger
    }

    /// Rejects values that would make a world or a gateway nobody can use, naming the field.
    public func validate() throws {
        func require(_ condition: Bool, _ message: String) throws {
            if !condition { throw GuildhallError(.invalidConfiguration, "sandbox: \(message)") }
        }
        try require((0...65_535).contains(port), "port \(port) is outside 0...65535")
        try require((1...10_000).contains(guildCount), "guilds must be between 1 and 10000 (got \(guildCount))")
        try require((3...100_000).contains(membersPerGuild), "members must be between 3 and 100000 (got \(membersPerGuild))")
        try require(recommendedShards >= 1, "recommended shards must be at least 1")
        try require((1...256).contains(maxConcurrency), "max_concurrency must be between 1 and 256")
        try require(identifyWindow > .zero, "the identify window must be positive")
        try require(sessionStartLimit >= 1, "the session start limit must be at least 1")
        try require(heartbeatInterval >= .milliseconds(100), "the heartbeat interval must be at least 100 ms")
        try require(heartbeatTimeoutFactor >= 1, "the heartbeat timeout factor must be at least 1")
        try require(gatewaySendLimit >= 1 && gatewaySendWindow > .zero, "the gateway send limit must be positive")
        try require(replayBufferLimit >= 1, "the replay buffer must hold at least one dispatch")
        try require(maxGuildsPerShard >= 1, "max guilds per shard must be at least 1")
        try require(enabledPrivilegedIntents & ~SandboxIntents.privileged == 0, "only privileged intents can be listed as enabled")
        if let botRolePosition { try require(botRolePosition >= 1, "the bot role position must be at least 1") }
        try rateLimits.validate()
    }
}
