import GuildhallCore
import NIOHTTP1

/// The routes the typed endpoints use, one constructor each, with the paths of Discord's
/// OpenAPI description (FACTS §3.4).
extension DiscordRoute {
    public static func gatewayBot() throws -> DiscordRoute {
        try DiscordRoute(.GET, "/gateway/bot")
    }

    // MARK: Messages and reactions

    public static func createMessage(channelID: Snowflake) throws -> DiscordRoute {
        try DiscordRoute(.POST, "/channels/{channel_id}/messages", parameters: ["channel_id": channelID.description])
    }

    public static func message(_ method: HTTPMethod, channelID: Snowflake, messageID: Snowflake) throws -> DiscordRoute {
        try DiscordRoute(
            method, "/channels/{channel_id}/messages/{message_id}",
            parameters: ["channel_id": channelID.description, "message_id": messageID.description]
        )
    }

    /// `emoji` is a Unicode emoji or `name:id` for a custom one; it is percent-encoded here.
    public static func ownReaction(_ method: HTTPMethod, channelID: Snowflake, messageID: Snowflake, emoji: String) throws -> DiscordRoute {
        try DiscordRoute(
            method, "/channels/{channel_id}/messages/{message_id}/reactions/{emoji_name}/@me",
            parameters: ["channel_id": channelID.description, "message_id": messageID.description, "emoji_name": emoji]
        )
    }

    public static func createDM() throws -> DiscordRoute {
        try DiscordRoute(.POST, "/users/@me/channels")
    }

    // MARK: Guilds, members, roles, bans

    public static func guild(guildID: Snowflake, withCounts: Bool) throws -> DiscordRoute {
        try DiscordRoute(
            .GET, "/guilds/{guild_id}", parameters: ["guild_id": guildID.description],
            query: withCounts ? [RouteQueryItem("with_counts", "true")] : []
        )
    }

    public static func guildMembers(guildID: Snowflake, limit: Int, after: Snowflake?) throws -> DiscordRoute {
        var query = [RouteQueryItem("limit", String(limit))]
        if let after { query.append(RouteQueryItem("after", after.description)) }
        return try DiscordRoute(.GET, "/guilds/{guild_id}/members", parameters: ["guild_id": guildID.description], query: query)
    }

    /// GET (fetch), PATCH (modify) or DELETE (kick) one member.
    public static func guildMember(_ method: HTTPMethod, guildID: Snowflake, userID: Snowflake) throws -> DiscordRoute {
        try DiscordRoute(
            method, "/guilds/{guild_id}/members/{user_id}",
            parameters: ["guild_id": guildID.description, "user_id": userID.description]
        )
    }

    /// PUT (add) or DELETE (remove) one role of a member.
    public static func guildMemberRole(_ method: HTTPMethod, guildID: Snowflake, userID: Snowflake, roleID: Snowflake) throws -> DiscordRoute {
        try DiscordRoute(
            method, "/guilds/{guild_id}/members/{user_id}/roles/{role_id}",
            parameters: ["guild_id": guildID.description, "user_id": userID.description, "role_id": roleID.description]
        )
    }

    /// PUT (ban) or DELETE (unban).
    public static func guildBan(_ method: HTTPMethod, guildID: Snowflake, userID: Snowflake) throws -> DiscordRoute {
        try DiscordRoute(
            method, "/guilds/{guild_id}/bans/{user_id}",
            parameters: ["guild_id": guildID.description, "user_id": userID.description]
        )
    }

    /// GET (list) or POST (create).
    public static func guildChannels(guildID: Snowflake) throws -> DiscordRoute {
        try DiscordRoute(.GET, "/guilds/{guild_id}/channels", parameters: ["guild_id": guildID.description])
    }

    public static func guildRoles(_ method: HTTPMethod, guildID: Snowflake) throws -> DiscordRoute {
        try DiscordRoute(method, "/guilds/{guild_id}/roles", parameters: ["guild_id": guildID.description])
    }

    // MARK: Application commands

    public static func globalCommands(applicationID: Snowflake) throws -> DiscordRoute {
        try DiscordRoute(.PUT, "/applications/{application_id}/commands", parameters: ["application_id": applicationID.description])
    }

    public static func guildCommands(applicationID: Snowflake, guildID: Snowflake) throws -> DiscordRoute {
        try DiscordRoute(
            .PUT, "/applications/{application_id}/guilds/{guild_id}/commands",
            parameters: ["application_id": applicationID.description, "guild_id": guildID.description]
        )
    }

    // MARK: Interactions (token in the path: no Authorization, exempt from the global limit)

    public static func interactionCallback(interactionID: Snowflake, token: String) throws -> DiscordRoute {
        var route = try DiscordRoute(
            .POST, "/interactions/{interaction_id}/{interaction_token}/callback",
            parameters: ["interaction_id": interactionID.description, "interaction_token": token],
            authorization: .none, countsTowardGlobalLimit: false
        )
        route.skipsLimiter = true
        return route
    }

    /// POST: a follow-up message (`/webhooks/{application_id}/{token}`).
    public static func followup(applicationID: Snowflake, token: String) throws -> DiscordRoute {
        try DiscordRoute(
            .POST, "/webhooks/{webhook_id}/{webhook_token}",
            parameters: ["webhook_id": applicationID.description, "webhook_token": token],
            authorization: .none, countsTowardGlobalLimit: false
        )
    }

    /// PATCH or DELETE the original response (`messageID` nil) or a follow-up.
    public static func followupMessage(_ method: HTTPMethod, applicationID: Snowflake, token: String, messageID: Snowflake?) throws -> DiscordRoute {
        try DiscordRoute(
            method, "/webhooks/{webhook_id}/{webhook_token}/messages/" + (messageID == nil ? "@original" : "{message_id}"),
            parameters: ["webhook_id": applicationID.description, "webhook_token": token].merging(
                messageID.map { ["message_id": $0.description] } ?? [:], uniquingKeysWith: { first, _ in first }
            ),
            authorization: .none, countsTowardGlobalLimit: false
        )
    }

    // MARK: Monetization, users, OAuth2

    public static func entitlements(applicationID: Snowflake, query: [RouteQueryItem]) throws -> DiscordRoute {
        try DiscordRoute(
            .GET, "/applications/{application_id}/entitlements", parameters: ["application_id": applicationID.description], query: query
        )
    }

    public static func currentUser(authorization: RESTAuthorization) throws -> DiscordRoute {
        try DiscordRoute(.GET, "/users/@me", authorization: authorization)
    }

    public static func currentUserGuilds(accessToken: String, query: [RouteQueryItem]) throws -> DiscordRoute {
        try DiscordRoute(.GET, "/users/@me/guilds", query: query, authorization: .bearer(accessToken))
    }

    public static func oauth2Token(clientID: String, clientSecret: String) throws -> DiscordRoute {
        try DiscordRoute(.POST, "/oauth2/token", authorization: .basic(clientID: clientID, clientSecret: clientSecret))
    }
}
