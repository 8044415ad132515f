import Foundation
import GuildhallCore
import Synchronization

/// `guildhall sandbox` as a child process: started, read until its banner names the token,
/// the gateway and the control API, and terminated when the caller is done. Its output is
/// drained to the end so a chatty child never blocks on a full pipe.
enum SandboxChildProcess {
    struct Banner: Sendable, Equatable {
        var token: String
        var gatewayURL: String
        var controlURL: URL
    }

    /// The banner's values, once every one of them has been printed.
    static func banner(in text: String) -> Banner? {
        var token: String?
        var gateway: String?
        var control: URL?
        for line in text.split(whereSeparator: \.isNewline) {
            if line.hasPrefix("DISCORD_TOKEN=") { token = String(line.dropFirst("DISCORD_TOKEN=".count)) }
            if line.hasPrefix("gateway: ") { gateway = String(line.dropFirst("gateway: ".count)) }
            if line.hasPrefix("control API: ") { control = URL(string: String(line.dropFirst("control API: ".count))) }
        }
        guard let token, let gateway, let control else { return nil }
        return Banner(token: token, gatewayURL: gateway, controlURL: control)
    }

    static func start(
        executable: URL, arguments: [String], extraEnvironment: [String: String] = [:], timeout: Duration = .seconds(30)
    ) async throws -> BenchSandbox {
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        var environment = ProcessInfo.processInfo.environment
        environment["LOG_LEVEL"] = "warning"
        environment["DISCORD_TOKEN"] = nil
        environment.merge(extraEnvironment) { _, new in new }
        process.environment = environment
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        try process.run()

        let seen = Mutex("")
        let reader = output.fileHandleForReading
        Thread.detachNewThread {
            while true {
                let data = reader.availableData
                if data.isEmpty { return }
                seen.withLock { text in
                    if text.count < 64_000 { text += String(decoding: data, as: UTF8.self) }
                }
            }
        }
        let end = ContinuousClock.now + timeout
        while ContinuousClock.now < end, process.isRunning {
            if let banner = banner(in: seen.withLock { $0 }) {
                return BenchSandbox(
                    token: banner.token, gatewayURL: banner.gatewayURL, controlURL: banner.controlURL,
                    stop: { await terminate(process) }, pid: process.processIdentifier
                )
            }
            try await Task.sleep(for: .milliseconds(20))
        }
        await terminate(process)
        throw GuildhallError(
            .unavailable, "the sandbox child (\(executable.path) \(arguments.joined(separator: " "))) printed no banner within \(timeout): \(seen.withLock { $0 }.prefix(500))"
        )
    }

    /// SIGTERM, then a bounded wait for the exit.
    static func terminate(_ process: Process) async {
        if process.isRunning { process.terminate() }
        for _ in 0..<200 where process.isRunning { try? await Task.sleep(for: .milliseconds(25)) }
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
    }
}
