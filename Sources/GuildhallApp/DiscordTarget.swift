import Foundation
import GuildhallCore
import GuildhallSandbox
import Logging

/// Which Discord the bot talks to: the real one (DISCORD_TOKEN is set) or a sandbox Discord
/// started in this process (no token), with the credentials to reach it.
struct DiscordTarget: Sendable {
    let apiURL: String
    let token: String
    let applicationID: Snowflake?
    let publicKeyHex: String?
    /// The OAuth2 application for dashboard logins (the application id unless
    /// DISCORD_CLIENT_ID says otherwise) and its secret.
    var oauthClientID: String?
    var oauthClientSecret: String?
    /// The in-process sandbox, when there is one; the caller runs and stops it.
    let sandbox: SandboxServer?

    var isSandbox: Bool { sandbox != nil }

    /// The real Discord (or another Discord-compatible server at DISCORD_API_URL).
    static func configured(_ configuration: GuildhallConfiguration) throws -> DiscordTarget {
        guard let token = configuration.discord.token else {
            throw GuildhallError(.invalidConfiguration, "DISCORD_TOKEN is not set; run `guildhall serve` for the sandbox Discord, or set DISCORD_TOKEN and DISCORD_APPLICATION_ID")
        }
        return DiscordTarget(
            apiURL: configuration.discordAPIURL, token: token, applicationID: configuration.discord.applicationID,
            publicKeyHex: configuration.discord.publicKey,
            oauthClientID: (configuration.discord.clientID ?? configuration.discord.applicationID)?.description,
            oauthClientSecret: configuration.discord.clientSecret, sandbox: nil
        )
    }

    /// Starts a sandbox Discord on a free loopback port and points at it.
    static func inProcessSandbox(_ sandboxConfiguration: SandboxConfiguration, logger: Logger) async throws -> DiscordTarget {
        let sandbox = try SandboxServer(configuration: sandboxConfiguration)
        let endpoints = try await sandbox.start()
        let application = sandbox.world.read { $0.application }
        logger.notice("SANDBOX DISCORD: no DISCORD_TOKEN is set, so Guildhall is talking to its built-in sandbox Discord, not to discord.com", metadata: [
            "sandbox_url": "\(endpoints.baseURL.absoluteString)", "control_api": "\(endpoints.controlURL.absoluteString)",
            "guilds": "\(sandboxConfiguration.guildCount)", "seed": "\(sandboxConfiguration.seed)",
        ])
        return DiscordTarget(
            apiURL: endpoints.apiBaseURL.absoluteString, token: application.token, applicationID: application.id,
            publicKeyHex: application.publicKeyHex, oauthClientID: application.id.description, oauthClientSecret: application.clientSecret,
            sandbox: sandbox
        )
    }
}
