import ArgumentParser
import Foundation
import GuildhallCore
import GuildhallJobs
import GuildhallStorage
import Logging

/// `guildhall jobs dead|replay`: the operator's view of jobs that could not succeed.
struct JobsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "jobs",
        abstract: "Inspect and replay dead-lettered jobs.",
        subcommands: [DeadLettersCommand.self, ReplayCommand.self]
    )
}

struct DeadLettersCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "dead", abstract: "List dead-lettered jobs, newest first, with their last error.")

    @OptionGroup var options: ConfigurationOptions
    @Option(help: "At most this many (1-1000).") var limit = 50
    @Flag(help: "Also list letters already replayed.") var all = false
    @Flag(help: "Print JSON instead of a table.") var json = false

    func run() async throws {
        let configuration = try options.resolve()
        let logger = LoggingBootstrap.logger(for: configuration, role: "jobs")
        print(try await JobsCLI.deadLetters(location: configuration.database, limit: limit, includeReplayed: all, json: json, logger: logger))
    }
}

struct ReplayCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "replay", abstract: "Send one dead-lettered job back to its queue, with its attempts reset.")

    @OptionGroup var options: ConfigurationOptions
    @Argument(help: "The job id, as `guildhall jobs dead` prints it.") var jobID: String

    func run() async throws {
        let configuration = try options.resolve()
        let logger = LoggingBootstrap.logger(for: configuration, role: "jobs")
        print(try await JobsCLI.replay(location: configuration.database, jobID: jobID, logger: logger))
    }
}

/// The jobs commands' work, apart from argument parsing so tests can call it. They need
/// only the database: a replay is a one-off schedule due now, which the scheduler of any
/// running worker (or `serve`) hands to the queue.
public enum JobsCLI {
    public static func deadLetters(location: DatabaseLocation, limit: Int, includeReplayed: Bool, json: Bool, logger: Logger) async throws -> String {
        try await withAdmin(location: location, logger: logger) { admin in
            let letters = try await admin.listDeadLetters(limit: limit, includeReplayed: includeReplayed)
            if json {
                let encoder = JSONEncoder()
                encoder.outputFormatting = [.sortedKeys]
                return String(decoding: try encoder.encode(["dead_letters": letters]), as: UTF8.self)
            }
            return format(letters)
        }
    }

    public static func replay(location: DatabaseLocation, jobID: String, logger: Logger) async throws -> String {
        try await withAdmin(location: location, logger: logger) { admin in
            let outcome = try await admin.replay(jobID: jobID)
            return "replayed \(outcome.jobID): a one-off schedule (\(outcome.scheduleID.uuidString.lowercased())) hands it to queue '\(outcome.queue)' on the scheduler's next tick"
        }
    }

    static func format(_ letters: [DeadLetter]) -> String {
        guard !letters.isEmpty else { return "no dead letters" }
        var lines = ["\(letters.count) dead letter(s), newest first:"]
        for letter in letters {
            let failed = Date(milliseconds: letter.failedAt).formatted(Date.ISO8601FormatStyle())
            lines.append("  \(letter.jobID)  \(letter.jobName)  guild \(letter.guild)  queue \(letter.queue)  attempts \(letter.attempts)  failed \(failed)\(letter.state == "dead" ? "" : "  (\(letter.state) \(letter.replayCount)x)")")
            lines.append("      last error: \(letter.lastError.replacingOccurrences(of: "\n", with: " ").prefix(300))")
        }
        return lines.joined(separator: "\n")
    }

    private static func withAdmin(location: DatabaseLocation, logger: Logger, _ body: (JobsAdminService) async throws -> String) async throws -> String {
        let database = try GuildhallDatabase(location: location, migrations: FeatureCatalog.migrations, logger: logger)
        do {
            let pending = try await database.pendingMigrations()
            guard pending.isEmpty else {
                throw GuildhallError(.invalidConfiguration, "the database at DATABASE_URL has \(pending.count) pending migration(s); run `guildhall migrate` first")
            }
            let result = try await body(JobsAdminService(deadLetters: DeadLetterStore(database: database), driver: nil))
            await database.shutdown()
            return result
        } catch {
            await database.shutdown()
            throw error
        }
    }
}
