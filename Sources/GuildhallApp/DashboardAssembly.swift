import Foundation
import GuildhallAPI
import GuildhallCore
import GuildhallDiscordREST
import Logging

/// Builds what the dashboard routes need, or says why logins are off: no session secret
/// (outside `serve`), or no OAuth2 client secret.
enum DashboardAssembly {
    static func make(platform: Platform, target: DiscordTarget, role: Role, logger: Logger) async throws -> APIDashboard? {
        let configuration = platform.configuration
        guard let clientID = target.oauthClientID, let clientSecret = target.oauthClientSecret else {
            logger.warning("dashboard logins are off: set DISCORD_CLIENT_SECRET (and DISCORD_CLIENT_ID if it is not the application id)")
            return nil
        }
        let secret: String
        if let configured = configuration.sessionSecret {
            secret = configured
        } else if role == .serve {
            // One process: a random secret works; sessions end when it restarts.
            secret = (0..<4).map { _ in String(UInt64.random(in: .min ... .max), radix: 16) }.joined()
            logger.notice("SESSION_SECRET is not set: dashboard sessions last until this process restarts")
        } else {
            logger.warning("dashboard logins are off: set SESSION_SECRET, the same in every api process")
            return nil
        }
        let store: any RESTRateLimitStore = platform.backends.redis.map { RedisRESTRateLimitStore(client: $0) } ?? InProcessRESTRateLimitStore()
        let discord = try DiscordRESTClient(configuration: BotAssembly.restConfiguration(configuration, target: target), store: store, logger: logger)
        let settings = SessionSettings(
            secret: secret, authorizeURL: SessionSettings.authorizeURL(forAPIBase: target.apiURL), clientID: clientID, clientSecret: clientSecret,
            publicURL: configuration.publicURL
        )
        let sessions = SessionAuthenticator(
            tokens: await SessionTokens(secret: secret), store: SessionStore(cache: platform.backends.cache, lifetime: settings.lifetime), settings: settings
        )
        return APIDashboard(
            sessions: sessions, discord: discord, settings: platform.settings, database: platform.database, cache: platform.backends.cache, logger: logger
        )
    }
}
