import Foundation

/// Where the test command (`./scripts/test`) started its services. Tests that need them
/// fail with this message when run some other way, rather than skipping silently.
public enum TestEnvironment {
    public struct Missing: Error, CustomStringConvertible {
        public let variable: String
        public var description: String {
            "\(variable) is not set: run the suite with ./scripts/test, which starts Redis and PostgreSQL on loopback and sets it"
        }
    }

    /// `redis://127.0.0.1:<port>` of the shared test Redis.
    public static func redisURL() throws -> String {
        try value("GUILDHALL_TEST_REDIS_URL")
    }

    /// `postgres://postgres@127.0.0.1:<port>/postgres`: a superuser on a private cluster.
    public static func postgresAdminURL() throws -> String {
        try value("GUILDHALL_TEST_POSTGRES_URL")
    }

    /// A Python interpreter with discord.py installed (a third-party Discord client used to
    /// check the sandbox's faithfulness); the test command creates it in a virtualenv.
    public static func discordPyPython() throws -> String {
        try value("GUILDHALL_TEST_DISCORDPY_PYTHON")
    }

    /// Debian's chromedriver and chromium, for the dashboard's browser tests.
    public static func chromedriver() throws -> String { try value("GUILDHALL_TEST_CHROMEDRIVER") }
    public static func chromium() throws -> String { try value("GUILDHALL_TEST_CHROMIUM") }

    /// Where browser tests save screenshots of the pages they visit.
    public static func screenshotFolder() throws -> URL { URL(fileURLWithPath: try value("GUILDHALL_TEST_SCREENSHOTS")) }

    static func value(_ name: String) throws -> String {
        guard let value = ProcessInfo.processInfo.environment[name], !value.isEmpty else { throw Missing(variable: name) }
        return value
    }

    /// A random lowercase name for a throwaway database, schema or key part.
    public static func uniqueName(prefix: String) -> String {
        prefix + "_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased().prefix(16)
    }

    /// The repository root (for tests that read docs/ or Sources/).
    public static var repositoryRoot: URL {
        var url = URL(fileURLWithPath: #filePath)
        while url.path != "/" {
            url.deleteLastPathComponent()
            if FileManager.default.fileExists(atPath: url.appendingPathComponent("Package.swift").path) { return url }
        }
        return URL(fileURLWithPath: FileManager.default.currentDirectoryPath)
    }
}
