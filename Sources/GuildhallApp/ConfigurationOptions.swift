import ArgumentParser
import Foundation
import GuildhallCore
import Logging
import Synchronization

/// Flags shared by every command that runs Guildhall; each overrides an environment variable.
public struct ConfigurationOptions: ParsableArguments {
    @Option(name: .customLong("database-url"), help: "Database (env DATABASE_URL). Default: SQLite at ./data/guildhall.sqlite; postgres://user:pass@host:port/db selects PostgreSQL.")
    var databaseURL: String?

    @Option(name: .customLong("redis-url"), help: "Redis (env REDIS_URL), e.g. redis://127.0.0.1:6379. Unset: in-process backends (serve only).")
    var redisURL: String?

    @Option(name: .customLong("discord-token"), help: "Bot token (env DISCORD_TOKEN). Unset: the sandbox Discord.")
    var discordToken: String?

    @Option(name: .customLong("discord-application-id"), help: "Application id (env DISCORD_APPLICATION_ID).")
    var discordApplicationID: String?

    @Option(name: .customLong("discord-public-key"), help: "Application public key for HTTP interactions (env DISCORD_PUBLIC_KEY).")
    var discordPublicKey: String?

    @Option(name: .customLong("discord-client-id"), help: "OAuth2 client id (env DISCORD_CLIENT_ID).")
    var discordClientID: String?

    @Option(name: .customLong("discord-client-secret"), help: "OAuth2 client secret (env DISCORD_CLIENT_SECRET).")
    var discordClientSecret: String?

    @Option(name: .customLong("discord-api-url"), help: "Discord REST base URL (env DISCORD_API_URL), e.g. a sandbox's http://127.0.0.1:PORT/api/v10.")
    var discordAPIURL: String?
    @Option(name: .customLong("operator-token"), help: "Bearer token of the operator API (env OPERATOR_TOKEN, 32+ characters). Unset: operator routes are off.")
    var operatorToken: String?
    @Option(name: .customLong("operator-user-ids"), help: "Discord user ids allowed on the operator pages with their session (env OPERATOR_USER_IDS, comma-separated).")
    var operatorUserIDs: String?
    @Option(name: .customLong("session-secret"), help: "Signs dashboard session cookies (env SESSION_SECRET, 32+ characters; shared by every API process).")
    var sessionSecret: String?
    @Option(name: .customLong("public-url"), help: "The dashboard's public origin (env PUBLIC_URL), e.g. https://guildhall.example.")
    var publicURL: String?
    @Option(name: .customLong("premium-grace-days"), help: "Days an ended premium entitlement still counts (env PREMIUM_GRACE_DAYS, 0-30, default 3).")
    var premiumGraceDays: String?
    @Option(name: .customLong("set"), help: ArgumentHelp(
        "A feature's setting, NAME=VALUE, overriding its environment variable (repeatable; `guildhall features` lists each feature's settings).",
        valueName: "NAME=VALUE"
    ))
    var featureFlags: [String] = []
    @Option(name: .customLong("discord-global-rate-limit"), help: "Requests per second the bot allows itself under Discord's global limit (env DISCORD_GLOBAL_RATE_LIMIT, 1-10000, default 50; never above the bot's real limit).")
    var discordGlobalRateLimit: String?

    @Option(name: .customLong("bind"), help: "Address to listen on (env BIND_ADDRESS). Default 127.0.0.1.")
    var bindAddress: String?

    @Option(name: .customLong("port"), help: "HTTP port (env PORT). Default 8080.")
    var port: String?

    @Option(name: .customLong("log-level"), help: "trace, debug, info, notice, warning, error or critical (env LOG_LEVEL).")
    var logLevel: String?

    @Option(name: .customLong("log-format"), help: "json or text (env LOG_FORMAT). Default json.")
    var logFormat: String?

    public init() {}

    /// The flags given, keyed by the variable each overrides.
    var flags: [GuildhallConfiguration.Variable: String] {
        var flags: [GuildhallConfiguration.Variable: String] = [:]
        flags[.databaseURL] = databaseURL
        flags[.redisURL] = redisURL
        flags[.discordToken] = discordToken
        flags[.discordApplicationID] = discordApplicationID
        flags[.discordPublicKey] = discordPublicKey
        flags[.discordClientID] = discordClientID
        flags[.discordClientSecret] = discordClientSecret
        flags[.discordAPIURL] = discordAPIURL
        flags[.operatorToken] = operatorToken
        flags[.operatorUserIDs] = operatorUserIDs
        flags[.sessionSecret] = sessionSecret
        flags[.publicURL] = publicURL
        flags[.premiumGraceDays] = premiumGraceDays
        flags[.discordGlobalRateLimit] = discordGlobalRateLimit
        flags[.bindAddress] = bindAddress
        flags[.port] = port
        flags[.logLevel] = logLevel
        flags[.logFormat] = logFormat
        return flags
    }

    public func resolve(environment: [String: String] = ProcessInfo.processInfo.environment) throws -> GuildhallConfiguration {
        var configuration = try GuildhallConfiguration.resolve(environment: environment, flags: flags)
        var settings: [String: String] = [:]
        for pair in featureFlags {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            guard parts.count == 2, !parts[0].isEmpty else {
                throw GuildhallError(.invalidConfiguration, "--set takes NAME=VALUE (for example --set VOICE_XP_TICK_SECONDS=5), got '\(pair)'")
            }
            settings[String(parts[0])] = String(parts[1])
        }
        try configuration.resolveFeatureSettings(FeatureCatalog.registry.featureSettings, environment: environment, flags: settings)
        return configuration
    }
}

/// Installs the process-wide log handler, once.
enum LoggingBootstrap {
    static func logger(for configuration: GuildhallConfiguration, role: String) -> Logger {
        bootstrap(configuration)
        var logger = Logger(label: "guildhall")
        logger.logLevel = configuration.logLevel
        logger[metadataKey: LogKey.role] = .string(role)
        return logger
    }

    private static func bootstrap(_ configuration: GuildhallConfiguration) {
        guard !isBootstrapped.withLock({ done in defer { done = true }; return done }) else { return }
        let level = configuration.logLevel
        switch configuration.logFormat {
        case .json:
            LoggingSystem.bootstrap { label in JSONLogHandler.standardError(label: label, level: level) }
        case .text:
            LoggingSystem.bootstrap { label in
                var handler = StreamLogHandler.standardError(label: label)
                handler.logLevel = level
                return handler
            }
        }
    }
}

private let isBootstrapped = Mutex(false)
