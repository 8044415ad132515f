import Foundation
import GuildhallDiscordModels
import NIOCore
import NIOHTTP1
import NIOPosix
import NIOWebSocket
import Synchronization

/// A plain WebSocket client for the tests, on NIO's own upgrader: it knows nothing of
/// Discord, so every test sees exactly the frames the sandbox sends.
final class TestGatewayClient: Sendable {
    enum Event: Sendable {
        case payload(JSONValue, raw: String)
        case closed(code: Int?)
    }

    struct Timeout: Error, CustomStringConvertible {
        let waitingFor: String
        var description: String { "timed out waiting for \(waitingFor)" }
    }

    private enum UpgradeResult: Sendable {
        case websocket(NIOAsyncChannel<WebSocketFrame, WebSocketFrame>)
        case notUpgraded
    }

    private let channel: NIOAsyncChannel<WebSocketFrame, WebSocketFrame>
    /// Received events not yet taken; polled with a deadline (cancelling a waiter must not end
    /// the stream, which `AsyncStream` would do).
    private let buffer = Mutex<[Event]>([])
    private let writer: Mutex<NIOAsyncChannelOutboundWriter<WebSocketFrame>?> = Mutex(nil)
    private let reader: Mutex<Task<Void, Never>?> = Mutex(nil)

    private init(channel: NIOAsyncChannel<WebSocketFrame, WebSocketFrame>) {
        self.channel = channel
    }

    /// Connects to `path` (with its query) on 127.0.0.1:`port`.
    static func connect(port: Int, path: String = "/gateway?v=10&encoding=json") async throws -> TestGatewayClient {
        let upgrade: EventLoopFuture<UpgradeResult> = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .connect(host: "127.0.0.1", port: port) { channel in
                channel.eventLoop.makeCompletedFuture {
                    let upgrader = NIOTypedWebSocketClientUpgrader<UpgradeResult>(maxFrameSize: 1 << 24) { channel, _ in
                        channel.eventLoop.makeCompletedFuture {
                            UpgradeResult.websocket(try NIOAsyncChannel<WebSocketFrame, WebSocketFrame>(wrappingChannelSynchronously: channel))
                        }
                    }
                    var headers = HTTPHeaders()
                    headers.add(name: "Host", value: "127.0.0.1:\(port)")
                    let configuration = NIOTypedHTTPClientUpgradeConfiguration<UpgradeResult>(
                        upgradeRequestHead: HTTPRequestHead(version: .http1_1, method: .GET, uri: path, headers: headers),
                        upgraders: [upgrader],
                        notUpgradingCompletionHandler: { channel in channel.eventLoop.makeCompletedFuture { .notUpgraded } }
                    )
                    return try channel.pipeline.syncOperations.configureUpgradableHTTPClientPipeline(
                        configuration: .init(upgradeConfiguration: configuration)
                    )
                }
            }
        guard case .websocket(let channel) = try await upgrade.get() else {
            throw TestGatewayClientError(message: "the server refused the WebSocket upgrade")
        }
        let client = TestGatewayClient(channel: channel)
        client.startReading()
        return client
    }

    private func startReading() {
        let task = Task { [channel] in
            func yield(_ event: Event) { self.buffer.withLock { $0.append(event) } }
            do {
                try await channel.executeThenClose { inbound, outbound in
                    self.writer.withLock { $0 = outbound }
                    var message: [UInt8] = []
                    for try await frame in inbound {
                        switch frame.opcode {
                        case .text, .binary, .continuation:
                            var data = frame.unmaskedData
                            message += data.readBytes(length: data.readableBytes) ?? []
                            if frame.fin {
                                let raw = String(decoding: message, as: UTF8.self)
                                let value = (try? JSONDecoder().decode(JSONValue.self, from: Data(message))) ?? .null
                                yield(.payload(value, raw: raw))
                                message = []
                            }
                        case .connectionClose:
                            var data = frame.unmaskedData
                            yield(.closed(code: data.readInteger(as: UInt16.self).map(Int.init)))
                            return
                        default:
                            break
                        }
                    }
                }
                yield(.closed(code: nil))
            } catch {
                yield(.closed(code: nil))
            }
        }
        reader.withLock { $0 = task }
    }

    // MARK: Sending

    func send(_ text: String) async throws {
        for _ in 0..<200 where writer.withLock({ $0 == nil }) { try await Task.sleep(for: .milliseconds(10)) }
        guard let writer = writer.withLock({ $0 }) else { throw TestGatewayClientError(message: "not connected") }
        try await writer.write(WebSocketFrame(fin: true, opcode: .text, maskKey: .random(), data: ByteBuffer(string: text)))
    }

    func send(_ value: JSONValue) async throws {
        try await send(String(decoding: try JSONEncoder().encode(value), as: UTF8.self))
    }

    func identify(token: String, intents: UInt64, shard: (Int, Int)? = nil, largeThreshold: Int? = nil) async throws {
        var data: [String: JSONValue] = [
            "token": .string(token), "intents": .integer(Int64(intents)),
            "properties": .object(["os": .string("linux"), "browser": .string("tests"), "device": .string("tests")]),
        ]
        if let shard { data["shard"] = .array([.integer(Int64(shard.0)), .integer(Int64(shard.1))]) }
        if let largeThreshold { data["large_threshold"] = .integer(Int64(largeThreshold)) }
        try await send(.object(["op": .integer(2), "d": .object(data)]))
    }

    func resume(token: String, sessionID: String, sequence: Int) async throws {
        try await send(.object(["op": .integer(6), "d": .object([
            "token": .string(token), "session_id": .string(sessionID), "seq": .integer(Int64(sequence)),
        ])]))
    }

    func heartbeat(_ sequence: Int?) async throws {
        try await send(.object(["op": .integer(1), "d": sequence.map { .integer(Int64($0)) } ?? .null]))
    }

    /// Sends a close frame with `code` (1000 ends the session; others keep it resumable).
    func close(code: UInt16) async throws {
        guard let writer = writer.withLock({ $0 }) else { return }
        var buffer = ByteBuffer()
        buffer.writeInteger(code)
        try await writer.write(WebSocketFrame(fin: true, opcode: .connectionClose, maskKey: .random(), data: buffer))
    }

    /// Drops the TCP connection with no close frame.
    func abort() async {
        try? await channel.channel.close()
        reader.withLock { $0 }?.cancel()
    }

    // MARK: Receiving

    /// The next event within `timeout`.
    func next(timeout: Duration = .seconds(5), waitingFor: String = "a gateway event") async throws -> Event {
        let deadline = ContinuousClock.now + timeout
        while true {
            if let event = buffer.withLock({ $0.isEmpty ? nil : $0.removeFirst() }) { return event }
            guard ContinuousClock.now < deadline else { throw Timeout(waitingFor: waitingFor) }
            try await Task.sleep(for: .milliseconds(5))
        }
    }

    /// The next payload, skipping nothing.
    func payload(timeout: Duration = .seconds(5)) async throws -> JSONValue {
        switch try await next(timeout: timeout) {
        case .payload(let value, _): return value
        case .closed(let code): throw TestGatewayClientError(message: "closed with \(code.map(String.init) ?? "no code")")
        }
    }

    /// Skips payloads until one with `op` (and dispatch name `t`, if given) arrives.
    func expect(op: Int, t: String? = nil, timeout: Duration = .seconds(10)) async throws -> JSONValue {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            let payload = try await self.payload(timeout: deadline - ContinuousClock.now)
            if payload["op"]?.integerValue == Int64(op), t == nil || payload["t"]?.stringValue == t { return payload }
        }
        throw Timeout(waitingFor: "op \(op) \(t ?? "")")
    }

    /// Waits for the server's close frame (skipping payloads) and returns its code.
    func closeCode(timeout: Duration = .seconds(10)) async throws -> Int? {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            if case .closed(let code) = try await next(timeout: deadline - ContinuousClock.now, waitingFor: "a close frame") { return code }
        }
        throw Timeout(waitingFor: "a close frame")
    }

    /// Collects payloads for `duration` (for "nothing else arrives" checks).
    func drain(for duration: Duration) async -> [JSONValue] {
        var collected: [JSONValue] = []
        let deadline = ContinuousClock.now + duration
        while ContinuousClock.now < deadline {
            guard let event = try? await next(timeout: deadline - ContinuousClock.now) else { break }
            guard case .payload(let value, _) = event else { break }
            collected.append(value)
        }
        return collected
    }
}

struct TestGatewayClientError: Error, CustomStringConvertible {
    let message: String
    var description: String { message }
}
