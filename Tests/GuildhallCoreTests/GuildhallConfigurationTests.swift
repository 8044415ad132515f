import Foundation
@testable import GuildhallCore
import GuildhallFixtures
import Logging
import Testing

typealias Variable = GuildhallConfiguration.Variable

/// Mock Discord values: a snowflake from the factory, a fake token and key.
enum MockDiscord {
    static let applicationID: Snowflake = { var factory = MockFactory(seed: 99); return factory.snowflake() }()
    static let clientID: Snowflake = { var factory = MockFactory(seed: 98); return factory.snowflake() }()
    static let token = "mock.token-not-real_0123456789"
    static let publicKey = String(repeating: "ab12CD34", count: 8)
    static let clientSecret = "mock-client-secret"
}

@Suite("GuildhallConfiguration")
struct GuildhallConfigurationTests {
    @Test func defaultsWithAnEmptyEnvironment() throws {
        let configuration = try GuildhallConfiguration.resolve(environment: [:])
        #expect(configuration == GuildhallConfiguration())
        #expect(configuration.database == .sqliteFile(path: "data/guildhall.sqlite"))
        #expect(configuration.redisURL == nil)
        #expect(configuration.discord == DiscordCredentials())
        #expect(configuration.discord.usesSandbox)
        #expect(configuration.bindAddress == "127.0.0.1")
        #expect(configuration.port == 8080)
        #expect(configuration.logLevel == .info)
        #expect(configuration.logFormat == .json)
    }

    @Test func unrelatedVariablesAreIgnored() throws {
        let configuration = try GuildhallConfiguration.resolve(environment: ["HOME": "/root", "PATH": "/bin", "database_url": "nope://"])
        #expect(configuration == GuildhallConfiguration())
    }

    @Test func variableNames() {
        #expect(Variable.allCases.map(\.rawValue) == [
            "DATABASE_URL", "REDIS_URL", "DISCORD_TOKEN", "DISCORD_APPLICATION_ID", "DISCORD_PUBLIC_KEY",
            "DISCORD_CLIENT_ID", "DISCORD_CLIENT_SECRET", "DISCORD_API_URL", "BIND_ADDRESS", "PORT", "LOG_LEVEL", "LOG_FORMAT",
            "OPERATOR_TOKEN", "OPERATOR_USER_IDS", "SESSION_SECRET", "PUBLIC_URL", "PREMIUM_GRACE_DAYS",
            "DISCORD_GLOBAL_RATE_LIMIT",
        ])
        #expect(GuildhallConfiguration.LogFormat.allCases.map(\.rawValue) == ["json", "text"])
    }

    static let fullEnvironment: [String: String] = [
        "DATABASE_URL": "postgres://bot:pw@db.internal:6543/guildhall",
        "REDIS_URL": "redis://:pw@cache.internal:6380/2",
        "DISCORD_TOKEN": MockDiscord.token,
        "DISCORD_APPLICATION_ID": MockDiscord.applicationID.description,
        "DISCORD_PUBLIC_KEY": MockDiscord.publicKey,
        "DISCORD_CLIENT_ID": MockDiscord.clientID.description,
        "DISCORD_CLIENT_SECRET": MockDiscord.clientSecret,
        "DISCORD_API_URL": "http://127.0.0.1:4000/api/v10/",
        "BIND_ADDRESS": "0.0.0.0",
        "PORT": "9090",
        "LOG_LEVEL": "debug",
        "LOG_FORMAT": "text",
        "OPERATOR_TOKEN": String(repeating: "e", count: 40),
        "SESSION_SECRET": String(repeating: "s", count: 40),
        "OPERATOR_USER_IDS": "80351110224678912, 80351110224678913",
        "PUBLIC_URL": "https://guildhall.example/",
        "PREMIUM_GRACE_DAYS": "5",
        "DISCORD_GLOBAL_RATE_LIMIT": "250",
    ]

    @Test func everyVariableIsRead() throws {
        let configuration = try GuildhallConfiguration.resolve(environment: Self.fullEnvironment)
        #expect(configuration.database == .postgres(.init(host: "db.internal", port: 6543, username: "bot", password: "pw", database: "guildhall")))
        #expect(configuration.redisURL == "redis://:pw@cache.internal:6380/2")
        #expect(configuration.discord.token == MockDiscord.token)
        #expect(configuration.discord.applicationID == MockDiscord.applicationID)
        #expect(configuration.discord.publicKey == MockDiscord.publicKey.lowercased())
        #expect(configuration.discord.clientID == MockDiscord.clientID)
        #expect(configuration.discord.clientSecret == MockDiscord.clientSecret)
        #expect(!configuration.discord.usesSandbox)
        #expect(configuration.discordAPIURL == "http://127.0.0.1:4000/api/v10", "a trailing slash is dropped")
        #expect(configuration.bindAddress == "0.0.0.0")
        #expect(configuration.port == 9090)
        #expect(configuration.logLevel == .debug)
        #expect(configuration.logFormat == .text)
        #expect(configuration.operatorToken == String(repeating: "e", count: 40))
        #expect(configuration.sessionSecret == String(repeating: "s", count: 40))
        #expect(configuration.publicURL == "https://guildhall.example", "a trailing slash is dropped")
        #expect(configuration.premiumGraceDays == 5)
        #expect(configuration.discordGlobalRateLimit == 250)
        #expect(configuration.operatorUserIDs == [Snowflake(80_351_110_224_678_912), Snowflake(80_351_110_224_678_913)])
    }

    /// For every variable: a valid flag wins over a valid environment value.
    @Test("a flag wins over its variable", arguments: Variable.allCases)
    func flagWins(variable: Variable) throws {
        var otherApplication = MockFactory(seed: 7)
        let flagValues: [Variable: String] = [
            .databaseURL: "sqlite::memory:",
            .redisURL: "redis://flag-host:7000",
            .discordToken: "flag.token",
            .discordApplicationID: otherApplication.snowflake().description,
            .discordPublicKey: String(repeating: "f", count: 64),
            .discordClientID: otherApplication.snowflake().description,
            .discordClientSecret: "flag-secret",
            .discordAPIURL: "https://discord.com/api/v10",
            .bindAddress: "::",
            .port: "0",
            .logLevel: "TRACE",
            .logFormat: "JSON",
            .operatorToken: String(repeating: "f", count: 32),
            .sessionSecret: String(repeating: "t", count: 32),
            .publicURL: "http://127.0.0.1:8080",
            .premiumGraceDays: "0",
            .discordGlobalRateLimit: "10000",
            .operatorUserIDs: "42",
        ]
        let flag = try #require(flagValues[variable])
        let fromEnvironment = try GuildhallConfiguration.resolve(environment: Self.fullEnvironment)
        let configuration = try GuildhallConfiguration.resolve(environment: Self.fullEnvironment, flags: [variable: flag])
        var expected = fromEnvironment
        switch variable {
        case .databaseURL: expected.database = .sqliteMemory
        case .redisURL: expected.redisURL = flag
        case .discordToken: expected.discord.token = flag
        case .discordApplicationID: expected.discord.applicationID = Snowflake(flag)
        case .discordPublicKey: expected.discord.publicKey = flag
        case .discordClientID: expected.discord.clientID = Snowflake(flag)
        case .discordClientSecret: expected.discord.clientSecret = flag
        case .discordAPIURL: expected.discordAPIURL = flag
        case .bindAddress: expected.bindAddress = "::"
        case .port: expected.port = 0
        case .logLevel: expected.logLevel = .trace
        case .logFormat: expected.logFormat = .json
        case .operatorToken: expected.operatorToken = flag
        case .sessionSecret: expected.sessionSecret = flag
        case .publicURL: expected.publicURL = flag
        case .premiumGraceDays: expected.premiumGraceDays = 0
        case .discordGlobalRateLimit: expected.discordGlobalRateLimit = 10_000
        case .operatorUserIDs: expected.operatorUserIDs = [Snowflake(42)]
        }
        #expect(configuration == expected)
        #expect(configuration != fromEnvironment)
    }

    @Test func aValidFlagHidesABadVariable() throws {
        let configuration = try GuildhallConfiguration.resolve(
            environment: ["PORT": "not-a-port", "LOG_LEVEL": "loud"],
            flags: [.port: "1234", .logLevel: "warning"]
        )
        #expect(configuration.port == 1234)
        #expect(configuration.logLevel == .warning)
    }

    /// Each bad value fails at start with a message naming its variable, whether it came
    /// from the environment or from a flag.
    @Test("bad values name their variable", arguments: [
        (Variable.databaseURL, ""),
        (.databaseURL, "mysql://u@h/d"),
        (.databaseURL, "postgres://u@h"),
        (.redisURL, "http://cache:6379"),
        (.redisURL, "rediss://cache:6379"),
        (.redisURL, "redis://"),
        (.redisURL, "redis://:6379"),
        (.redisURL, "redis://user:pw@:6379/0"),
        (.redisURL, "redis://cache:0"),
        (.redisURL, "redis://cache:65536"),
        (.redisURL, "redis://cache:port"),
        (.discordAPIURL, "ftp://discord.com/api"),
        (.discordAPIURL, "http://"),
        (.discordAPIURL, "https://discord.com/api v10"),
        (.discordToken, ""),
        (.discordToken, "has space"),
        (.discordToken, "tab\there"),
        (.discordApplicationID, "app"),
        (.discordApplicationID, "-1"),
        (.discordApplicationID, ""),
        (.discordPublicKey, "abc"),
        (.discordPublicKey, String(repeating: "g", count: 64)),
        (.discordPublicKey, String(repeating: "a", count: 65)),
        (.discordClientID, "client"),
        (.discordClientSecret, ""),
        (.bindAddress, ""),
        (.bindAddress, "local host"),
        (.port, "http"),
        (.port, "-1"),
        (.port, "65536"),
        (.port, ""),
        (.port, "80.5"),
        (.logLevel, "verbose"),
        (.logLevel, ""),
        (.logFormat, "xml"),
        (.logFormat, ""),
        (.operatorToken, "short"),
        (.operatorToken, String(repeating: "a", count: 31)),
        (.operatorToken, String(repeating: "a", count: 32) + " space"),
        (.sessionSecret, "short"),
        (.publicURL, "guildhall.example"),
        (.publicURL, "https://guildhall.example/dashboard"),
        (.publicURL, "ftp://guildhall.example"),
        (.premiumGraceDays, "-1"),
        (.premiumGraceDays, "31"),
        (.premiumGraceDays, "three"),
        (.discordGlobalRateLimit, "0"),
        (.discordGlobalRateLimit, "10001"),
        (.discordGlobalRateLimit, "fast"),
        (.operatorUserIDs, "ada"),
        (.operatorUserIDs, "42,,x"),
        (.operatorUserIDs, ","),
    ])
    func badValue(variable: Variable, value: String) throws {
        var environment: [String: String] = [:]
        if variable == .discordToken {
            environment[Variable.discordApplicationID.rawValue] = MockDiscord.applicationID.description
        }
        let viaEnvironment = environment.merging([variable.rawValue: value]) { _, new in new }
        let fromEnvironment = try #require(throws: GuildhallError.self) {
            try GuildhallConfiguration.resolve(environment: viaEnvironment)
        }
        let fromFlag = try #require(throws: GuildhallError.self) {
            try GuildhallConfiguration.resolve(environment: environment, flags: [variable: value])
        }
        for error in [fromEnvironment, fromFlag] {
            #expect(error.code == .invalidConfiguration)
            #expect(error.message.hasPrefix(variable.rawValue + " "), "\(error.message)")
        }
        #expect(fromEnvironment.message == fromFlag.message)
    }

    @Test func tlsRedisHasItsOwnMessage() throws {
        let error = try #require(throws: GuildhallError.self) {
            try GuildhallConfiguration.resolve(environment: ["REDIS_URL": "rediss://cache:6379"])
        }
        #expect(error.message.contains("rediss://"))
        #expect(error.message.contains("TLS"))
    }

    @Test("accepted Redis URLs", arguments: [
        "redis://cache", "redis://cache:6379", "redis://127.0.0.1:1", "redis://cache:65535/15",
        "redis://user:pw@cache:6380/2", "redis://pw@cache", "redis://[::1]", "redis://[::1]:6379",
        "redis://cache/0",
    ])
    func acceptedRedisURL(url: String) throws {
        #expect(try GuildhallConfiguration.resolve(environment: ["REDIS_URL": url]).redisURL == url)
    }

    @Test("ports from 0 to 65535", arguments: [("0", 0), ("1", 1), ("8080", 8080), ("65535", 65535)])
    func ports(text: String, port: Int) throws {
        #expect(try GuildhallConfiguration.resolve(environment: ["PORT": text]).port == port)
    }

    @Test("every log level, in any case", arguments: Logger.Level.allCases)
    func logLevels(level: Logger.Level) throws {
        for text in [level.rawValue, level.rawValue.uppercased(), level.rawValue.capitalized] {
            #expect(try GuildhallConfiguration.resolve(environment: ["LOG_LEVEL": text]).logLevel == level)
        }
    }

    @Test func logLevelErrorListsTheChoices() throws {
        let error = try #require(throws: GuildhallError.self) {
            try GuildhallConfiguration.resolve(environment: ["LOG_LEVEL": "loud"])
        }
        #expect(error.message == "LOG_LEVEL must be one of trace, debug, info, notice, warning, error, critical, got 'loud'")
    }

    @Test func logFormatsInAnyCase() throws {
        #expect(try GuildhallConfiguration.resolve(environment: ["LOG_FORMAT": "Text"]).logFormat == .text)
        #expect(try GuildhallConfiguration.resolve(environment: ["LOG_FORMAT": "JSON"]).logFormat == .json)
    }

    @Test func databaseErrorsUseTheVariableName() throws {
        let error = try #require(throws: GuildhallError.self) {
            try GuildhallConfiguration.resolve(environment: ["DATABASE_URL": "postgres://u@h:99999/d"])
        }
        #expect(error.message == "DATABASE_URL has an invalid port '99999'")
    }

    @Test func memberwiseInitializerKeepsValues() {
        let configuration = GuildhallConfiguration(
            database: .sqliteMemory, redisURL: "redis://r", discord: DiscordCredentials(),
            bindAddress: "::1", port: 1, logLevel: .error, logFormat: .text
        )
        #expect(configuration.database == .sqliteMemory)
        #expect(configuration.redisURL == "redis://r")
        #expect(configuration.bindAddress == "::1")
        #expect(configuration.port == 1)
        #expect(configuration.logLevel == .error)
        #expect(configuration.logFormat == .text)
    }

    /// `RedisConfiguration` documents `redis://host[:port][/db][?protocol=2|3]`; the start-up
    /// check must read the port without the query.
    @Test("a query after the authority", arguments: [
        "redis://cache:6379?protocol=2", "redis://cache?protocol=3", "redis://u:p@[::1]:6380/1?protocol=2",
    ])
    func redisQuery(url: String) throws {
        #expect(try GuildhallConfiguration.resolve(environment: ["REDIS_URL": url]).redisURL == url)
    }

    @Test func redisQueryDoesNotHideABadPort() throws {
        let error = try #require(throws: GuildhallError.self) {
            try GuildhallConfiguration.resolve(environment: ["REDIS_URL": "redis://cache:abc?protocol=2"])
        }
        #expect(error.message == "REDIS_URL has an invalid port 'abc'")
    }
}

@Suite("DiscordCredentials")
struct DiscordCredentialsTests {
    @Test func emptyMeansSandbox() throws {
        let credentials = try DiscordCredentials(token: nil, applicationID: nil, publicKey: nil, clientID: nil, clientSecret: nil)
        #expect(credentials == DiscordCredentials())
        #expect(credentials.usesSandbox)
        #expect(credentials.token == nil && credentials.applicationID == nil && credentials.publicKey == nil)
        #expect(credentials.clientID == nil && credentials.clientSecret == nil)
    }

    @Test func fullSet() throws {
        let credentials = try DiscordCredentials(
            token: MockDiscord.token, applicationID: MockDiscord.applicationID.description,
            publicKey: MockDiscord.publicKey, clientID: MockDiscord.clientID.description, clientSecret: MockDiscord.clientSecret
        )
        #expect(credentials.token == MockDiscord.token)
        #expect(credentials.applicationID == MockDiscord.applicationID)
        #expect(credentials.publicKey == MockDiscord.publicKey.lowercased())
        #expect(credentials.publicKey?.count == 64)
        #expect(credentials.clientID == MockDiscord.clientID)
        #expect(credentials.clientSecret == MockDiscord.clientSecret)
        #expect(!credentials.usesSandbox)
    }

    @Test func applicationWithoutTokenStaysInSandbox() throws {
        let credentials = try DiscordCredentials(
            token: nil, applicationID: MockDiscord.applicationID.description, publicKey: nil, clientID: nil, clientSecret: nil
        )
        #expect(credentials.usesSandbox)
        #expect(credentials.applicationID == MockDiscord.applicationID)
    }

    @Test func tokenNeedsAnApplicationID() throws {
        let error = try #require(throws: GuildhallError.self) {
            try DiscordCredentials(token: MockDiscord.token, applicationID: nil, publicKey: nil, clientID: nil, clientSecret: nil)
        }
        #expect(error.code == .invalidConfiguration)
        #expect(error.message == "DISCORD_APPLICATION_ID is required when DISCORD_TOKEN is set")
        let viaResolve = try #require(throws: GuildhallError.self) {
            try GuildhallConfiguration.resolve(environment: ["DISCORD_TOKEN": MockDiscord.token])
        }
        #expect(viaResolve.message.contains("DISCORD_APPLICATION_ID"))
        #expect(viaResolve.message.contains("DISCORD_TOKEN"))
    }

    @Test func messagesDoNotEchoSecrets() throws {
        let token = try #require(throws: GuildhallError.self) {
            try DiscordCredentials(token: "secret value", applicationID: "1", publicKey: nil, clientID: nil, clientSecret: nil)
        }
        #expect(!token.message.contains("secret value"))
        let key = try #require(throws: GuildhallError.self) {
            try DiscordCredentials(token: nil, applicationID: nil, publicKey: "zz-secret", clientID: nil, clientSecret: nil)
        }
        #expect(!key.message.contains("zz-secret"))
    }

    /// `Character.isHexDigit` is also true for the fullwidth forms (U+FF10…, U+FF21…,
    /// U+FF41…), so a 64-character key of fullwidth digits passes validation and is stored.
    @Test func publicKeyMustBeASCIIHex() {
        let fullwidth = String(repeating: "\u{FF41}\u{FF10}", count: 32)
        do {
            #expect(throws: GuildhallError.self) {
                try DiscordCredentials(token: nil, applicationID: nil, publicKey: fullwidth, clientID: nil, clientSecret: nil)
            }
        }
    }
}

/// A feature's settings, resolved with the platform's: flag over variable over default, each
/// value checked, and a `--set` for a setting nobody declares refused.
@Suite("feature settings")
struct FeatureSettingTests {
    static let tick = FeatureSetting.integer("TEST_TICK_SECONDS", help: "seconds between ticks", default: 60, range: 1...60, unit: "seconds")

    @Test("the default, then the environment, then --set")
    func precedence() throws {
        var configuration = GuildhallConfiguration()
        #expect(configuration.integer(Self.tick) == 60 && configuration.value(of: Self.tick) == "60")
        try configuration.resolveFeatureSettings([Self.tick], environment: ["TEST_TICK_SECONDS": "15"], flags: [:])
        #expect(configuration.integer(Self.tick) == 15)
        try configuration.resolveFeatureSettings([Self.tick], environment: ["TEST_TICK_SECONDS": "15"], flags: ["TEST_TICK_SECONDS": "2"])
        #expect(configuration.integer(Self.tick) == 2)
    }

    @Test("a bad value is refused naming the variable, and nothing is changed", arguments: ["0", "61", "a minute", ""])
    func badValues(text: String) throws {
        var configuration = GuildhallConfiguration()
        let error = #expect(throws: GuildhallError.self) {
            try configuration.resolveFeatureSettings([Self.tick], environment: ["TEST_TICK_SECONDS": text], flags: [:])
        }
        #expect(error?.code == .invalidConfiguration)
        #expect(error?.message == "TEST_TICK_SECONDS must be a whole number of seconds from 1 to 60, got '\(text)'")
        #expect(configuration.integer(Self.tick) == 60)
    }

    @Test("--set for a setting no feature declares is refused with the known names")
    func unknownFlag() {
        var configuration = GuildhallConfiguration()
        let error = #expect(throws: GuildhallError.self) {
            try configuration.resolveFeatureSettings([Self.tick], environment: [:], flags: ["NOPE": "1"])
        }
        #expect(error?.message == "--set NOPE: no registered feature has that setting (known: TEST_TICK_SECONDS)")
    }
}
