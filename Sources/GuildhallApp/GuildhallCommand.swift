import ArgumentParser
import GuildhallCore

/// `guildhall`: one binary, several roles.
public struct GuildhallCommand: AsyncParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "guildhall",
        abstract: "A multi-tenant Discord bot platform; `guildhall features` lists the features this build ships.",
        version: GuildhallVersion.current,
        subcommands: [
            ServeCommand.self, GatewayCommand.self, WorkerCommand.self, APICommand.self,
            MigrateCommand.self, SandboxCommand.self, FeaturesCommand.self, JobsCommand.self, PremiumCommand.self, BenchCommand.self,
        ]
    )

    public init() {}
}
