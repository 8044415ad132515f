import Foundation
import GuildhallTestSupport
#if canImport(Glibc)
import Glibc
#endif

/// A `guildhall <role>` process started from the built binary, its log in a file.
/// Children of the test runner have SIGTERM blocked, so it is stopped with SIGKILL.
final class RoleProcess: @unchecked Sendable {
    let process: Process
    let logFile: URL

    static var binary: URL {
        TestEnvironment.repositoryRoot.appendingPathComponent(".build/debug/guildhall")
    }

    /// Starts `guildhall <role> <arguments>` with the caller's environment minus Guildhall's
    /// own settings, plus `environment`.
    init(role: String, arguments: [String], environment extra: [String: String] = [:], folder: URL) throws {
        logFile = folder.appendingPathComponent("\(role)-\(UUID().uuidString.prefix(8)).log")
        FileManager.default.createFile(atPath: logFile.path, contents: nil)
        process = Process()
        process.executableURL = Self.binary
        process.arguments = [role] + arguments
        var environment = ProcessInfo.processInfo.environment
        for name in ["DATABASE_URL", "REDIS_URL", "PORT", "LOG_LEVEL", "LOG_FORMAT", "DISCORD_TOKEN", "DISCORD_API_URL", "DISCORD_APPLICATION_ID"] {
            environment[name] = nil
        }
        // An instrumented binary would write its coverage profile here, never into the suite's.
        environment["LLVM_PROFILE_FILE"] = folder.appendingPathComponent("\(role)-%p.profraw").path
        environment.merge(extra) { _, new in new }
        process.environment = environment
        process.standardOutput = FileHandle.nullDevice
        process.standardError = try FileHandle(forWritingTo: logFile)
        process.standardInput = FileHandle.nullDevice
        try process.run()
    }

    var pid: Int32 { process.processIdentifier }
    var isRunning: Bool { process.isRunning }
    var log: String { (try? String(contentsOf: logFile, encoding: .utf8)) ?? "" }

    /// Ends the process the way a crash or an OOM kill does.
    func kill() {
        guard process.isRunning else { return }
        Glibc.kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
    }

    deinit { kill() }
}
