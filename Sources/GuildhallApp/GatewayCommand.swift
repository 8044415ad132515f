import ArgumentParser
import GuildhallCore
import GuildhallDiscordGateway
import GuildhallHTTP
import Hummingbird
import ServiceLifecycle

/// `guildhall gateway --shards 0-3 --shard-count 8`: holds a range of shard connections and
/// wires their events to the features. Needs REDIS_URL (shared identify buckets, REST budget
/// and settings cache) and PostgreSQL, like every multi-process role.
struct GatewayCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "gateway", abstract: "Hold shard connections to Discord (needs REDIS_URL).")
    @OptionGroup var options: ConfigurationOptions
    @Option(help: "Shard range this process runs, e.g. 0-3 or 0,2,4 (default: every shard).") var shards: String?
    @Option(name: .customLong("shard-count"), help: "Total shards across all processes (default: Discord's recommendation).") var shardCount: Int?

    func run() async throws {
        let configuration = try options.resolve()
        try Role.gateway.validate(configuration)
        let shardIDs = try shards.map { try ShardManager.Configuration.parseShardIDs($0) }
        if let shardCount {
            guard shardCount > 0 else { throw GuildhallError(.invalidConfiguration, "--shard-count must be at least 1") }
            if let outside = shardIDs?.first(where: { $0 >= shardCount }) {
                throw GuildhallError(.invalidConfiguration, "shard \(outside) is outside --shard-count \(shardCount)")
            }
        } else if shardIDs != nil {
            throw GuildhallError(.invalidConfiguration, "--shards needs --shard-count: every process must agree on the total")
        }
        let logger = LoggingBootstrap.logger(for: configuration, role: Role.gateway.rawValue)
        MetricsBootstrap.bootstrap()
        MetricsBootstrap.announce(role: Role.gateway.rawValue, version: GuildhallVersion.current)
        let target = try DiscordTarget.configured(configuration)
        let platform = try await Platform.open(configuration: configuration, role: .gateway, logger: logger, migrate: false)
        let runtime = try await BotAssembly.make(platform: platform, target: target, shardIDs: shardIDs, shardCount: shardCount, logger: logger)
        let group = RoleRunner.gatewayGroup(platform: platform, bot: runtime) { port in
            logger.notice("guildhall gateway serving health and metrics", metadata: ["url": "http://\(configuration.bindAddress):\(port)"])
        }
        try await group.run()
    }
}
