import Foundation
import Logging

/// Everything a role needs to start, resolved once from flags and environment variables.
/// A flag wins over its variable; a variable wins over the default. Bad values fail at
/// start with a message that names the variable.
public struct GuildhallConfiguration: Sendable, Equatable {
    public enum LogFormat: String, Sendable, CaseIterable { case json, text }

    public var database: DatabaseLocation
    /// `nil`: no Redis; the embedded role uses in-process backends.
    public var redisURL: String?
    public var discord: DiscordCredentials
    /// Discord's REST base; the gateway URL is fetched from it (`GET /gateway/bot`). Point it
    /// at a sandbox (`http://127.0.0.1:PORT/api/v10`) to run a role against one.
    public var discordAPIURL: String
    public var bindAddress: String
    public var port: Int
    public var logLevel: Logger.Level
    public var logFormat: LogFormat
    /// Bearer token of the operator API (`OPERATOR_TOKEN`); nil keeps those routes off.
    public var operatorToken: String?
    /// Discord users who may use the operator pages and routes with their dashboard session
    /// (`OPERATOR_USER_IDS`, comma-separated).
    public var operatorUserIDs: [Snowflake] = []
    /// Signs dashboard session cookies (`SESSION_SECRET`); every API process must share it.
    public var sessionSecret: String?
    /// The dashboard's public origin (`PUBLIC_URL`), e.g. `https://guildhall.example`.
    public var publicURL: String?
    /// Days an ended premium entitlement still counts (`PREMIUM_GRACE_DAYS`, default 3).
    public var premiumGraceDays: Int = 3
    /// The registered features' settings, by variable, as resolved (see `FeatureSetting`).
    public var featureValues: [String: String] = [:]
    /// Requests per second the bot's REST client allows itself across every route that
    /// counts toward Discord's global limit (`DISCORD_GLOBAL_RATE_LIMIT`, default 50, the
    /// limit Discord documents for every bot). Discord asks clients not to hard-code its
    /// limits; a bot whose global limit differs sets it here, never above what it has.
    /// Shared through Redis by every process of one bot.
    public var discordGlobalRateLimit: Int = 50

    public init(
        database: DatabaseLocation = .sqliteFile(path: DatabaseLocation.defaultSQLitePath),
        redisURL: String? = nil,
        discord: DiscordCredentials = DiscordCredentials(),
        discordAPIURL: String = GuildhallConfiguration.discordAPIDefault,
        bindAddress: String = "127.0.0.1",
        port: Int = 8080,
        logLevel: Logger.Level = .info,
        logFormat: LogFormat = .json
    ) {
        self.database = database
        self.redisURL = redisURL
        self.discord = discord
        self.discordAPIURL = discordAPIURL
        self.bindAddress = bindAddress
        self.port = port
        self.logLevel = logLevel
        self.logFormat = logFormat
    }

    /// The shortest operator token or session secret accepted: anything shorter could be guessed.
    public static let minimumOperatorTokenLength = 32

    /// Discord's own REST base for API v10.
    public static let discordAPIDefault = "https://discord.com/api/v10"

    /// The names of the environment variables, in one place for docs and errors.
    public enum Variable: String, CaseIterable, Sendable {
        case databaseURL = "DATABASE_URL"
        case redisURL = "REDIS_URL"
        case discordToken = "DISCORD_TOKEN"
        case discordApplicationID = "DISCORD_APPLICATION_ID"
        case discordPublicKey = "DISCORD_PUBLIC_KEY"
        case discordClientID = "DISCORD_CLIENT_ID"
        case discordClientSecret = "DISCORD_CLIENT_SECRET"
        case discordAPIURL = "DISCORD_API_URL"
        case bindAddress = "BIND_ADDRESS"
        case port = "PORT"
        case logLevel = "LOG_LEVEL"
        case logFormat = "LOG_FORMAT"
        case operatorToken = "OPERATOR_TOKEN"
        case operatorUserIDs = "OPERATOR_USER_IDS"
        case sessionSecret = "SESSION_SECRET"
        case publicURL = "PUBLIC_URL"
        case premiumGraceDays = "PREMIUM_GRACE_DAYS"
        case discordGlobalRateLimit = "DISCORD_GLOBAL_RATE_LIMIT"
    }

    /// Resolves the configuration. `flags` holds the values given on the command line,
    /// keyed by the variable they override; `environment` is usually the process's.
    public static func resolve(
        environment: [String: String],
        flags: [Variable: String] = [:]
    ) throws -> GuildhallConfiguration {
        func value(_ variable: Variable) -> String? {
            if let flag = flags[variable] { return flag }
            return environment[variable.rawValue]
        }
        var configuration = GuildhallConfiguration()
        if let url = value(.databaseURL) {
            configuration.database = try DatabaseLocation.parse(url, variable: Variable.databaseURL.rawValue)
        }
        if let url = value(.redisURL) {
            try validateRedisURL(url)
            configuration.redisURL = url
        }
        configuration.discord = try DiscordCredentials(
            token: value(.discordToken),
            applicationID: value(.discordApplicationID),
            publicKey: value(.discordPublicKey),
            clientID: value(.discordClientID),
            clientSecret: value(.discordClientSecret)
        )
        if let url = value(.discordAPIURL) {
            guard url.hasPrefix("https://") || url.hasPrefix("http://"), !url.contains(" "), url.count > "http://".count else {
                throw GuildhallError(.invalidConfiguration, "DISCORD_API_URL must be an http(s) URL such as \(discordAPIDefault), got '\(url)'")
            }
            configuration.discordAPIURL = url.hasSuffix("/") ? String(url.dropLast()) : url
        }
        if let address = value(.bindAddress) {
            guard !address.isEmpty, !address.contains(" ") else {
                throw GuildhallError(.invalidConfiguration, "BIND_ADDRESS must be a host name or IP address, got '\(address)'")
            }
            configuration.bindAddress = address
        }
        if let port = value(.port) {
            guard let number = Int(port), (0...65535).contains(number) else {
                throw GuildhallError(.invalidConfiguration, "PORT must be a number from 0 to 65535, got '\(port)'")
            }
            configuration.port = number
        }
        if let level = value(.logLevel) {
            guard let parsed = Logger.Level(rawValue: level.lowercased()) else {
                let allowed = Logger.Level.allCases.map(\.rawValue).joined(separator: ", ")
                throw GuildhallError(.invalidConfiguration, "LOG_LEVEL must be one of \(allowed), got '\(level)'")
            }
            configuration.logLevel = parsed
        }
        if let format = value(.logFormat) {
            guard let parsed = LogFormat(rawValue: format.lowercased()) else {
                throw GuildhallError(.invalidConfiguration, "LOG_FORMAT must be json or text, got '\(format)'")
            }
            configuration.logFormat = parsed
        }
        if let token = value(.operatorToken) {
            configuration.operatorToken = try secret(token, named: .operatorToken)
        }
        if let list = value(.operatorUserIDs) {
            let parts = list.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
            let ids = parts.compactMap { Snowflake($0) }.filter { $0.rawValue > 0 }
            guard !parts.isEmpty, ids.count == parts.count else {
                throw GuildhallError(.invalidConfiguration, "OPERATOR_USER_IDS must be Discord user ids separated by commas, got '\(list)'")
            }
            configuration.operatorUserIDs = ids
        }
        if let text = value(.sessionSecret) {
            configuration.sessionSecret = try secret(text, named: .sessionSecret)
        }
        if let url = value(.publicURL) {
            let trimmed = url.hasSuffix("/") ? String(url.dropLast()) : url
            guard let parsed = URL(string: trimmed), ["http", "https"].contains(parsed.scheme ?? ""), parsed.host?.isEmpty == false,
                  parsed.path.isEmpty, parsed.query == nil else {
                throw GuildhallError(.invalidConfiguration, "PUBLIC_URL must be an origin such as https://guildhall.example (no path), got '\(url)'")
            }
            configuration.publicURL = trimmed
        }
        if let days = value(.premiumGraceDays) {
            guard let number = Int(days), (0...30).contains(number) else {
                throw GuildhallError(.invalidConfiguration, "PREMIUM_GRACE_DAYS must be a whole number of days from 0 to 30, got '\(days)'")
            }
            configuration.premiumGraceDays = number
        }
        if let limit = value(.discordGlobalRateLimit) {
            guard let number = Int(limit), (1...10_000).contains(number) else {
                throw GuildhallError(.invalidConfiguration, "DISCORD_GLOBAL_RATE_LIMIT must be a whole number of requests per second from 1 to 10000, got '\(limit)'")
            }
            configuration.discordGlobalRateLimit = number
        }
        return configuration
    }

    /// A light check so that a typo fails here, naming REDIS_URL, and not deep in a connection attempt.
    /// A secret long enough not to be guessed, of printable ASCII without spaces.
    static func secret(_ text: String, named variable: Variable) throws -> String {
        guard text.count >= minimumOperatorTokenLength, text.unicodeScalars.allSatisfy({ $0.isASCII && $0.value > 0x20 && $0.value < 0x7F }) else {
            throw GuildhallError(
                .invalidConfiguration,
                "\(variable.rawValue) must be at least \(minimumOperatorTokenLength) printable ASCII characters without spaces (e.g. `openssl rand -hex 32`)"
            )
        }
        return text
    }

    static func validateRedisURL(_ url: String) throws {
        guard url.hasPrefix("redis://") else {
            if url.hasPrefix("rediss://") {
                throw GuildhallError(.invalidConfiguration, "REDIS_URL uses rediss:// (TLS), which Guildhall does not support yet; use redis:// on a private network")
            }
            throw GuildhallError(.invalidConfiguration, "REDIS_URL must look like redis://[user:password@]host:port[/db][?protocol=2], got '\(url)'")
        }
        let rest = url.dropFirst("redis://".count).split(separator: "?", maxSplits: 1, omittingEmptySubsequences: false).first ?? ""
        let authority = rest.split(separator: "/", maxSplits: 1, omittingEmptySubsequences: false).first ?? ""
        let hostPort = authority.split(separator: "@").last ?? ""
        guard !hostPort.isEmpty, !hostPort.hasPrefix(":") else {
            throw GuildhallError(.invalidConfiguration, "REDIS_URL names no host: '\(url)'")
        }
        if let colon = hostPort.lastIndex(of: ":"), !hostPort.hasSuffix("]") {
            let port = hostPort[hostPort.index(after: colon)...]
            guard let number = Int(port), (1...65535).contains(number) else {
                throw GuildhallError(.invalidConfiguration, "REDIS_URL has an invalid port '\(port)'")
            }
        }
    }
}

/// The Discord application's credentials. No token means the sandbox Discord.
public struct DiscordCredentials: Sendable, Equatable {
    public var token: String?
    public var applicationID: Snowflake?
    public var publicKey: String?
    public var clientID: Snowflake?
    public var clientSecret: String?

    public init() {}

    public init(token: String?, applicationID: String?, publicKey: String?, clientID: String?, clientSecret: String?) throws {
        if let token {
            guard !token.isEmpty, !token.contains(where: \.isWhitespace) else {
                throw GuildhallError(.invalidConfiguration, "DISCORD_TOKEN is empty or contains whitespace")
            }
            self.token = token
        }
        if let applicationID {
            guard let id = Snowflake(applicationID) else {
                throw GuildhallError(.invalidConfiguration, "DISCORD_APPLICATION_ID must be a numeric snowflake, got '\(applicationID)'")
            }
            self.applicationID = id
        }
        if let publicKey {
            guard publicKey.utf8.count == 64, publicKey.utf8.allSatisfy({ $0.isASCIIHexDigit }) else {
                throw GuildhallError(.invalidConfiguration, "DISCORD_PUBLIC_KEY must be 64 hexadecimal characters (the application's Ed25519 key)")
            }
            self.publicKey = publicKey.lowercased()
        }
        if let clientID {
            guard let id = Snowflake(clientID) else {
                throw GuildhallError(.invalidConfiguration, "DISCORD_CLIENT_ID must be a numeric snowflake, got '\(clientID)'")
            }
            self.clientID = id
        }
        if let clientSecret {
            guard !clientSecret.isEmpty else {
                throw GuildhallError(.invalidConfiguration, "DISCORD_CLIENT_SECRET is empty")
            }
            self.clientSecret = clientSecret
        }
        if self.token != nil, self.applicationID == nil {
            throw GuildhallError(.invalidConfiguration, "DISCORD_APPLICATION_ID is required when DISCORD_TOKEN is set")
        }
    }

    /// True when no token is configured: Guildhall runs against its sandbox Discord.
    public var usesSandbox: Bool { token == nil }
}

extension UInt8 {
    /// 0-9, a-f, A-F: only ASCII (Character.isHexDigit also admits fullwidth forms).
    var isASCIIHexDigit: Bool {
        (0x30...0x39).contains(self) || (0x41...0x46).contains(self) || (0x61...0x66).contains(self)
    }
}
