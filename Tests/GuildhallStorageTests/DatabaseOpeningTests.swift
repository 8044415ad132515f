import Foundation
import GuildhallCore
import GuildhallDatabaseTestSupport
import GuildhallStorage
import GuildhallTestSupport
import Testing

@Suite("Opening databases")
struct DatabaseOpeningTests {
    @Test("an SQLite file's folder is created when missing")
    func createsFolder() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("gh-\(UUID().uuidString)/nested/deeper")
        let path = folder.appendingPathComponent("db.sqlite").path
        let database = try GuildhallDatabase(location: .sqliteFile(path: path), logger: TestDatabase.quietLogger)
        try await database.migrate()
        #expect(FileManager.default.fileExists(atPath: path))
        let mode = try #require(try await database.sql.raw("PRAGMA journal_mode").first())
        #expect(try mode.decode(column: "journal_mode", as: String.self) == "wal", "SQLite files use write-ahead logging")
        await database.shutdown()
    }

    @Test("an SQLite path under a regular file fails with a message naming DATABASE_URL")
    func unusableFolder() throws {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("gh-file-\(UUID().uuidString)")
        try Data("x".utf8).write(to: file)
        let error = #expect(throws: GuildhallError.self) {
            _ = try GuildhallDatabase(location: .sqliteFile(path: file.appendingPathComponent("db.sqlite").path), logger: TestDatabase.quietLogger)
        }
        #expect(error?.code == .invalidConfiguration)
        #expect(error?.message.contains("DATABASE_URL") == true)
    }

    @Test("in-memory SQLite migrates and answers")
    func inMemory() async throws {
        let database = try GuildhallDatabase(location: .sqliteMemory, logger: TestDatabase.quietLogger)
        #expect(try await database.migrate().count == PlatformMigrations.all.count)
        try await database.ping()
        await database.shutdown()
    }

    @Test("a PostgreSQL server that is not there fails the first query, not the process")
    func unreachablePostgres() async throws {
        let port = try FreePort.loopback()
        let location = DatabaseLocation.postgres(.init(host: "127.0.0.1", port: port, username: "nobody", database: "none"))
        let database = try GuildhallDatabase(location: location, logger: TestDatabase.quietLogger)
        await #expect(throws: (any Error).self) { try await database.ping() }
        await database.shutdown()
    }
}
