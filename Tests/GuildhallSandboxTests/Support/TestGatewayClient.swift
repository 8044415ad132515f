import Foundation
import GuildhallDiscordModels
import NIOCore
import NIOHTTP1
import NIOPosix
import NIOWebSocket
import Synchronization

/// A plain WebSocket client for the tests, on NIO's own upgrader: it knows nothing of
/// Discord, so every test sees exactly the frames the sandbox sends. Frames are collected by
/// a plain channel handler with no backpressure, so a test that reads late still finds them.
final class TestGatewayClient: Sendable {
    enum Event: Sendable {
        case payload(JSONValue, raw: String)
        case closed(code: Int?)
    }

    struct Timeout: Error, CustomStringConvertible {
        let waitingFor: String
        var description: String { "timed out waiting for \(waitingFor)" }
    }

    /// Received events not yet taken; polled with a deadline.
    final class Inbox: Sendable {
        private let events = Mutex<[Event]>([])
        func append(_ event: Event) { events.withLock { $0.append(event) } }
        func take() -> Event? { events.withLock { $0.isEmpty ? nil : $0.removeFirst() } }
    }

    /// Reassembles messages from frames and files them in the inbox.
    final class Collector: ChannelInboundHandler, @unchecked Sendable {
        typealias InboundIn = WebSocketFrame
        let inbox: Inbox
        private var message: [UInt8] = []
        private var closed = false

        init(inbox: Inbox) { self.inbox = inbox }

        func channelRead(context: ChannelHandlerContext, data: NIOAny) {
            let frame = unwrapInboundIn(data)
            switch frame.opcode {
            case .text, .binary, .continuation:
                var bytes = frame.unmaskedData
                message += bytes.readBytes(length: bytes.readableBytes) ?? []
                guard frame.fin else { return }
                let raw = String(decoding: message, as: UTF8.self)
                let value = (try? JSONDecoder().decode(JSONValue.self, from: Data(message))) ?? .null
                inbox.append(.payload(value, raw: raw))
                message = []
            case .connectionClose:
                var bytes = frame.unmaskedData
                closed = true
                inbox.append(.closed(code: bytes.readInteger(as: UInt16.self).map(Int.init)))
                context.close(promise: nil)
            default:
                break
            }
        }

        func channelInactive(context: ChannelHandlerContext) {
            if !closed { inbox.append(.closed(code: nil)) }
            closed = true
            context.fireChannelInactive()
        }
    }

    /// Writes the HTTP upgrade request, holds bytes back until the whole 101 response has
    /// arrived, then passes everything after it (often Hello, in the same read) to the frame
    /// decoder. Doing the handshake by hand keeps those first bytes, which NIO's upgrader
    /// could lose under load.
    final class Handshake: ChannelDuplexHandler, @unchecked Sendable {
        typealias InboundIn = ByteBuffer
        typealias InboundOut = ByteBuffer
        typealias OutboundIn = ByteBuffer
        typealias OutboundOut = ByteBuffer

        let request: String
        let done: EventLoopPromise<Void>
        private var head: ByteBuffer?
        private var settled = false

        init(request: String, done: EventLoopPromise<Void>) {
            self.request = request
            self.done = done
        }

        func channelActive(context: ChannelHandlerContext) {
            head = context.channel.allocator.buffer(capacity: 512)
            context.writeAndFlush(wrapOutboundOut(ByteBuffer(string: request)), promise: nil)
            context.fireChannelActive()
        }

        func channelRead(context: ChannelHandlerContext, data: NIOAny) {
            guard var pending = head else { return context.fireChannelRead(data) }
            var bytes = unwrapInboundIn(data)
            pending.writeBuffer(&bytes)
            let view = pending.readableBytesView
            guard let end = view.firstRange(of: Array("\r\n\r\n".utf8)) else { head = pending; return }
            let headerLength = end.upperBound - view.startIndex
            let header = pending.readString(length: headerLength) ?? ""
            head = nil
            settled = true
            guard header.hasPrefix("HTTP/1.1 101") else {
                done.fail(TestGatewayClientError(message: "the server refused the WebSocket upgrade: \(header.prefix(40))"))
                context.close(promise: nil)
                return
            }
            done.succeed()
            if pending.readableBytes > 0 { context.fireChannelRead(wrapInboundOut(pending)) }
        }

        func channelInactive(context: ChannelHandlerContext) {
            if !settled { done.fail(TestGatewayClientError(message: "the connection closed during the WebSocket handshake")) }
            settled = true
            context.fireChannelInactive()
        }

        func handlerRemoved(context: ChannelHandlerContext) {
            if !settled { done.fail(TestGatewayClientError(message: "the connection ended before the WebSocket handshake")) }
            settled = true
        }
    }

    private let channel: any NIOCore.Channel
    private let inbox: Inbox

    private init(channel: any NIOCore.Channel, inbox: Inbox) {
        self.channel = channel
        self.inbox = inbox
    }

    /// Connects to `path` (with its query) on 127.0.0.1:`port`.
    static func connect(port: Int, path: String = "/gateway?v=10&encoding=json") async throws -> TestGatewayClient {
        let inbox = Inbox()
        let key = Data((0..<16).map { _ in UInt8.random(in: 0...255) }).base64EncodedString()
        let request = "GET \(path) HTTP/1.1\r\nHost: 127.0.0.1:\(port)\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
            + "Sec-WebSocket-Key: \(key)\r\nSec-WebSocket-Version: 13\r\n\r\n"
        let group = MultiThreadedEventLoopGroup.singleton
        let loop = group.next()
        let done = loop.makePromise(of: Void.self)
        let channel = try await ClientBootstrap(group: loop)
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    let operations = channel.pipeline.syncOperations
                    try operations.addHandler(Handshake(request: request, done: done))
                    try operations.addHandler(ByteToMessageHandler(WebSocketFrameDecoder(maxFrameSize: 1 << 24)))
                    try operations.addHandler(WebSocketFrameEncoder())
                    try operations.addHandler(Collector(inbox: inbox))
                }
            }
            .connect(host: "127.0.0.1", port: port).get()
        try await done.futureResult.get()
        return TestGatewayClient(channel: channel, inbox: inbox)
    }

    // MARK: Sending

    func send(_ text: String) async throws {
        try await channel.writeAndFlush(WebSocketFrame(fin: true, opcode: .text, maskKey: .random(), data: ByteBuffer(string: text)))
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
        var buffer = ByteBuffer()
        buffer.writeInteger(code)
        try await channel.writeAndFlush(WebSocketFrame(fin: true, opcode: .connectionClose, maskKey: .random(), data: buffer))
    }

    /// Drops the TCP connection with no close frame.
    func abort() async {
        try? await channel.close()
    }

    // MARK: Receiving

    /// The next event within `timeout`.
    func next(timeout: Duration = .seconds(5), waitingFor: String = "a gateway event") async throws -> Event {
        let deadline = ContinuousClock.now + timeout
        while true {
            if let event = inbox.take() { return event }
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
