import GuildhallDatabaseTestSupport
@testable import GuildhallGiveaways
import GuildhallStorage
import Testing

/// `0010_create_giveaways` forward and back on both engines: the tables, the index and the
/// foreign keys appear, the revert removes them all, and migrating again works.
@Suite("GiveawayMigrationTests")
struct GiveawayMigrationTests {
    @Test("migrate, inspect, revert, migrate", arguments: TestDatabase.Engine.allCases)
    func roundTrip(engine: TestDatabase.Engine) async throws {
        let database = try await TestDatabase.open(engine, migrations: PlatformMigrations.all + GiveawayMigrations.all)
        let inspector = SchemaInspector(database: database)
        let tables: Set<String> = ["giveaways", "giveaway_entries", "giveaway_settings"]
        #expect(try await inspector.tables().isSuperset(of: tables))
        let indexes = try await inspector.indexes(on: "giveaways")
        #expect(indexes.contains { $0.name == "idx_giveaways_guild_status" && $0.columns == ["guild_id", "status"] })
        let keys = try await inspector.foreignKeys(on: "giveaway_entries")
        #expect(keys.contains { $0.column == "giveaway_id" && $0.referencedTable == "giveaways" && $0.onDelete.uppercased() == "CASCADE" })
        let reverted = try await database.revertAll()
        #expect(reverted.contains("0010_create_giveaways"))
        #expect(try await inspector.tables().isDisjoint(with: tables))
        #expect(try await database.migrate().contains("0010_create_giveaways"))
        #expect(try await inspector.tables().isSuperset(of: tables))
        await database.shutdown()
    }
}
