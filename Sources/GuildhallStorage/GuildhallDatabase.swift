import FluentKit
import FluentPostgresDriver
import FluentSQLiteDriver
import Foundation
import GuildhallCore
import Logging
import NIOCore
import NIOPosix
import SQLKit
import Synchronization

/// The process's database: FluentKit without Vapor. Owns the connection pools, runs
/// migrations forward and back, and hands out `Database` handles.
public final class GuildhallDatabase: Sendable {
    public let location: DatabaseLocation
    public let logger: Logger
    private let databases: Databases
    private let closed = Atomic<Bool>(false)
    private let eventLoopGroup: any EventLoopGroup
    private let migrationList: [any Migration]
    private let databaseID: DatabaseID
    /// SQLite runs on one event loop's pool, so on one connection: SQLite has one writer
    /// at a time anyway, and a second connection waiting for the write lock would spin on
    /// a thread of the shared blocking pool (SQLiteNIO's busy handler retries at once),
    /// where enough of them starve the connection that holds the lock. On one connection,
    /// work waits in the pool's queue instead, without holding a thread.
    private let pinnedLoop: (any EventLoop)?

    /// Opens (but does not migrate) the database. The SQLite file's folder is created
    /// when missing. `migrations` defaults to the platform's own.
    public init(
        location: DatabaseLocation,
        migrations: [any Migration] = PlatformMigrations.all,
        logger: Logger,
        eventLoopGroup: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton,
        threadPool: NIOThreadPool = .singleton
    ) throws {
        self.location = location
        self.logger = logger
        self.eventLoopGroup = eventLoopGroup
        self.migrationList = migrations
        databases = Databases(threadPool: threadPool, on: eventLoopGroup)
        pinnedLoop = location.isPostgres ? nil : eventLoopGroup.next()
        switch location {
        case .sqliteMemory:
            databaseID = .sqlite
            databases.use(.sqlite(.memory, sqlLogLevel: .trace), as: .sqlite)
        case .sqliteFile(let path):
            databaseID = .sqlite
            let folder = URL(fileURLWithPath: path).deletingLastPathComponent().path
            do {
                try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
            } catch {
                throw GuildhallError(.invalidConfiguration, "DATABASE_URL: cannot create the folder '\(folder)' for the SQLite file", underlying: error)
            }
            databases.use(.sqlite(.file(path), sqlLogLevel: .trace), as: .sqlite)
        case .postgres(let postgres):
            databaseID = .psql
            let configuration = SQLPostgresConfiguration(
                hostname: postgres.host, port: postgres.port,
                username: postgres.username, password: postgres.password,
                database: postgres.database, tls: .disable
            )
            databases.use(.postgres(configuration: configuration, maxConnectionsPerEventLoop: 4, connectionPoolTimeout: .seconds(5), sqlLogLevel: .trace), as: .psql)
        }
        databases.default(to: databaseID)
    }

    /// A handle for queries. Cheap; make one per unit of work.
    public var database: any Database {
        databases.database(databaseID, logger: logger, on: pinnedLoop ?? eventLoopGroup.any())!
    }

    /// The same handle as SQLKit, for raw statements.
    public var sql: any SQLDatabase { database as! any SQLDatabase }

    private func migrator() -> Migrator {
        let migrations = Migrations()
        migrations.add(migrationList)
        return Migrator(databases: databases, migrations: migrations, logger: logger, on: pinnedLoop ?? eventLoopGroup.any())
    }

    /// Applies every pending migration as one batch; returns the names applied.
    @discardableResult
    public func migrate() async throws -> [String] {
        try await useWriteAheadLog()
        let migrator = migrator()
        try await migrator.setupIfNeeded().get()
        let pending = try await migrator.previewPrepareBatch().get().map { $0.0.name }
        try await migrator.prepareBatch().get()
        return pending
    }

    /// An SQLite file switches to write-ahead logging (a setting the file keeps): readers no
    /// longer wait for a writer, and a commit appends to the log instead of rewriting pages,
    /// which the job worker's many small transactions need.
    func useWriteAheadLog() async throws {
        guard case .sqliteFile = location else { return }
        _ = try await sql.raw("PRAGMA journal_mode=WAL").all()
    }

    /// Reverts every applied batch, newest first; returns the names reverted.
    @discardableResult
    public func revertAll() async throws -> [String] {
        let migrator = migrator()
        try await migrator.setupIfNeeded().get()
        let applied = try await migrator.previewRevertAllBatches().get().map { $0.0.name }
        try await migrator.revertAllBatches().get()
        return applied
    }

    /// Names of the migrations not yet applied.
    public func pendingMigrations() async throws -> [String] {
        let migrator = migrator()
        try await migrator.setupIfNeeded().get()
        return try await migrator.previewPrepareBatch().get().map { $0.0.name }
    }

    /// A round trip to the server, for `/healthz`.
    public func ping() async throws {
        _ = try await sql.raw("SELECT 1 AS ok").all()
    }

    /// Closes every pool. Call once, at shutdown; later calls do nothing.
    public func shutdown() async {
        guard !closed.exchange(true, ordering: .acquiringAndReleasing) else { return }
        await databases.shutdownAsync()
    }

    /// An owner that threw before `shutdown()` still closes the pools (in the background):
    /// AsyncKit stops the process when an open pool is dropped.
    deinit {
        guard !closed.load(ordering: .acquiring) else { return }
        let databases = databases
        Task.detached { await databases.shutdownAsync() }
    }
}
