import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A private `redis-server` on a free loopback port, for tests.
///
/// `start()` waits (at most `startTimeout`) until the server answers PING. `kill()` ends it with
/// SIGKILL (a crash, as far as clients can tell); `restart()` starts it again on the same port;
/// `stop()` ends it for good. Also stopped when the object is released.
public final class RedisServerProcess: @unchecked Sendable {
    // Every mutable field below is read and written only with `lock` held.
    private let lock = NSLock()
    private var process: Process?
    private var stopped = false

    public let port: Int
    public let executable: String
    public let extraArguments: [String]
    public let startTimeout: TimeInterval

    public var url: String { "redis://127.0.0.1:\(port)" }

    private init(port: Int, executable: String, extraArguments: [String], startTimeout: TimeInterval) {
        self.port = port
        self.executable = executable
        self.extraArguments = extraArguments
        self.startTimeout = startTimeout
    }

    deinit {
        terminate(signal: SIGKILL)
    }

    /// Starts a server on a free port. `extraArguments` go on the command line
    /// (e.g. `["--rename-command", "HELLO", ""]`).
    public static func start(
        executable: String = "/usr/bin/redis-server",
        extraArguments: [String] = [],
        startTimeout: TimeInterval = 10
    ) async throws -> RedisServerProcess {
        var lastError: (any Error)?
        // A port picked free can be taken by someone else before the server binds it; retry a few times.
        for _ in 0..<5 {
            let server = RedisServerProcess(
                port: try FreePort.loopback(),
                executable: executable,
                extraArguments: extraArguments,
                startTimeout: startTimeout
            )
            do {
                try await server.launch()
                return server
            } catch {
                lastError = error
                server.stop()
            }
        }
        throw lastError ?? RedisServerProcessError.didNotStart("unknown")
    }

    /// Kills the server with SIGKILL and waits until it is gone; clients see a dropped connection.
    public func kill() {
        terminate(signal: SIGKILL)
    }

    /// Starts the server again on the same port, after `kill()`.
    public func restart() async throws {
        terminate(signal: SIGKILL)
        try await launch()
    }

    /// Stops the server for good.
    public func stop() {
        lock.withLock { stopped = true }
        // SIGKILL: a child started from a test process may have SIGTERM blocked, and the
        // server holds nothing worth saving (`--save ''`).
        terminate(signal: SIGKILL)
    }

    public var isRunning: Bool {
        lock.withLock { process?.isRunning ?? false }
    }

    private func launch() async throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = [
            "--port", String(port),
            "--bind", "127.0.0.1",
            "--save", "",
            "--appendonly", "no",
            "--dir", NSTemporaryDirectory(),
        ] + extraArguments
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        process.standardInput = FileHandle.nullDevice
        try lock.withLock {
            guard !stopped else { throw RedisServerProcessError.didNotStart("stopped") }
            try process.run()
            self.process = process
        }
        let deadline = Date().addingTimeInterval(startTimeout)
        while Date() < deadline {
            guard process.isRunning else {
                throw RedisServerProcessError.didNotStart("redis-server exited with status \(process.terminationStatus)")
            }
            if Self.answersPing(port: port) { return }
            try await Task.sleep(nanoseconds: 20_000_000)
        }
        terminate(signal: SIGKILL)
        throw RedisServerProcessError.didNotStart("no PONG on port \(port) within \(startTimeout) s")
    }

    private func terminate(signal: Int32) {
        let running: Process? = lock.withLock {
            defer { process = nil }
            return process
        }
        guard let running, running.isRunning else { return }
        #if canImport(Glibc)
        Glibc.kill(running.processIdentifier, signal)
        #else
        Darwin.kill(running.processIdentifier, signal)
        #endif
        // Not `waitUntilExit()`: on Linux it spins the calling thread's run loop, which on a
        // Swift concurrency thread has been seen to leave the test's task never resumed.
        let deadline = Date().addingTimeInterval(10)
        while running.isRunning, Date() < deadline { usleep(2_000) }
    }

    /// Sends `PING` over a plain socket and checks that the server answers (`+PONG`, or
    /// `-NOAUTH` from a server that requires a password).
    static func answersPing(port: Int) -> Bool {
        guard let fd = LoopbackSocket.connect(port: port) else { return false }
        defer { close(fd) }
        let ping = Array("PING\r\n".utf8)
        guard send(fd, ping, ping.count, 0) == ping.count else { return false }
        var reply = [UInt8](repeating: 0, count: 16)
        let count = recv(fd, &reply, reply.count, 0)
        guard count >= 5 else { return false }
        let text = String(decoding: reply[0..<count], as: UTF8.self)
        return text.hasPrefix("+PONG") || text.hasPrefix("-NOAUTH")
    }
}

public enum RedisServerProcessError: Error, Sendable, CustomStringConvertible {
    case didNotStart(String)

    public var description: String {
        switch self {
        case .didNotStart(let reason): return "redis-server did not start: \(reason)"
        }
    }
}
