// swift-tools-version:6.0
import PackageDescription

/// What every feature target may use: the kit and the platform libraries under it.
var featureDependencies: [Target.Dependency] {
    [
        "GuildhallKit", "GuildhallCore", "GuildhallAPI", "GuildhallBot", "GuildhallDashboard", "GuildhallBackends", "GuildhallStorage", "GuildhallJobs", "GuildhallPremium",
        "GuildhallGuildSettings", "GuildhallDiscordModels", "GuildhallDiscordREST", "GuildhallDiscordGateway",
        .product(name: "FluentKit", package: "fluent-kit"),
        .product(name: "Hummingbird", package: "hummingbird"),
        .product(name: "Logging", package: "swift-log"),
        .product(name: "Metrics", package: "swift-metrics"),
        .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
    ]
}

// Targets are split by concern (docs/architecture.md): each library depends only on
// what it needs, so the Redis client builds without the database and the CLI is the
// only place where everything meets.
let package = Package(
    name: "Guildhall",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "guildhall", targets: ["guildhall"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-metrics.git", from: "2.13.0"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus.git", from: "2.4.1"),
        .package(url: "https://github.com/hummingbird-project/hummingbird.git", from: "2.28.1"),
        .package(url: "https://github.com/vapor/fluent-kit.git", from: "1.57.0"),
        .package(url: "https://github.com/vapor/fluent-sqlite-driver.git", from: "4.9.0"),
        .package(url: "https://github.com/vapor/fluent-postgres-driver.git", from: "2.14.0"),
        .package(url: "https://github.com/swift-server/async-http-client.git", from: "1.37.0"),
        .package(url: "https://github.com/hummingbird-project/swift-websocket.git", from: "1.6.2"),
        .package(url: "https://github.com/hummingbird-project/hummingbird-websocket.git", from: "2.8.1"),
        .package(url: "https://github.com/apple/swift-crypto.git", from: "4.5.2"),
        .package(url: "https://github.com/adam-fowler/compress-nio.git", from: "1.5.0"),
        .package(url: "https://github.com/vapor/jwt-kit.git", from: "5.8.0"),
        .package(url: "https://github.com/hummingbird-project/swift-mustache.git", from: "2.1.1"),
    ],
    targets: [
        // Shared vocabulary: errors, configuration, the Redis keyspace, logging; re-exports the
        // Discord models (snowflakes live there).
        .target(
            name: "GuildhallCore",
            dependencies: [
                "GuildhallDiscordModels",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
            ]
        ),
        // Our own RESP3 Redis client on SwiftNIO (no Redis package is available here).
        .target(
            name: "GuildhallRedis",
            dependencies: [
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        // Cache, cooldown, rate-limit and pub/sub interfaces, in-process and on Redis.
        .target(
            name: "GuildhallBackends",
            dependencies: ["GuildhallCore", "GuildhallRedis"]
        ),
        // Fluent models and revertible migrations for SQLite and PostgreSQL.
        .target(
            name: "GuildhallStorage",
            dependencies: [
                "GuildhallCore",
                .product(name: "FluentKit", package: "fluent-kit"),
                .product(name: "FluentSQLiteDriver", package: "fluent-sqlite-driver"),
                .product(name: "FluentPostgresDriver", package: "fluent-postgres-driver"),
            ]
        ),
        // Guild settings (platform): which modules each guild has switched on, grants, access.
        .target(
            name: "GuildhallGuildSettings",
            dependencies: [
                "GuildhallPremium",
                "GuildhallCore", "GuildhallStorage", "GuildhallBackends",
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        // HTTP surface shared by every role: /healthz and /metrics.
        .target(
            name: "GuildhallHTTP",
            dependencies: [
                "GuildhallCore",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "NIOCore", package: "swift-nio"),
            ]
        ),
        // Premium: plans, the one table of limits, entitlements from Discord and operators.
        .target(
            name: "GuildhallPremium",
            dependencies: [
                "GuildhallCore", "GuildhallStorage", "GuildhallDiscordModels", "GuildhallJobs",
                .product(name: "FluentKit", package: "fluent-kit"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
            ]
        ),
        // The JSON API under /api: the one error shape, request checks against declared
        // schemas, the OpenAPI document, rate limits, operator routes.
        .target(
            name: "GuildhallAPI",
            dependencies: [
                "GuildhallCore", "GuildhallBackends", "GuildhallHTTP", "GuildhallJobs", "GuildhallStorage",
                "GuildhallGuildSettings", "GuildhallDiscordModels", "GuildhallDiscordREST", "GuildhallPremium",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "JWTKit", package: "jwt-kit"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
            ]
        ),
        // The dashboard: server-rendered pages (swift-mustache), one stylesheet, a little
        // plain JavaScript that writes through the JSON API.
        .target(
            name: "GuildhallDashboard",
            dependencies: [
                "GuildhallCore", "GuildhallAPI", "GuildhallGuildSettings", "GuildhallStorage", "GuildhallPremium", "GuildhallJobs", "GuildhallDiscordREST",
                .product(name: "Mustache", package: "swift-mustache"),
                .product(name: "Hummingbird", package: "hummingbird"),
            ],
            resources: [.copy("Resources")]
        ),
        // Structured mock data: generated snowflakes, guilds, members, shards, premium states.
        .target(
            name: "GuildhallFixtures",
            dependencies: ["GuildhallCore"]
        ),
        // Jobs: definitions, retry policy, Redis and in-process drivers, the durable
        // scheduler for delayed and recurring jobs, dead letters and the worker loop.
        .target(
            name: "GuildhallJobs",
            dependencies: [
                "GuildhallCore", "GuildhallRedis", "GuildhallBackends", "GuildhallStorage",
                .product(name: "FluentKit", package: "fluent-kit"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
            ]
        ),
        // Discord API v10 models, snowflakes, gateway payloads and the permission algorithm.
        // Pure Foundation, no other Guildhall target: it could ship on its own.
        .target(
            name: "GuildhallDiscordModels",
            dependencies: []
        ),
        // The REST client: routes, rate-limit buckets (in-process or Redis), retries.
        .target(
            name: "GuildhallDiscordREST",
            dependencies: [
                "GuildhallCore", "GuildhallDiscordModels", "GuildhallBackends", "GuildhallRedis",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
            ]
        ),
        // The gateway: each shard's protocol as a pure state machine, a thin WebSocket
        // transport, and the shard manager with identify buckets.
        .target(
            name: "GuildhallDiscordGateway",
            dependencies: [
                "GuildhallCore", "GuildhallDiscordModels", "GuildhallBackends", "GuildhallRedis",
                .product(name: "WSClient", package: "swift-websocket"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
            ]
        ),
        // The sandbox Discord: gateway WebSocket, REST, OAuth2 and a control API on loopback.
        .target(
            name: "GuildhallSandbox",
            dependencies: [
                "GuildhallCore", "GuildhallDiscordModels", "GuildhallFixtures",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdWebSocket", package: "hummingbird-websocket"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "CompressNIO", package: "compress-nio"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        // The bot runtime: interactions (gateway and signed HTTP), command and component
        // registries, and the wiring from events to feature handlers.
        .target(
            name: "GuildhallBot",
            dependencies: [
                "GuildhallCore", "GuildhallDiscordModels", "GuildhallDiscordREST", "GuildhallDiscordGateway",
                "GuildhallBackends", "GuildhallGuildSettings", "GuildhallPremium",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
            ]
        ),
        // The feature kit: what a feature declares (commands, routes, tabs, migrations, keys,
        // jobs, services) and the context the platform hands it. Platform below, features above.
        .target(
            name: "GuildhallKit",
            dependencies: [
                "GuildhallCore", "GuildhallBackends", "GuildhallStorage", "GuildhallJobs", "GuildhallPremium", "GuildhallGuildSettings",
                "GuildhallDiscordModels", "GuildhallDiscordREST", "GuildhallBot", "GuildhallAPI", "GuildhallDashboard",
                .product(name: "FluentKit", package: "fluent-kit"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ]
        ),
        // Features: each one folder under Sources/Features with a sub-folder per layer.
        .target(name: "GuildhallGuildSettingsFeature", dependencies: featureDependencies, path: "Sources/Features/GuildSettings", resources: [.copy("Dashboard/Resources")]),
        .target(name: "GuildhallLeveling", dependencies: featureDependencies, path: "Sources/Features/Leveling", resources: [.copy("Dashboard/Resources")]),
        .target(name: "GuildhallGiveaways", dependencies: featureDependencies, path: "Sources/Features/Giveaways", resources: [.copy("Dashboard/Resources")]),
        // Roles, configuration resolution, the CLI and benchmarks.
        .target(
            name: "GuildhallApp",
            dependencies: [
                "GuildhallCore", "GuildhallRedis", "GuildhallBackends", "GuildhallStorage",
                "GuildhallKit", "GuildhallGuildSettingsFeature", "GuildhallGuildSettings", "GuildhallHTTP", "GuildhallFixtures",
                "GuildhallJobs", "GuildhallDiscordModels", "GuildhallDiscordREST", "GuildhallDiscordGateway",
                "GuildhallSandbox", "GuildhallBot", "GuildhallAPI", "GuildhallDashboard", "GuildhallPremium", "GuildhallLeveling", "GuildhallGiveaways",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Hummingbird", package: "hummingbird"),
            ]
        ),
        .executableTarget(
            name: "guildhall",
            dependencies: ["GuildhallApp"]
        ),
        // Test-only helpers (they live under Tests/ and are not product code):
        // spawning redis-server, and where the test command's services listen.
        .target(
            name: "GuildhallTestSupport", dependencies: [.product(name: "Logging", package: "swift-log")], path: "Tests/GuildhallTestSupport"
        ),
        // Fresh SQLite and PostgreSQL databases per test.
        .target(
            name: "GuildhallDatabaseTestSupport",
            dependencies: ["GuildhallCore", "GuildhallStorage", "GuildhallGuildSettings", "GuildhallPremium", "GuildhallTestSupport"],
            path: "Tests/GuildhallDatabaseTestSupport"
        ),
        .testTarget(name: "GuildhallCoreTests", dependencies: ["GuildhallCore", "GuildhallFixtures", "GuildhallTestSupport"]),
        .testTarget(name: "GuildhallRedisTests", dependencies: ["GuildhallRedis", "GuildhallTestSupport"]),
        .testTarget(name: "GuildhallBackendsTests", dependencies: ["GuildhallBackends", "GuildhallCore", "GuildhallRedis", "GuildhallFixtures", "GuildhallTestSupport"]),
        .testTarget(name: "GuildhallStorageTests", dependencies: ["GuildhallStorage", "GuildhallCore", "GuildhallFixtures", "GuildhallDatabaseTestSupport", "GuildhallTestSupport"]),
        .testTarget(name: "GuildhallFeaturesTests", dependencies: [
            "GuildhallKit", "GuildhallGuildSettings", "GuildhallGuildSettingsFeature", "GuildhallApp", "GuildhallCore", "GuildhallLeveling", "GuildhallGiveaways",
            "GuildhallStorage", "GuildhallDatabaseTestSupport", "GuildhallTestSupport", "GuildhallSandbox", "GuildhallAPI", "GuildhallHTTP", "GuildhallPremium",
            .product(name: "FluentKit", package: "fluent-kit"),
        ]),
        .testTarget(name: "GuildhallGuildSettingsTests", dependencies: [
            "GuildhallGuildSettings", "GuildhallBackends", "GuildhallCore", "GuildhallRedis", "GuildhallStorage", "GuildhallPremium",
            "GuildhallFixtures", "GuildhallDatabaseTestSupport", "GuildhallTestSupport",
        ], path: "Tests/Features/GuildSettingsTests"),
        .testTarget(name: "GuildhallJobsTests", dependencies: [
            "GuildhallJobs", "GuildhallCore", "GuildhallRedis", "GuildhallBackends", "GuildhallStorage",
            "GuildhallFixtures", "GuildhallDatabaseTestSupport", "GuildhallTestSupport",
        ]),
        // The fixtures are Discord's documented payloads, read by path at test time.
        .testTarget(name: "GuildhallDiscordModelsTests", dependencies: [
            "GuildhallDiscordModels", "GuildhallCore", "GuildhallFixtures", "GuildhallTestSupport",
        ], exclude: ["Fixtures"]),
        .testTarget(name: "GuildhallDiscordRESTTests", dependencies: [
            "GuildhallDiscordREST", "GuildhallDiscordModels", "GuildhallCore", "GuildhallBackends", "GuildhallRedis",
            "GuildhallFixtures", "GuildhallTestSupport",
            .product(name: "Hummingbird", package: "hummingbird"),
        ]),
        .testTarget(name: "GuildhallDiscordGatewayTests", dependencies: [
            "GuildhallDiscordGateway", "GuildhallDiscordModels", "GuildhallCore", "GuildhallBackends", "GuildhallRedis",
            "GuildhallFixtures", "GuildhallTestSupport",
            .product(name: "Hummingbird", package: "hummingbird"),
            .product(name: "HummingbirdWebSocket", package: "hummingbird-websocket"),
        ]),
        .testTarget(name: "GuildhallSandboxTests", dependencies: [
            "GuildhallSandbox", "GuildhallDiscordModels", "GuildhallCore", "GuildhallFixtures", "GuildhallTestSupport",
            .product(name: "NIOEmbedded", package: "swift-nio"),
        ]),
        .testTarget(name: "GuildhallGiveawaysTests", dependencies: [
            "GuildhallGiveaways", "GuildhallCore", "GuildhallPremium", "GuildhallFixtures", "GuildhallStorage", "GuildhallJobs", "GuildhallBackends",
            "GuildhallGuildSettings", "GuildhallDiscordModels", "GuildhallDiscordREST", "GuildhallSandbox", "GuildhallRedis",
            "GuildhallDatabaseTestSupport", "GuildhallTestSupport", "GuildhallKit",
            .product(name: "FluentKit", package: "fluent-kit"),
        ], path: "Tests/Features/GiveawaysTests"),
        // Clients/ holds a discord.py bot the faithfulness test runs against the sandbox.
        .testTarget(name: "GuildhallBotTests", dependencies: [
            "GuildhallBot", "GuildhallSandbox", "GuildhallDiscordREST", "GuildhallDiscordGateway", "GuildhallDiscordModels",
            "GuildhallCore", "GuildhallBackends", "GuildhallRedis", "GuildhallGuildSettings", "GuildhallStorage",
            "GuildhallFixtures", "GuildhallDatabaseTestSupport", "GuildhallTestSupport", "GuildhallLeveling", "GuildhallGiveaways",
            "GuildhallGuildSettingsFeature", "GuildhallKit",
            .product(name: "FluentKit", package: "fluent-kit"),
        ], exclude: ["Clients"]),
        .testTarget(name: "GuildhallAPITests", dependencies: [
            "GuildhallAPI", "GuildhallCore", "GuildhallBackends", "GuildhallHTTP", "GuildhallJobs", "GuildhallStorage",
            "GuildhallDatabaseTestSupport", "GuildhallTestSupport", "GuildhallRedis", "GuildhallSandbox", "GuildhallGuildSettings",
            "GuildhallDiscordREST", "GuildhallDiscordModels", "GuildhallPremium", "GuildhallLeveling", "GuildhallGiveaways",
            "GuildhallGuildSettingsFeature", "GuildhallKit",
            .product(name: "Hummingbird", package: "hummingbird"),
            .product(name: "HummingbirdTesting", package: "hummingbird"),
            .product(name: "NIOHTTP1", package: "swift-nio"),
        ]),
        .testTarget(name: "GuildhallLevelingTests", dependencies: [
            "GuildhallLeveling", "GuildhallCore", "GuildhallBackends", "GuildhallRedis", "GuildhallTestSupport", "GuildhallDatabaseTestSupport",
            "GuildhallStorage", "GuildhallJobs", "GuildhallGuildSettings", "GuildhallPremium", "GuildhallDiscordModels", "GuildhallDiscordREST",
            .product(name: "FluentKit", package: "fluent-kit"),
        ], path: "Tests/Features/LevelingTests"),
        .testTarget(name: "GuildhallPremiumTests", dependencies: [
            "GuildhallPremium", "GuildhallCore", "GuildhallStorage", "GuildhallDiscordModels", "GuildhallDatabaseTestSupport",
            "GuildhallTestSupport", "GuildhallBot", "GuildhallDiscordGateway", "GuildhallJobs",
        ]),
        .testTarget(name: "GuildhallDashboardTests", dependencies: [
            "GuildhallApp", "GuildhallDashboard", "GuildhallAPI", "GuildhallSandbox", "GuildhallStorage", "GuildhallCore",
            "GuildhallDatabaseTestSupport", "GuildhallTestSupport", "GuildhallHTTP", "GuildhallJobs", "GuildhallPremium", "GuildhallGiveaways",
            "GuildhallLeveling", "GuildhallBackends", "GuildhallGuildSettings", "GuildhallDiscordREST",
            .product(name: "NIOHTTP1", package: "swift-nio"),
            .product(name: "HummingbirdTesting", package: "hummingbird"),
        ]),
        .testTarget(name: "GuildhallAppTests", dependencies: [
            "GuildhallApp", "GuildhallHTTP", "GuildhallCore", "GuildhallBackends", "GuildhallRedis", "GuildhallStorage",
            "GuildhallGuildSettings", "GuildhallFixtures", "GuildhallDatabaseTestSupport", "GuildhallTestSupport",
            "GuildhallSandbox", "GuildhallDiscordModels", "GuildhallDiscordREST", "GuildhallGiveaways", "GuildhallJobs", "GuildhallPremium",
            "GuildhallKit", "GuildhallAPI", "GuildhallLeveling",
            .product(name: "NIOHTTP1", package: "swift-nio"),
        ]),
    ],
    swiftLanguageModes: [.v6]
)

