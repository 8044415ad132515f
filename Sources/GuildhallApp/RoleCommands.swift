import ArgumentParser
import Foundation
import GuildhallCore
import GuildhallHTTP
import Logging

/// `guildhall serve`: everything in one process (the embedded default).
struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Run every role in one process: SQLite and in-process backends unless DATABASE_URL/REDIS_URL say otherwise."
    )

    @OptionGroup var options: ConfigurationOptions
    @OptionGroup var jobOptions: JobOptions

    func run() async throws {
        let configuration = try options.resolve()
        let logger = LoggingBootstrap.logger(for: configuration, role: Role.serve.rawValue)
        MetricsBootstrap.bootstrap()
        MetricsBootstrap.announce(role: Role.serve.rawValue, version: GuildhallVersion.current)
        let platform = try await Platform.open(configuration: configuration, role: .serve, logger: logger, migrate: true, jobQueue: jobOptions.queue)
        let discordNote = configuration.discord.usesSandbox
            ? "no DISCORD_TOKEN: the sandbox Discord would be used, but it is not built yet (issue #3)"
            : "DISCORD_TOKEN is set, but the Discord layer is not built yet (issue #3): not connecting to Discord"
        logger.notice("this build serves health, metrics and the job worker only; \(discordNote)")
        let group = try RoleRunner.serveGroup(platform: platform, jobs: jobOptions.settings) { port in
            logger.notice("guildhall serve listening", metadata: [
                "url": "http://\(configuration.bindAddress):\(port)", "database": "\(configuration.database)",
                "backends": "\(platform.backends.isRedis ? "redis" : "in-process")",
            ])
        }
        try await group.run()
    }
}

/// `guildhall worker`: runs jobs and the durable scheduler; several may run side by side.
struct WorkerCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "worker",
        abstract: "Run jobs: giveaway endings, reminders, scheduled posts (needs REDIS_URL and a PostgreSQL DATABASE_URL)."
    )

    @OptionGroup var options: ConfigurationOptions
    @OptionGroup var jobOptions: JobOptions

    func run() async throws {
        let configuration = try options.resolve()
        try Role.worker.validate(configuration)
        let logger = LoggingBootstrap.logger(for: configuration, role: Role.worker.rawValue)
        MetricsBootstrap.bootstrap()
        MetricsBootstrap.announce(role: Role.worker.rawValue, version: GuildhallVersion.current)
        let platform = try await Platform.open(configuration: configuration, role: .worker, logger: logger, migrate: false, jobQueue: jobOptions.queue)
        let settings = jobOptions.settings
        let queue = jobOptions.queue
        let group = try RoleRunner.workerGroup(platform: platform, jobs: settings) { port in
            logger.notice("guildhall worker listening", metadata: [
                "url": "http://\(configuration.bindAddress):\(port)", "database": "\(configuration.database)",
                "queue": "\(queue)", "concurrency": "\(settings.worker.concurrency)", "worker_id": "\(settings.worker.workerID)",
            ])
        }
        try await group.run()
    }
}

/// A role that is not built yet: validates its configuration (so a missing REDIS_URL is
/// named first), then says what is missing and exits non-zero.
protocol PendingRoleCommand: AsyncParsableCommand {
    static var role: Role { get }
    var options: ConfigurationOptions { get }
}

extension PendingRoleCommand {
    func run() async throws {
        let configuration = try options.resolve()
        try Self.role.validate(configuration)
        throw NotBuiltYet(description: Self.role.missingParts ?? "\(Self.role.rawValue) is not available")
    }
}

struct GatewayCommand: PendingRoleCommand {
    static let configuration = CommandConfiguration(commandName: "gateway", abstract: "Hold shard connections to Discord (needs REDIS_URL).")
    static var role: Role { .gateway }
    @OptionGroup var options: ConfigurationOptions
    @Option(help: "Shard range this process runs, e.g. 0-3.") var shards: String?
    @Option(name: .customLong("shard-count"), help: "Total shards across all processes.") var shardCount: Int?
}

struct APICommand: PendingRoleCommand {
    static let configuration = CommandConfiguration(commandName: "api", abstract: "Serve the REST API and dashboard (needs REDIS_URL).")
    static var role: Role { .api }
    @OptionGroup var options: ConfigurationOptions
}

struct SandboxCommand: PendingRoleCommand {
    static let configuration = CommandConfiguration(commandName: "sandbox", abstract: "Run the local Discord stand-in.")
    static var role: Role { .sandbox }
    @OptionGroup var options: ConfigurationOptions
}
