import ArgumentParser
import Foundation
import GuildhallCore
import GuildhallPremium
import GuildhallStorage
import Logging

/// `guildhall premium grant|revoke|status`: operators' premium grants, in the same table as
/// Discord's subscriptions.
struct PremiumCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "premium",
        abstract: "Give, end or show a guild's premium (operator grants beside Discord's subscriptions).",
        subcommands: [PremiumGrantCommand.self, PremiumRevokeCommand.self, PremiumStatusCommand.self]
    )
}

struct PremiumGrantCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "grant", abstract: "Give a guild premium until a date (UTC).")

    @OptionGroup var options: ConfigurationOptions
    @Argument(help: "The guild id.") var guild: String
    @Option(help: "The last moment of the grant: 2027-01-31 or 2027-01-31T18:00:00Z.") var until: String

    func run() async throws {
        let configuration = try options.resolve()
        print(try await PremiumCLI.grant(
            location: configuration.database, guild: guild, until: until, logger: LoggingBootstrap.logger(for: configuration, role: "premium")
        ))
    }
}

struct PremiumRevokeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "revoke", abstract: "End a guild's operator grants now (Discord's subscriptions stay).")

    @OptionGroup var options: ConfigurationOptions
    @Argument(help: "The guild id.") var guild: String

    func run() async throws {
        let configuration = try options.resolve()
        print(try await PremiumCLI.revoke(location: configuration.database, guild: guild, logger: LoggingBootstrap.logger(for: configuration, role: "premium")))
    }
}

struct PremiumStatusCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "status", abstract: "Show a guild's plan and why.")

    @OptionGroup var options: ConfigurationOptions
    @Argument(help: "The guild id.") var guild: String

    func run() async throws {
        let configuration = try options.resolve()
        print(try await PremiumCLI.status(location: configuration.database, guild: guild, logger: LoggingBootstrap.logger(for: configuration, role: "premium")))
    }
}

/// The premium commands' work, apart from argument parsing so tests can call it.
enum PremiumCLI {
    static func grant(location: DatabaseLocation, guild: String, until: String, logger: Logger) async throws -> String {
        let id = try guildID(guild)
        guard let end = date(until) else {
            throw GuildhallError(.invalidInput, "--until must be a date such as 2027-01-31 or 2027-01-31T18:00:00Z, got '\(until)'")
        }
        return try await withPremium(location: location, logger: logger) { premium in
            try await premium.grant(guild: id, until: end)
            return "guild \(id) has premium until \(end.formatted(Date.ISO8601FormatStyle()))"
        }
    }

    static func revoke(location: DatabaseLocation, guild: String, logger: Logger) async throws -> String {
        let id = try guildID(guild)
        return try await withPremium(location: location, logger: logger) { premium in
            let ended = try await premium.revokeGrants(guild: id)
            return ended == 0 ? "guild \(id) had no operator grant" : "ended \(ended) operator grant(s) of guild \(id)"
        }
    }

    static func status(location: DatabaseLocation, guild: String, logger: Logger) async throws -> String {
        let id = try guildID(guild)
        return try await withPremium(location: location, logger: logger) { premium in
            let status = try await premium.status(guild: id)
            var line = "guild \(id): \(status.tier.rawValue)"
            if status.source != .none { line += " (\(status.source.rawValue))" }
            if let ends = status.endsAt { line += ", ends \(ends.formatted(Date.ISO8601FormatStyle()))" }
            if let grace = status.graceUntil { line += ", in its grace period until \(grace.formatted(Date.ISO8601FormatStyle()))" }
            return line
        }
    }

    static func guildID(_ text: String) throws -> Snowflake {
        guard let id = Snowflake(text), id.rawValue > 0 else { throw GuildhallError(.invalidInput, "'\(text)' is not a guild id") }
        return id
    }

    /// A day (its end, 23:59:59 UTC) or an ISO 8601 moment.
    static func date(_ text: String) -> Date? {
        if let moment = try? Date(text, strategy: Date.ISO8601FormatStyle()) { return moment }
        guard let day = try? Date(text + "T23:59:59Z", strategy: Date.ISO8601FormatStyle()) else { return nil }
        return day
    }

    private static func withPremium(location: DatabaseLocation, logger: Logger, _ body: (PremiumService) async throws -> String) async throws -> String {
        let database = try GuildhallDatabase(location: location, migrations: FeatureCatalog.migrations, logger: logger)
        do {
            let pending = try await database.pendingMigrations()
            guard pending.isEmpty else {
                throw GuildhallError(.invalidConfiguration, "the database at DATABASE_URL has \(pending.count) pending migration(s); run `guildhall migrate` first")
            }
            let result = try await body(PremiumService(database: database, plans: FeatureCatalog.registry.plans, logger: logger))
            await database.shutdown()
            return result
        } catch {
            await database.shutdown()
            throw error
        }
    }
}
