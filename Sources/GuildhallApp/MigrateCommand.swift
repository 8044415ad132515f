import ArgumentParser
import GuildhallCore
import GuildhallStorage
import Logging

/// `guildhall migrate [--revert]`.
struct MigrateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "migrate",
        abstract: "Bring the database schema up to date, or with --revert take every migration back."
    )

    @OptionGroup var options: ConfigurationOptions
    @Flag(help: "Revert every applied migration, newest first.") var revert = false

    func run() async throws {
        let configuration = try options.resolve()
        let logger = LoggingBootstrap.logger(for: configuration, role: "migrate")
        print(try await MigrationRunner.run(location: configuration.database, revert: revert, logger: logger))
    }
}

/// The migrate command's work, apart from argument parsing so tests can call it.
public enum MigrationRunner {
    public static func run(location: DatabaseLocation, revert: Bool, logger: Logger) async throws -> String {
        let database = try GuildhallDatabase(location: location, migrations: FeatureCatalog.migrations, logger: logger)
        do {
            let names = revert ? try await database.revertAll() : try await database.migrate()
            await database.shutdown()
            let verb = revert ? "reverted" : "applied"
            if names.isEmpty { return "\(location): nothing to do (\(revert ? "no migration applied" : "schema up to date"))" }
            return (["\(location): \(verb) \(names.count) migration(s)"] + names.map { "  \(verb) \($0)" }).joined(separator: "\n")
        } catch {
            await database.shutdown()
            throw GuildhallError(.unavailable, "DATABASE_URL: migration failed on \(location): \(error)", underlying: error)
        }
    }
}


