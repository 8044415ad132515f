import Foundation

/// Where the database lives, parsed from `DATABASE_URL`.
public enum DatabaseLocation: Sendable, Equatable, CustomStringConvertible {
    /// An SQLite file (the embedded default).
    case sqliteFile(path: String)
    /// A private in-memory SQLite database (tests and throwaway runs).
    case sqliteMemory
    /// A PostgreSQL server.
    case postgres(PostgresLocation)

    public static let defaultSQLitePath = "data/guildhall.sqlite"

    public struct PostgresLocation: Sendable, Equatable {
        public var host: String
        public var port: Int
        public var username: String
        public var password: String?
        public var database: String

        public init(host: String, port: Int = 5432, username: String, password: String? = nil, database: String) {
            self.host = host
            self.port = port
            self.username = username
            self.password = password
            self.database = database
        }

        /// The URL again, without the password.
        public var redacted: String { "postgres://\(username)@\(host):\(port)/\(database)" }
    }

    /// Accepts `postgres://user[:password]@host[:port]/database` (also `postgresql://`),
    /// `sqlite:///absolute/path`, `sqlite://relative/path`, `sqlite::memory:` and a bare file path.
    public static func parse(_ text: String, variable: String = "DATABASE_URL") throws -> DatabaseLocation {
        let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !trimmed.isEmpty else {
            throw GuildhallError(.invalidConfiguration, "\(variable) is empty; unset it for the SQLite default or give postgres://… or sqlite://…")
        }
        if trimmed == "sqlite::memory:" { return .sqliteMemory }
        if trimmed.hasPrefix("sqlite://") {
            let path = String(trimmed.dropFirst("sqlite://".count))
            guard !path.isEmpty else { throw GuildhallError(.invalidConfiguration, "\(variable) names no SQLite file: '\(text)'") }
            return .sqliteFile(path: path)
        }
        if trimmed.hasPrefix("postgres://") || trimmed.hasPrefix("postgresql://") {
            return .postgres(try parsePostgres(trimmed, variable: variable))
        }
        if trimmed.contains("://") {
            throw GuildhallError(.invalidConfiguration, "\(variable) has an unsupported scheme in '\(text)': use postgres:// or sqlite://")
        }
        return .sqliteFile(path: trimmed)
    }

    private static func parsePostgres(_ text: String, variable: String) throws -> PostgresLocation {
        let afterScheme = text[text.range(of: "://")!.upperBound...]
        guard let at = afterScheme.lastIndex(of: "@") else {
            throw GuildhallError(.invalidConfiguration, "\(variable) must name a user: postgres://user[:password]@host[:port]/database")
        }
        let credentials = afterScheme[..<at]
        let rest = afterScheme[afterScheme.index(after: at)...]
        let userParts = credentials.split(separator: ":", maxSplits: 1, omittingEmptySubsequences: false)
        let username = String(userParts[0]).removingPercentEncoding ?? String(userParts[0])
        let password = userParts.count > 1 ? (String(userParts[1]).removingPercentEncoding ?? String(userParts[1])) : nil
        guard !username.isEmpty else { throw GuildhallError(.invalidConfiguration, "\(variable) has an empty user name") }
        let hostAndPath = rest.split(separator: "?", maxSplits: 1).first.map(String.init) ?? ""
        guard let slash = hostAndPath.firstIndex(of: "/") else {
            throw GuildhallError(.invalidConfiguration, "\(variable) must name a database: postgres://user@host[:port]/database")
        }
        let hostPort = hostAndPath[..<slash]
        let database = String(hostAndPath[hostAndPath.index(after: slash)...])
        guard !database.isEmpty, !database.contains("/") else {
            throw GuildhallError(.invalidConfiguration, "\(variable) must name exactly one database after the host")
        }
        var host = String(hostPort)
        var port = 5432
        if let colon = hostPort.lastIndex(of: ":"), !hostPort.hasSuffix("]") {
            host = String(hostPort[..<colon])
            let portText = hostPort[hostPort.index(after: colon)...]
            guard let parsed = Int(portText), (1...65535).contains(parsed) else {
                throw GuildhallError(.invalidConfiguration, "\(variable) has an invalid port '\(portText)'")
            }
            port = parsed
        }
        if host.hasPrefix("["), host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
        guard !host.isEmpty else { throw GuildhallError(.invalidConfiguration, "\(variable) has no host") }
        return PostgresLocation(host: host, port: port, username: username, password: password, database: database)
    }

    public var isPostgres: Bool {
        if case .postgres = self { return true }
        return false
    }

    /// A description safe for logs (no password).
    public var description: String {
        switch self {
        case .sqliteFile(let path): return "sqlite://\(path)"
        case .sqliteMemory: return "sqlite::memory:"
        case .postgres(let location): return location.redacted
        }
    }
}
