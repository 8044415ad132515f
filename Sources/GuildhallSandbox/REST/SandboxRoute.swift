/// Every REST endpoint the sandbox serves under `/api/v10`, with what rate limiting needs to
/// know about it: the bucket it shares, the top-level ("major") parameter that splits the
/// bucket per resource, and whether it counts against the global limit.
public enum SandboxRoute: String, Sendable, CaseIterable, Hashable {
    case getGateway = "GET /gateway"
    case getGatewayBot = "GET /gateway/bot"
    case getCurrentUser = "GET /users/@me"
    case listCurrentUserGuilds = "GET /users/@me/guilds"
    case createDM = "POST /users/@me/channels"
    case getCurrentApplication = "GET /oauth2/applications/@me"
    case getCurrentAuthorization = "GET /oauth2/@me"
    case getGuild = "GET /guilds/{guild_id}"
    case listGuildChannels = "GET /guilds/{guild_id}/channels"
    case listRoles = "GET /guilds/{guild_id}/roles"
    case createRole = "POST /guilds/{guild_id}/roles"
    case listMembers = "GET /guilds/{guild_id}/members"
    case getMember = "GET /guilds/{guild_id}/members/{user_id}"
    case modifyMember = "PATCH /guilds/{guild_id}/members/{user_id}"
    case kickMember = "DELETE /guilds/{guild_id}/members/{user_id}"
    case addMemberRole = "PUT /guilds/{guild_id}/members/{user_id}/roles/{role_id}"
    case removeMemberRole = "DELETE /guilds/{guild_id}/members/{user_id}/roles/{role_id}"
    case listBans = "GET /guilds/{guild_id}/bans"
    case getBan = "GET /guilds/{guild_id}/bans/{user_id}"
    case createBan = "PUT /guilds/{guild_id}/bans/{user_id}"
    case removeBan = "DELETE /guilds/{guild_id}/bans/{user_id}"
    case getChannel = "GET /channels/{channel_id}"
    case listMessages = "GET /channels/{channel_id}/messages"
    case createMessage = "POST /channels/{channel_id}/messages"
    case getMessage = "GET /channels/{channel_id}/messages/{message_id}"
    case editMessage = "PATCH /channels/{channel_id}/messages/{message_id}"
    case deleteMessage = "DELETE /channels/{channel_id}/messages/{message_id}"
    case bulkDeleteMessages = "POST /channels/{channel_id}/messages/bulk-delete"
    case addOwnReaction = "PUT /channels/{channel_id}/messages/{message_id}/reactions/{emoji}/@me"
    case removeOwnReaction = "DELETE /channels/{channel_id}/messages/{message_id}/reactions/{emoji}/@me"
    case listReactions = "GET /channels/{channel_id}/messages/{message_id}/reactions/{emoji}"
    case listGlobalCommands = "GET /applications/{application_id}/commands"
    case overwriteGlobalCommands = "PUT /applications/{application_id}/commands"
    case listGuildCommands = "GET /applications/{application_id}/guilds/{guild_id}/commands"
    case overwriteGuildCommands = "PUT /applications/{application_id}/guilds/{guild_id}/commands"
    case createInteractionResponse = "POST /interactions/{interaction_id}/{interaction_token}/callback"
    case executeWebhook = "POST /webhooks/{application_id}/{interaction_token}"
    case getWebhookMessage = "GET /webhooks/{application_id}/{interaction_token}/messages/{message_id}"
    case editWebhookMessage = "PATCH /webhooks/{application_id}/{interaction_token}/messages/{message_id}"
    case deleteWebhookMessage = "DELETE /webhooks/{application_id}/{interaction_token}/messages/{message_id}"
    case listEntitlements = "GET /applications/{application_id}/entitlements"
    case createTestEntitlement = "POST /applications/{application_id}/entitlements"
    case deleteTestEntitlement = "DELETE /applications/{application_id}/entitlements/{entitlement_id}"
    case consumeEntitlement = "POST /applications/{application_id}/entitlements/{entitlement_id}/consume"
    case oauthToken = "POST /oauth2/token"

    /// Routes sharing a name share a bucket (Discord groups similar routes the same way).
    public var bucketName: String {
        switch self {
        case .createMessage: "messages.create"
        case .editMessage, .deleteMessage, .bulkDeleteMessages: "messages.modify"
        case .listMessages, .getMessage: "messages.read"
        case .addOwnReaction, .removeOwnReaction, .listReactions: "reactions"
        case .modifyMember, .addMemberRole, .removeMemberRole: "members.modify"
        case .kickMember: "members.kick"
        case .createBan, .removeBan: "bans.modify"
        case .overwriteGlobalCommands, .overwriteGuildCommands: "commands.overwrite"
        case .createInteractionResponse: "interactions.callback"
        case .executeWebhook, .getWebhookMessage, .editWebhookMessage, .deleteWebhookMessage: "webhooks"
        case .createTestEntitlement, .deleteTestEntitlement, .consumeEntitlement: "entitlements.modify"
        case .oauthToken: "oauth2.token"
        default: "default"
        }
    }

    /// The path parameter that splits a bucket per resource (`channel_id`, `guild_id`,
    /// webhook id + token); `nil` when the route has none.
    public var majorParameter: String? {
        let template = rawValue
        if template.contains("/webhooks/") { return "interaction_token" }
        if template.contains("/interactions/") { return "interaction_id" }
        if template.contains("{channel_id}") { return "channel_id" }
        if template.contains("{guild_id}") { return "guild_id" }
        return nil
    }

    /// Interaction callbacks and follow-ups are exempt from the global limit (FACTS.md §3.2).
    public var countsAgainstGlobalLimit: Bool {
        switch self {
        case .createInteractionResponse, .executeWebhook, .getWebhookMessage, .editWebhookMessage, .deleteWebhookMessage:
            false
        default:
            true
        }
    }

    public var method: String { String(rawValue.prefix { $0 != " " }) }
    public var template: String { String(rawValue.drop { $0 != " " }.dropFirst()) }
}
