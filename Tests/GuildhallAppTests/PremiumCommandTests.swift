import Foundation
@testable import GuildhallApp
import GuildhallCore
import GuildhallDatabaseTestSupport
import GuildhallStorage
import GuildhallTestSupport
import Testing

@Suite("premium command")
struct PremiumCommandTests {
    @Test("grant until a day, status, revoke; unknown guilds, bad dates and past dates are refused", arguments: TestDatabase.Engine.allCases)
    func grantStatusRevoke(engine: TestDatabase.Engine) async throws {
        let database = try await TestDatabase.open(engine, migrations: FeatureCatalog.migrations)
        let guild = Snowflake(80_351_110_224_678_912)
        try await GuildRecord(id: guild, name: "Operator's guild", ownerID: Snowflake(9)).create(on: database.database)
        let location = database.location
        let logger = TestDatabase.quietLogger
        let year = Calendar(identifier: .gregorian).component(.year, from: Date()) + 1
        #expect(try await PremiumCLI.status(location: location, guild: guild.description, logger: logger) == "guild \(guild): free")
        let granted = try await PremiumCLI.grant(location: location, guild: guild.description, until: "\(year)-01-31", logger: logger)
        #expect(granted == "guild \(guild) has premium until \(year)-01-31T23:59:59Z")
        let status = try await PremiumCLI.status(location: location, guild: guild.description, logger: logger)
        #expect(status == "guild \(guild): premium (operator), ends \(year)-01-31T23:59:59Z")
        #expect(try await PremiumCLI.revoke(location: location, guild: guild.description, logger: logger) == "ended 1 operator grant(s) of guild \(guild)")
        #expect(try await PremiumCLI.revoke(location: location, guild: guild.description, logger: logger) == "guild \(guild) had no operator grant")

        await #expect(throws: GuildhallError.self) { _ = try await PremiumCLI.grant(location: location, guild: "12345", until: "\(year)-01-31", logger: logger) }
        await #expect(throws: GuildhallError.self) { _ = try await PremiumCLI.grant(location: location, guild: guild.description, until: "next week", logger: logger) }
        await #expect(throws: GuildhallError.self) { _ = try await PremiumCLI.grant(location: location, guild: guild.description, until: "2001-01-01", logger: logger) }
        await #expect(throws: GuildhallError.self) { _ = try await PremiumCLI.status(location: location, guild: "guild", logger: logger) }
        #expect(PremiumCLI.date("\(year)-02-03T04:05:06Z") != nil)
        await database.shutdown()
    }

    @Test("the commands parse and run against a migrated database; pending migrations are named")
    func commands() async throws {
        let location = try await TestDatabase.location(.sqlite)
        guard case .sqliteFile(let path) = location else { Issue.record("expected an SQLite file"); return }
        let url = "sqlite://" + path
        let pending = await #expect(throws: GuildhallError.self) { try await runGuildhall(["premium", "status", "42", "--database-url", url]) }
        #expect(pending?.message.contains("guildhall migrate") == true)
        try await runGuildhall(["migrate", "--database-url", url, "--log-level", "critical"])
        try await runGuildhall(["premium", "status", "42", "--database-url", url, "--log-level", "critical"])
        try await runGuildhall(["premium", "revoke", "42", "--database-url", url, "--log-level", "critical"])
        let unknown = await #expect(throws: GuildhallError.self) {
            try await runGuildhall(["premium", "grant", "42", "--until", "2999-01-01", "--database-url", url, "--log-level", "critical"])
        }
        #expect(unknown?.message.contains("not known to Guildhall") == true)
    }
}
