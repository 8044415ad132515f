@testable import GuildhallCore
import Testing

@Suite("DatabaseLocation")
struct DatabaseLocationTests {
    typealias Postgres = DatabaseLocation.PostgresLocation

    @Test("SQLite forms", arguments: [
        ("sqlite::memory:", DatabaseLocation.sqliteMemory),
        ("  sqlite::memory:  ", .sqliteMemory),
        ("sqlite:///var/lib/guildhall/db.sqlite", .sqliteFile(path: "/var/lib/guildhall/db.sqlite")),
        ("sqlite://data/guildhall.sqlite", .sqliteFile(path: "data/guildhall.sqlite")),
        ("data/local.sqlite", .sqliteFile(path: "data/local.sqlite")),
        ("/tmp/x.db", .sqliteFile(path: "/tmp/x.db")),
        (" relative.db ", .sqliteFile(path: "relative.db")),
    ])
    func sqlite(text: String, expected: DatabaseLocation) throws {
        let location = try DatabaseLocation.parse(text)
        #expect(location == expected)
        #expect(!location.isPostgres)
    }

    @Test("PostgreSQL forms", arguments: [
        ("postgres://bot@db.internal/guildhall", Postgres(host: "db.internal", username: "bot", database: "guildhall")),
        ("postgresql://bot@db.internal/guildhall", Postgres(host: "db.internal", username: "bot", database: "guildhall")),
        ("postgres://bot:secret@db.internal:6543/guildhall", Postgres(host: "db.internal", port: 6543, username: "bot", password: "secret", database: "guildhall")),
        ("postgres://bot:@h/d", Postgres(host: "h", username: "bot", password: "", database: "d")),
        ("postgres://b%40t:p%3Ass%40word@h:1/d", Postgres(host: "h", port: 1, username: "b@t", password: "p:ss@word", database: "d")),
        ("postgres://u:p@ss@h:65535/d", Postgres(host: "h", port: 65535, username: "u", password: "p@ss", database: "d")),
        ("postgres://u@h/d?sslmode=require&x=1", Postgres(host: "h", username: "u", database: "d")),
        ("postgres://u@[::1]/d", Postgres(host: "::1", username: "u", database: "d")),
        ("postgres://u@[fe80::1]:5433/d", Postgres(host: "fe80::1", port: 5433, username: "u", database: "d")),
        ("postgres://u%zz:p%zz@h/d", Postgres(host: "h", username: "u%zz", password: "p%zz", database: "d")),
        ("postgres://u@127.0.0.1:15432/postgres", Postgres(host: "127.0.0.1", port: 15432, username: "u", database: "postgres")),
    ])
    func postgres(text: String, expected: Postgres) throws {
        let location = try DatabaseLocation.parse(text)
        #expect(location == .postgres(expected))
        #expect(location.isPostgres)
    }

    @Test func postgresDefaults() {
        let location = Postgres(host: "h", username: "u", database: "d")
        #expect(location.port == 5432)
        #expect(location.password == nil)
    }

    @Test("errors name the variable", arguments: [
        ("", "is empty"),
        ("   ", "is empty"),
        ("sqlite://", "names no SQLite file"),
        ("mysql://u@h/d", "unsupported scheme"),
        ("http://h/d", "unsupported scheme"),
        ("postgres://h/d", "must name a user"),
        ("postgres://:pw@h/d", "empty user name"),
        ("postgres://u@h", "must name a database"),
        ("postgres://u@", "must name a database"),
        ("postgres://u@h:5432", "must name a database"),
        ("postgres://u@h/", "exactly one database"),
        ("postgres://u@h/a/b", "exactly one database"),
        ("postgres://u@h:0/d", "invalid port '0'"),
        ("postgres://u@h:65536/d", "invalid port '65536'"),
        ("postgres://u@h:abc/d", "invalid port 'abc'"),
        ("postgres://u@h:/d", "invalid port ''"),
        ("postgres://u@/d", "has no host"),
        ("postgres://u@:5432/d", "has no host"),
        ("postgres://u@[]/d", "has no host"),
    ])
    func errors(text: String, fragment: String) throws {
        for variable in ["DATABASE_URL", "TEST_DATABASE_URL"] {
            let error = try #require(throws: GuildhallError.self) {
                try DatabaseLocation.parse(text, variable: variable)
            }
            #expect(error.code == .invalidConfiguration)
            #expect(error.message.hasPrefix(variable + " "), "\(error.message)")
            #expect(error.message.contains(fragment), "\(error.message)")
        }
    }

    @Test func defaultVariableIsDatabaseURL() throws {
        let error = try #require(throws: GuildhallError.self) { try DatabaseLocation.parse("") }
        #expect(error.message.hasPrefix("DATABASE_URL "))
    }

    @Test func defaultSQLitePath() {
        #expect(DatabaseLocation.defaultSQLitePath == "data/guildhall.sqlite")
    }

    @Test("descriptions never show the password", arguments: [
        ("postgres://bot:hunter2@db:6543/gh", "postgres://bot@db:6543/gh"),
        ("postgres://bot@db/gh", "postgres://bot@db:5432/gh"),
        ("sqlite::memory:", "sqlite::memory:"),
        ("sqlite:///abs/x.db", "sqlite:///abs/x.db"),
        ("data/x.db", "sqlite://data/x.db"),
    ])
    func description(text: String, expected: String) throws {
        let location = try DatabaseLocation.parse(text)
        #expect(location.description == expected)
        #expect(!location.description.contains("hunter2"))
        // The description is itself a valid location naming the same database.
        let again = try DatabaseLocation.parse(location.description)
        if case .postgres(var original) = location {
            original.password = nil
            #expect(again == .postgres(original))
        } else {
            #expect(again == location)
        }
    }

    @Test func redactedFromParts() {
        var location = Postgres(host: "h", port: 1, username: "u", password: "p", database: "d")
        #expect(location.redacted == "postgres://u@h:1/d")
        location.host = "other"
        #expect(location.redacted == "postgres://u@other:1/d")
    }
}

@Suite("DatabaseLocation regressions")
struct DatabaseLocationKnownIssueTests {
    /// `parse` trims spaces but not newlines, so a value read from a file or `.env` with a
    /// trailing newline changes meaning: the in-memory URL becomes a file named
    /// "sqlite::memory:\n", and a PostgreSQL database name gains a newline.
    @Test func trailingNewlineIsTrimmedLikeSpaces() throws {
        do {
            let memory = try DatabaseLocation.parse("sqlite::memory:\n")
            #expect(memory == .sqliteMemory)
            let postgres = try DatabaseLocation.parse("postgres://u@h/d\n")
            #expect(postgres == .postgres(.init(host: "h", username: "u", database: "d")))
        }
    }
}
