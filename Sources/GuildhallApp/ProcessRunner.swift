import Foundation
import GuildhallCore

/// Runs a helper program (redis-benchmark, redis-server) found on PATH and returns its output.
enum ProcessRunner {
    static func locate(_ program: String) -> String? {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/local/bin:/usr/bin:/bin"
        for folder in path.split(separator: ":") {
            let candidate = "\(folder)/\(program)"
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        }
        return nil
    }

    static func run(_ program: String, _ arguments: [String]) throws -> String {
        guard let executable = locate(program) else {
            throw GuildhallError(.unavailable, "\(program) is not installed (Debian: apt-get install redis-server redis-tools)")
        }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        let output = Pipe()
        process.standardOutput = output
        process.standardError = output
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        let text = String(decoding: data, as: UTF8.self)
        guard process.terminationStatus == 0 else {
            throw GuildhallError(.internalError, "\(program) exited with \(process.terminationStatus): \(text.prefix(500))")
        }
        return text
    }
}

/// A throwaway redis-server on a free loopback port, for `guildhall bench redis` without a URL.
final class LocalRedisServer: Sendable {
    let port: Int
    private let process: Process

    var url: String { "redis://127.0.0.1:\(port)" }
    /// For the benches' CPU accounting.
    var pid: Int32 { process.processIdentifier }

    private init(port: Int, process: Process) {
        self.port = port
        self.process = process
    }

    /// `url` when given; otherwise a private server started now (the caller stops it).
    static func url(_ url: String?) throws -> (url: String, server: LocalRedisServer?) {
        if let url { return (url, nil) }
        let server = try start()
        return (server.url, server)
    }

    static func start() throws -> LocalRedisServer {
        guard let executable = ProcessRunner.locate("redis-server") else {
            throw GuildhallError(.unavailable, "redis-server is not installed; give --redis-url or apt-get install redis-server")
        }
        let port = try freeLoopbackPort()
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = ["--port", String(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        let server = LocalRedisServer(port: port, process: process)
        // Wait, bounded, until it accepts connections.
        for _ in 0..<200 {
            if canConnect(port: port) { return server }
            usleep(10_000)
        }
        server.stop()
        throw GuildhallError(.unavailable, "redis-server did not start on port \(port) within 2 s")
    }

    /// SIGKILL: a server started from a process that blocks SIGTERM (test runners do)
    /// inherits that mask and would ignore a polite stop. It holds nothing worth saving.
    func stop() {
        if process.isRunning {
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
        }
    }
}

/// Asks the kernel for a free TCP port on 127.0.0.1.
func freeLoopbackPort() throws -> Int {
    let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    guard fd >= 0 else { throw GuildhallError(.unavailable, "socket() failed") }
    defer { close(fd) }
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_port = 0
    address.sin_addr.s_addr = inet_addr("127.0.0.1")
    var length = socklen_t(MemoryLayout<sockaddr_in>.size)
    let bound = withUnsafeMutablePointer(to: &address) {
        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) == 0 && getsockname(fd, $0, &length) == 0 }
    }
    guard bound else { throw GuildhallError(.unavailable, "could not bind a loopback port") }
    return Int(UInt16(bigEndian: address.sin_port))
}

/// True when something accepts TCP connections on 127.0.0.1:port.
func canConnect(port: Int) -> Bool {
    let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    guard fd >= 0 else { return false }
    defer { close(fd) }
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_port = in_port_t(UInt16(port).bigEndian)
    address.sin_addr.s_addr = inet_addr("127.0.0.1")
    return withUnsafePointer(to: &address) {
        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) == 0 }
    }
}
