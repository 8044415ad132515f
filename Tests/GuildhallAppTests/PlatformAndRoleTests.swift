import ArgumentParser
import Foundation
@testable import GuildhallApp
import GuildhallCore
import GuildhallDatabaseTestSupport
import GuildhallStorage
import GuildhallTestSupport
import Testing

@Suite("Roles, configuration and start-up failures")
struct PlatformAndRoleTests {
    @Test("multi-process roles refuse to start without REDIS_URL, naming it", arguments: [GuildhallApp.Role.gateway, .worker, .api])
    func requiresRedis(role: GuildhallApp.Role) throws {
        let error = #expect(throws: GuildhallError.self) { try role.validate(GuildhallConfiguration()) }
        #expect(error?.code == .invalidConfiguration)
        #expect(error?.message.contains("REDIS_URL") == true)
        let sqlite = #expect(throws: GuildhallError.self) {
            try role.validate(GuildhallConfiguration(redisURL: "redis://127.0.0.1:6379"))
        }
        #expect(sqlite?.message.contains("DATABASE_URL") == true, "several processes need PostgreSQL")
        let postgres = GuildhallConfiguration(database: try DatabaseLocation.parse("postgres://u@db/guildhall"), redisURL: "redis://127.0.0.1:6379")
        try role.validate(postgres)
        #expect(role.requiresRedis)
    }

    @Test("serve and sandbox need no Redis")
    func embeddedRoles() throws {
        try GuildhallApp.Role.serve.validate(GuildhallConfiguration())
        try GuildhallApp.Role.sandbox.validate(GuildhallConfiguration())
        #expect(!GuildhallApp.Role.serve.requiresRedis && !GuildhallApp.Role.sandbox.requiresRedis)
    }

    @Test("`guildhall gateway` refuses shard ranges that cannot work, before connecting anywhere")
    func gatewayShardOptions() async throws {
        let base = ["gateway", "--redis-url", "redis://127.0.0.1:1", "--database-url", "postgres://u@h/d"]
        let noCount = await #expect(throws: GuildhallError.self) { try await runGuildhall(base + ["--shards", "0-3"]) }
        #expect(noCount?.message.contains("--shard-count") == true)
        let outside = await #expect(throws: GuildhallError.self) { try await runGuildhall(base + ["--shards", "0-8", "--shard-count", "8"]) }
        #expect(outside?.message.contains("shard 8") == true)
        let zero = await #expect(throws: GuildhallError.self) { try await runGuildhall(base + ["--shard-count", "0"]) }
        #expect(zero?.message.contains("at least 1") == true)
        let noToken = await #expect(throws: GuildhallError.self) { try await runGuildhall(base + ["--shards", "0-3", "--shard-count", "8"]) }
        #expect(noToken?.message.contains("DISCORD_TOKEN") == true)
    }

    @Test("`guildhall gateway` without REDIS_URL exits with a message naming REDIS_URL")
    func gatewayCommand() async throws {
        let error = await #expect(throws: GuildhallError.self) { try await runGuildhall(["gateway", "--shards", "0-3", "--shard-count", "8"]) }
        #expect(error?.message.contains("REDIS_URL") == true)
        let worker = await #expect(throws: GuildhallError.self) {
            try await runGuildhall(["worker", "--redis-url", "redis://127.0.0.1:1", "--database-url", "postgres://u@127.0.0.1:1/d", "--concurrency", "4", "--log-level", "critical"])
        }
        #expect(worker?.message.contains("DATABASE_URL") == true, "the worker is built: it fails on the unreachable database")
    }

    @Test("`guildhall api` checks its configuration first: REDIS_URL, then PostgreSQL, then a reachable database")
    func apiCommand() async throws {
        let noRedis = await #expect(throws: GuildhallError.self) { try await runGuildhall(["api"]) }
        #expect(noRedis?.message.contains("REDIS_URL") == true)
        let unreachable = await #expect(throws: GuildhallError.self) {
            try await runGuildhall(["api", "--redis-url", "redis://127.0.0.1:1", "--database-url", "postgres://u@127.0.0.1:1/d", "--log-level", "critical"])
        }
        #expect(unreachable?.message.contains("DATABASE_URL") == true, "the api role is built: it fails on the unreachable database")
        let shortToken = await #expect(throws: GuildhallError.self) {
            try await runGuildhall(["api", "--redis-url", "redis://127.0.0.1:1", "--database-url", "postgres://u@h/d", "--operator-token", "short"])
        }
        #expect(shortToken?.message.contains("OPERATOR_TOKEN") == true)
    }

    @Test("flags override environment variables; bad values name their variable")
    func options() throws {
        let options = try ConfigurationOptions.parse(["--port", "9090", "--log-format", "text", "--redis-url", "redis://127.0.0.1:7000"])
        let configuration = try options.resolve(environment: ["PORT": "1234", "REDIS_URL": "redis://elsewhere:1", "LOG_LEVEL": "debug"])
        #expect(configuration.port == 9090)
        #expect(configuration.redisURL == "redis://127.0.0.1:7000")
        #expect(configuration.logFormat == .text)
        #expect(configuration.logLevel == .debug)
        let bad = try ConfigurationOptions.parse(["--database-url", "mysql://x"])
        let error = #expect(throws: GuildhallError.self) { _ = try bad.resolve(environment: [:]) }
        #expect(error?.message.contains("DATABASE_URL") == true)
        let all = try ConfigurationOptions.parse([
            "--discord-token", "token.value", "--discord-application-id", "123456789012345678",
            "--discord-public-key", String(repeating: "ab", count: 32), "--discord-client-id", "123456789012345678",
            "--discord-client-secret", "secret", "--bind", "0.0.0.0", "--log-level", "warning",
        ]).resolve(environment: [:])
        #expect(all.discord.token == "token.value" && !all.discord.usesSandbox)
        #expect(all.bindAddress == "0.0.0.0" && all.logLevel == .warning)
    }

    @Test("an unreachable Redis fails start-up with a message naming REDIS_URL")
    func unreachableRedis() async throws {
        let port = try FreePort.loopback()
        let configuration = GuildhallConfiguration(database: .sqliteMemory, redisURL: "redis://user:secret@127.0.0.1:\(port)")
        let error = await #expect(throws: GuildhallError.self) {
            _ = try await Platform.open(configuration: configuration, role: .serve, logger: TestDatabase.quietLogger, migrate: true)
        }
        #expect(error?.message.contains("REDIS_URL") == true)
        #expect(error?.message.contains("secret") == false, "passwords never reach logs or errors")
    }

    @Test("an out-of-date schema is refused unless the role migrates")
    func pendingMigrations() async throws {
        let location = try await TestDatabase.location(.sqlite)
        let error = await #expect(throws: GuildhallError.self) {
            _ = try await Platform.open(configuration: GuildhallConfiguration(database: location), role: .serve, logger: TestDatabase.quietLogger, migrate: false)
        }
        #expect(error?.message.contains("guildhall migrate") == true)
        let platform = try await Platform.open(configuration: GuildhallConfiguration(database: location), role: .serve, logger: TestDatabase.quietLogger, migrate: true)
        await platform.close()
        let again = try await Platform.open(configuration: GuildhallConfiguration(database: location), role: .serve, logger: TestDatabase.quietLogger, migrate: false)
        await again.close()
    }

    @Test("an unreachable database fails start-up with a message naming DATABASE_URL")
    func unreachableDatabase() async throws {
        let port = try FreePort.loopback()
        let location = DatabaseLocation.postgres(.init(host: "127.0.0.1", port: port, username: "nobody", database: "none"))
        let error = await #expect(throws: GuildhallError.self) {
            _ = try await Platform.open(configuration: GuildhallConfiguration(database: location), role: .serve, logger: TestDatabase.quietLogger, migrate: true)
        }
        #expect(error?.message.contains("DATABASE_URL") == true)
    }

    @Test("passwords are redacted from Redis URLs")
    func redaction() {
        #expect(Platform.redact("redis://user:pw@host:6379/0") == "redis://***@host:6379/0")
        #expect(Platform.redact("redis://host:6379") == "redis://host:6379")
    }

    @Test("the logging bootstrap labels every line with the role")
    func loggingBootstrap() {
        let logger = LoggingBootstrap.logger(for: GuildhallConfiguration(logLevel: .error, logFormat: .json), role: "test-role")
        #expect(logger.logLevel == .error)
        #expect(logger[metadataKey: LogKey.role] == "test-role")
        // A second call reuses the process's handler instead of bootstrapping twice (which would trap).
        let text = LoggingBootstrap.logger(for: GuildhallConfiguration(logFormat: .text), role: "again")
        #expect(text[metadataKey: LogKey.role] == "again")
    }
}

@Suite("migrate command")
struct MigrateCommandTests {
    @Test("migrate, revert, migrate on both engines", arguments: TestDatabase.Engine.allCases)
    func roundTrip(engine: TestDatabase.Engine) async throws {
        let location = try await TestDatabase.location(engine)
        let logger = TestDatabase.quietLogger
        let first = try await MigrationRunner.run(location: location, revert: false, logger: logger)
        #expect(first.contains("applied \(FeatureCatalog.migrations.count) migration(s)"))
        #expect(try await MigrationRunner.run(location: location, revert: false, logger: logger).contains("schema up to date"))
        let reverted = try await MigrationRunner.run(location: location, revert: true, logger: logger)
        #expect(reverted.contains("reverted \(FeatureCatalog.migrations.count) migration(s)"))
        #expect(try await MigrationRunner.run(location: location, revert: true, logger: logger).contains("no migration applied"))
        #expect(try await MigrationRunner.run(location: location, revert: false, logger: logger).contains("applied"))
    }

    @Test("a migration against an unreachable server fails naming DATABASE_URL")
    func unreachable() async throws {
        let location = DatabaseLocation.postgres(.init(host: "127.0.0.1", port: try FreePort.loopback(), username: "x", database: "y"))
        let error = await #expect(throws: GuildhallError.self) {
            _ = try await MigrationRunner.run(location: location, revert: false, logger: TestDatabase.quietLogger)
        }
        #expect(error?.message.contains("DATABASE_URL") == true)
    }

    @Test("the migrate command runs through the CLI parser")
    func viaParser() async throws {
        let location = try await TestDatabase.location(.sqlite)
        try await runGuildhall(["migrate", "--database-url", location.description, "--log-level", "error"])
        try await runGuildhall(["migrate", "--revert", "--database-url", location.description, "--log-level", "error"])
    }
}
