import GuildhallCore
import GuildhallDiscordModels

extension GuildhallError.Code {
    /// 4004: the token was refused.
    public static let gatewayAuthenticationFailed: Self = "gateway_authentication_failed"
    /// 4010: the shard id or count was refused.
    public static let gatewayInvalidShard: Self = "gateway_invalid_shard"
    /// 4011: the bot is in too many guilds for its shard count.
    public static let gatewayShardingRequired: Self = "gateway_sharding_required"
    /// 4012: the API version was refused.
    public static let gatewayInvalidAPIVersion: Self = "gateway_invalid_api_version"
    /// 4013: the intents bitfield is not valid.
    public static let gatewayInvalidIntents: Self = "gateway_invalid_intents"
    /// 4014: a privileged intent is not enabled for the application.
    public static let gatewayDisallowedIntents: Self = "gateway_disallowed_intents"
    /// A command could not be sent (too large, shard stopped, shard not run here).
    public static let gatewayCommandRejected: Self = "gateway_command_rejected"
    /// The daily session-start budget is spent; identifying now would reset the token.
    public static let gatewaySessionStartLimit: Self = "gateway_session_start_limit"
}

extension GatewayCloseCode {
    /// The error a shard stops with after this close code; nil unless the code is fatal.
    public var fatalError: GuildhallError? {
        let code: GuildhallError.Code
        switch self {
        case .authenticationFailed: code = .gatewayAuthenticationFailed
        case .invalidShard: code = .gatewayInvalidShard
        case .shardingRequired: code = .gatewayShardingRequired
        case .invalidAPIVersion: code = .gatewayInvalidAPIVersion
        case .invalidIntents: code = .gatewayInvalidIntents
        case .disallowedIntents: code = .gatewayDisallowedIntents
        default: return nil
        }
        return GuildhallError(code, "the gateway closed the connection with \(self); retrying cannot help")
    }
}
