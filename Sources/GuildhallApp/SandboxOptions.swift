import ArgumentParser
import GuildhallSandbox
import Logging

/// The sandbox Discord's world, shared by `guildhall sandbox` and `guildhall serve`.
struct SandboxOptions: ParsableArguments {
    @Option(name: .customLong("sandbox-guilds"), help: "Guilds in the sandbox Discord's seeded world.")
    var guilds: Int = 3
    @Option(name: .customLong("sandbox-members"), help: "Members per sandbox guild.")
    var members: Int = 25
    @Option(name: .customLong("sandbox-seed"), help: "Seed of the sandbox world: the same seed builds the same world.")
    var seed: UInt64 = 1
    @Option(name: .customLong("sandbox-shards"), help: "Shards the sandbox recommends in GET /gateway/bot.")
    var shards: Int = 1

    func validate() throws {
        guard (1...10_000).contains(guilds) else { throw ValidationError("--sandbox-guilds must be 1...10000") }
        guard (1...100_000).contains(members) else { throw ValidationError("--sandbox-members must be 1...100000") }
        guard (1...1_024).contains(shards) else { throw ValidationError("--sandbox-shards must be 1...1024") }
    }

    func configuration(host: String = "127.0.0.1", port: Int = 0, logger: Logger) -> SandboxConfiguration {
        SandboxConfiguration(
            host: host, port: port, seed: seed, guildCount: guilds, membersPerGuild: members,
            recommendedShards: shards, logger: logger
        )
    }
}
