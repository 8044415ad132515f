import GuildhallCore
import GuildhallDiscordModels

/// The gateway URL, the current user, entitlements and OAuth2: what start-up, premium sync
/// and the dashboard login need.
extension DiscordRESTClient {
    /// `GET /gateway/bot`: the URL, recommended shards and session-start budget.
    public func getGatewayBot() async throws -> GatewayBotInfo {
        try await call("getGatewayBot") { DiscordRESTRequest(route: try .gatewayBot()) }
    }

    /// `GET /users/@me`: the bot itself, or with `accessToken` the OAuth2 user.
    public func getCurrentUser(accessToken: String? = nil) async throws -> User {
        try await call("getCurrentUser") {
            DiscordRESTRequest(route: try .currentUser(authorization: accessToken.map { .bearer($0) } ?? .bot))
        }
    }

    /// `GET /users/@me/guilds` with a user's Bearer token (scope `guilds`): the guilds the
    /// dashboard may offer, with the user's permissions in each.
    public func getCurrentUserGuilds(
        accessToken: String, before: Snowflake? = nil, after: Snowflake? = nil, limit: Int = 200, withCounts: Bool = false
    ) async throws -> [CurrentUserGuild] {
        try await call("getCurrentUserGuilds") {
            try Self.require(limit, in: 1...200, "guild page size")
            var query: [RouteQueryItem] = []
            if let before { query.append(RouteQueryItem("before", before.description)) }
            if let after { query.append(RouteQueryItem("after", after.description)) }
            query.append(RouteQueryItem("limit", String(limit)))
            if withCounts { query.append(RouteQueryItem("with_counts", "true")) }
            return DiscordRESTRequest(route: try .currentUserGuilds(accessToken: accessToken, query: query))
        }
    }

    /// One page of `GET /applications/{application_id}/entitlements`.
    public func listEntitlements(applicationID: Snowflake, _ query: EntitlementQuery = EntitlementQuery()) async throws -> [Entitlement] {
        try await call("listEntitlements") {
            try Self.require(query.limit, in: 1...100, "entitlement page size")
            return DiscordRESTRequest(route: try .entitlements(applicationID: applicationID, query: query.items))
        }
    }

    /// Every entitlement matching `query`, page after page by ascending id (from
    /// `query.after`, or the start), stopping at a short page or at `maximum`.
    public func listAllEntitlements(applicationID: Snowflake, _ query: EntitlementQuery = EntitlementQuery(), maximum: Int = 100_000) async throws -> [Entitlement] {
        var page = query
        page.before = nil
        page.after = query.after ?? Snowflake(0)
        var entitlements: [Entitlement] = []
        while entitlements.count < maximum {
            page.limit = min(query.limit, maximum - entitlements.count)
            let batch = try await listEntitlements(applicationID: applicationID, page)
            entitlements += batch
            guard batch.count == page.limit, let last = batch.map(\.id).max(), last > page.after! else { break }
            page.after = last
        }
        return entitlements
    }

    /// `POST /oauth2/token`, authorization-code grant: the dashboard's login callback.
    public func exchangeOAuth2Code(clientID: String, clientSecret: String, code: String, redirectURI: String) async throws -> OAuth2TokenResponse {
        try await oauth2Token(clientID: clientID, clientSecret: clientSecret, [
            RouteQueryItem("grant_type", "authorization_code"), RouteQueryItem("code", code), RouteQueryItem("redirect_uri", redirectURI),
        ])
    }

    /// `POST /oauth2/token`, refresh grant.
    public func refreshOAuth2Token(clientID: String, clientSecret: String, refreshToken: String) async throws -> OAuth2TokenResponse {
        try await oauth2Token(clientID: clientID, clientSecret: clientSecret, [
            RouteQueryItem("grant_type", "refresh_token"), RouteQueryItem("refresh_token", refreshToken),
        ])
    }

    /// `POST /oauth2/token`, client-credentials grant: a token for the application owner's
    /// account with `scopes` (e.g. `applications.commands.update`).
    public func oauth2ClientCredentials(clientID: String, clientSecret: String, scopes: [String]) async throws -> OAuth2TokenResponse {
        try await oauth2Token(clientID: clientID, clientSecret: clientSecret, [
            RouteQueryItem("grant_type", "client_credentials"), RouteQueryItem("scope", scopes.joined(separator: " ")),
        ])
    }

    /// The token endpoint takes only form bodies; the client authenticates with HTTP Basic.
    private func oauth2Token(clientID: String, clientSecret: String, _ form: [RouteQueryItem]) async throws -> OAuth2TokenResponse {
        try await call("oauth2Token") {
            for item in form where item.value.isEmpty {
                throw GuildhallError(.invalidInput, "OAuth2 '\(item.name)' must not be empty")
            }
            return DiscordRESTRequest(route: try .oauth2Token(clientID: clientID, clientSecret: clientSecret), body: .form(form))
        }
    }
}
