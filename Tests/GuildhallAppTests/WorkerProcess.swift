import Foundation
import GuildhallTestSupport
#if canImport(Glibc)
import Glibc
#endif

/// A `guildhall worker` process started from the built binary, its log in a file.
/// Children of the test runner have SIGTERM blocked, so it is stopped with SIGKILL.
final class WorkerProcess: @unchecked Sendable {
    let process: Process
    let logFile: URL

    static var binary: URL {
        TestEnvironment.repositoryRoot.appendingPathComponent(".build/debug/guildhall")
    }

    init(arguments: [String], folder: URL) throws {
        logFile = folder.appendingPathComponent("worker-\(UUID().uuidString.prefix(8)).log")
        FileManager.default.createFile(atPath: logFile.path, contents: nil)
        process = Process()
        process.executableURL = Self.binary
        process.arguments = ["worker"] + arguments
        var environment = ProcessInfo.processInfo.environment
        for name in ["DATABASE_URL", "REDIS_URL", "PORT", "LOG_LEVEL", "LOG_FORMAT"] { environment[name] = nil }
        // An instrumented binary would write its coverage profile here, never into the suite's.
        environment["LLVM_PROFILE_FILE"] = folder.appendingPathComponent("worker-%p.profraw").path
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
