import FluentKit
import Foundation
import GuildhallCore
import GuildhallStorage
import GuildhallTestSupport
import Logging
import SQLKit

/// Fresh databases for tests: each call makes its own, so parallel tests never share a schema.
public enum TestDatabase {
    public enum Engine: String, CaseIterable, Sendable, CustomStringConvertible {
        case sqlite, postgres
        public var description: String { rawValue }
    }

    /// A new, empty database on `engine`, with nothing migrated.
    public static func location(_ engine: Engine) async throws -> DatabaseLocation {
        switch engine {
        case .sqlite:
            let folder = FileManager.default.temporaryDirectory.appendingPathComponent(TestEnvironment.uniqueName(prefix: "guildhall"))
            return .sqliteFile(path: folder.appendingPathComponent("test.sqlite").path)
        case .postgres:
            let admin = try DatabaseLocation.parse(try TestEnvironment.postgresAdminURL())
            guard case .postgres(var location) = admin else { throw GuildhallError(.invalidConfiguration, "the test PostgreSQL URL is not postgres://") }
            let name = TestEnvironment.uniqueName(prefix: "gh_test")
            let adminDatabase = try GuildhallDatabase(location: admin, migrations: [], logger: quietLogger)
            do {
                try await adminDatabase.sql.raw("CREATE DATABASE \(unsafeRaw: name)").run()
            } catch {
                await adminDatabase.shutdown()
                throw error
            }
            await adminDatabase.shutdown()
            location.database = name
            return .postgres(location)
        }
    }

    /// Opens a fresh database and applies `migrations` (the platform's by default).
    public static func open(_ engine: Engine, migrations: [any Migration] = PlatformMigrations.all, migrate: Bool = true) async throws -> GuildhallDatabase {
        let database = try GuildhallDatabase(location: try await location(engine), migrations: migrations, logger: quietLogger)
        if migrate { try await database.migrate() }
        return database
    }

    public static var quietLogger: Logger {
        var logger = Logger(label: "test")
        logger.logLevel = .warning
        return logger
    }
}
