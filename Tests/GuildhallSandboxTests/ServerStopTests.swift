import Foundation
import GuildhallTestSupport
import NIOEmbedded
import Testing
@testable import GuildhallSandbox
#if canImport(Glibc)
import Glibc
#endif

@Suite("Sandbox stop")
struct ServerStopTests {
    /// A keep-alive client that never closes its side used to hold `stop()` until the client
    /// gave up (AsyncHTTPClient's shared client: ten minutes).
    @Test("stop() closes idle keep-alive connections instead of waiting for the client")
    func stopClosesIdleConnections() async throws {
        let server = try SandboxServer(configuration: SandboxHarness.configuration())
        let endpoints = try await server.start()
        let socket = try KeepAliveSocket(port: endpoints.port)
        defer { socket.close() }
        let head = try socket.request("GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: keep-alive\r\n\r\n")
        #expect(head.hasPrefix("HTTP/1.1 200"))
        #expect(server.connections.count == 1)

        let stopping = Task { await server.stop() }
        let stopped = await waitUntil(timeout: .seconds(20)) { server.connections.count == 0 }
        if !stopped { socket.close() }
        await stopping.value
        #expect(stopped, "stop() closed the connection itself")
        #expect(socket.readsEndOfStream(), "the client saw the server close the connection")
    }

    /// Hummingbird adds per-connection handlers to plain HTTP connections only, so gateway
    /// WebSockets are tracked by the gateway route; a client that never closes its socket
    /// must not hold the stop either.
    @Test("stop() closes gateway WebSocket connections too")
    func stopClosesGatewayConnections() async throws {
        let server = try SandboxServer(configuration: SandboxHarness.configuration())
        let endpoints = try await server.start()
        let client = try await TestGatewayClient.connect(port: endpoints.port)
        _ = try await client.expect(op: 10)
        #expect(server.connections.count == 1)
        let stopping = Task { await server.stop() }
        let stopped = await waitUntil(timeout: .seconds(20)) { server.connections.count == 0 }
        if !stopped { try? await client.close(code: 1000) }
        await stopping.value
        #expect(stopped, "stop() closed the WebSocket itself")
    }

    @Test("stop() waits for the server task only so long: a task that ends is seen, one that does not is given up on")
    func boundedWait() async throws {
        let quick = Task<Void, any Error> { try await Task.sleep(for: .milliseconds(10)) }
        #expect(await SandboxServer.finishes(quick, within: .seconds(10)))
        let stuck = Task<Void, any Error> { try await Task.sleep(for: .seconds(60)) }
        #expect(await !SandboxServer.finishes(stuck, within: .milliseconds(50)))
        stuck.cancel()
    }

    /// A client that reconnects at once (a gateway shard, a pooled HTTP client) must not slip
    /// in between closing the open connections and the listener going away.
    @Test("connections accepted while stopping are closed at once; a restart accepts them again")
    func acceptedWhileStopping() throws {
        let connections = SandboxConnections()
        func connected() throws -> EmbeddedChannel {
            let channel = EmbeddedChannel()
            try channel.connect(to: .init(ipAddress: "127.0.0.1", port: 1)).wait()
            return channel
        }
        let early = try connected()
        connections.track(early)
        #expect(connections.count == 1)
        connections.closeAll()
        early.embeddedEventLoop.run()
        #expect(!early.isActive && connections.count == 0)

        let late = try connected()
        connections.track(late)
        late.embeddedEventLoop.run()
        #expect(!late.isActive && connections.count == 0, "closed as soon as it was tracked")

        connections.reopen()
        let after = try connected()
        connections.track(after)
        #expect(after.isActive && connections.count == 1)
        _ = try after.finish()
    }
}

/// A blocking loopback TCP client that sends one request and keeps the connection open.
private final class KeepAliveSocket: @unchecked Sendable {
    private let lock = NSLock()
    private var descriptor: Int32

    init(port: Int) throws {
        guard let descriptor = LoopbackSocket.connect(port: port, receiveTimeoutSeconds: 10) else { throw POSIXError(.ECONNREFUSED) }
        self.descriptor = descriptor
    }

    /// Sends `text` and returns what the first read brings back.
    func request(_ text: String) throws -> String {
        let bytes = Array(text.utf8)
        guard send(descriptor, bytes, bytes.count, 0) == bytes.count else { throw POSIXError(.EIO) }
        var buffer = [UInt8](repeating: 0, count: 4_096)
        let count = recv(descriptor, &buffer, buffer.count, 0)
        guard count > 0 else { throw POSIXError(.EIO) }
        return String(decoding: buffer[0..<count], as: UTF8.self)
    }

    /// True when the peer has closed: a read returns 0 bytes (after any unread response bytes).
    func readsEndOfStream() -> Bool {
        var buffer = [UInt8](repeating: 0, count: 4_096)
        for _ in 0..<16 {
            let count = recv(descriptor, &buffer, buffer.count, 0)
            if count == 0 { return true }
            if count < 0 { return false }
        }
        return false
    }

    func close() {
        lock.withLock {
            if descriptor >= 0 { _ = Glibc.close(descriptor) }
            descriptor = -1
        }
    }
}
