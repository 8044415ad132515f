import CompressNIO
import Foundation
import GuildhallDiscordModels
import HummingbirdWebSocket
import Logging
import NIOCore
import NIOWebSocket
import Synchronization

/// The gateway's WebSocket endpoint: one task reads the client's frames through the
/// connection's protocol machine, one writes the connection's queue to the socket, and one
/// watches the heartbeat deadline.
struct GatewayEndpoint: Sendable {
    let world: SandboxWorld
    private let connectionIDs = Counter()

    final class Counter: Sendable {
        private let value = Mutex(0)
        func next() -> Int { value.withLock { $0 += 1; return $0 } }
    }

    init(world: SandboxWorld) {
        self.world = world
    }

    /// Checks the query string before upgrading: `v` must be 10 (or 9), `encoding` JSON.
    /// Problems are reported after Hello with the close code Discord uses.
    func queryProblem(_ query: [String: String]) -> (code: Int, reason: String)? {
        if let version = query["v"], version != "10", version != "9" { return (4012, "Invalid API version.") }
        if let encoding = query["encoding"], encoding != "json" { return (4002, "The sandbox speaks encoding=json only.") }
        if let compress = query["compress"], !compress.isEmpty, compress != "zlib-stream" {
            return (4002, "The sandbox supports compress=zlib-stream only, not '\(compress)'.")
        }
        return nil
    }

    func handle(
        inbound: WebSocketInboundStream, outbound: WebSocketOutboundWriter, path: String, query: [String: String],
        channel: any NIOCore.Channel, logger: Logger
    ) async throws {
        let configuration = world.configuration
        let interval = SandboxTimes.seconds(configuration.heartbeatInterval)
        let guildIDs = world.read { $0.guildOrder }
        let rules = GatewayConnectionMachine.Rules(
            botToken: world.read { $0.application.token }, heartbeatInterval: interval,
            heartbeatTimeoutFactor: configuration.heartbeatTimeoutFactor, sendLimit: configuration.gatewaySendLimit,
            sendWindow: SandboxTimes.seconds(configuration.gatewaySendWindow), maxGuildsPerShard: configuration.maxGuildsPerShard,
            enabledPrivilegedIntents: configuration.enabledPrivilegedIntents,
            guildsOnShard: { shard, count in guildIDs.reduce(0) { $0 + ($1.shard(count: count) == shard ? 1 : 0) } }
        )
        let id = connectionIDs.next()
        let connection = GatewayConnection(
            id: id, path: path, machine: GatewayConnectionMachine(rules: rules, now: world.now),
            abruptDrop: { channel.close(promise: nil) }
        )
        let closeCode = CloseCodeSniffer.install(on: channel)
        connection.enqueue(GatewayFrames.hello(intervalMilliseconds: Int(interval * 1_000)))
        if let problem = queryProblem(query) {
            connection.requestClose(code: problem.code, reason: problem.reason)
        }

        await withTaskGroup(of: Void.self) { group in
            let zlibStream = query["compress"] == "zlib-stream"
            group.addTask { await writeLoop(connection, outbound: outbound, zlibStream: zlibStream) }
            group.addTask { await heartbeatWatch(connection, interval: interval) }
            do {
                for try await message in inbound.messages(maxSize: 1 << 20) {
                    process(message, on: connection)
                }
            } catch {
                logger.debug("sandbox gateway connection ended", metadata: ["error": "\(error)"])
            }
            connection.finish()
            group.cancelAll()
        }
        world.hub.connectionClosed(connection, clientCloseCode: closeCode.value, now: world.now)
    }

    private func process(_ message: WebSocketMessage, on connection: GatewayConnection) {
        let bytes: [UInt8]
        switch message {
        case .text(let text): bytes = Array(text.utf8)
        case .binary(var buffer): bytes = buffer.readBytes(length: buffer.readableBytes) ?? []
        }
        let action = connection.withMachine { $0.received(bytes, now: world.now) }
        perform(action, on: connection)
    }

    func perform(_ action: GatewayConnectionMachine.Action, on connection: GatewayConnection) {
        switch action {
        case .none:
            break
        case .heartbeatAck:
            connection.enqueue(GatewayFrames.heartbeatAck)
        case .close(let code, let reason):
            connection.requestClose(code: code, reason: reason)
        case .startSession(let identify):
            if world.startSession(identify, connection: connection) == .rateLimited {
                connection.enqueue(GatewayFrames.invalidSession(resumable: false))
            }
        case .resumeSession(let resume):
            switch world.resumeSession(resume, connection: connection) {
            case .resumed:
                break
            case .invalidSession:
                connection.enqueue(GatewayFrames.invalidSession(resumable: false))
            case .invalidSequence:
                connection.requestClose(code: 4007, reason: "Invalid seq.")
            }
        case .requestGuildMembers(let request):
            guard let sessionID = connection.sessionID,
                  let session = world.hub.summaries.first(where: { $0.id == sessionID })
            else { return }
            world.requestGuildMembers(request, sessionID: sessionID, intents: session.intents)
        }
    }

    /// With `compress=zlib-stream` every message goes through one zlib stream per connection
    /// and ends with a sync flush (`00 00 ff ff`), in binary frames, as Discord sends them.
    private func writeLoop(_ connection: GatewayConnection, outbound: WebSocketOutboundWriter, zlibStream: Bool) async {
        do {
            let compressor: (any NIOCompressor)? = zlibStream ? CompressionAlgorithm.zlib().compressor : nil
            try compressor?.startStream()
            defer { try? compressor?.finishStream() }
            while true {
                switch await connection.nextBatch() {
                case .frames(let frames):
                    for frame in frames {
                        if let compressor {
                            var input = frame
                            let compressed = try input.compressStream(with: compressor, flush: .sync)
                            try await Self.write(compressed, opcode: .binary, to: outbound)
                        } else {
                            try await Self.write(frame, to: outbound)
                        }
                    }
                case .close(let code, let reason):
                    try await outbound.close(.unknown(UInt16(code)), reason: reason)
                    return
                case .finished:
                    return
                }
            }
        } catch {
            connection.finish()
        }
    }

    /// Messages above 16 KiB go out as a text frame and continuation frames, which every
    /// WebSocket client reassembles; clients with the common 16 KiB frame limit accept them.
    static let maxFrameBytes = 1 << 14

    static func write(_ frame: ByteBuffer, opcode first: WebSocketOpcode = .text, to outbound: WebSocketOutboundWriter) async throws {
        guard frame.readableBytes > maxFrameBytes else {
            try await outbound.write(.custom(WebSocketFrame(fin: true, opcode: first, data: frame)))
            return
        }
        var rest = frame
        var opcode = first
        while rest.readableBytes > 0 {
            let slice = rest.readSlice(length: min(maxFrameBytes, rest.readableBytes))!
            try await outbound.write(.custom(WebSocketFrame(fin: rest.readableBytes == 0, opcode: opcode, data: slice)))
            opcode = .continuation
        }
    }

    private func heartbeatWatch(_ connection: GatewayConnection, interval: Double) async {
        let step = Duration.milliseconds(Int(max(50, min(1_000, interval * 250))))
        while !Task.isCancelled {
            try? await Task.sleep(for: step)
            let action = connection.withMachine { $0.tick(now: world.now) }
            if case .close = action {
                perform(action, on: connection)
                return
            }
            if connection.withMachine({ $0.phase }) == .closed, connection.backlog == 0 { return }
        }
    }
}

/// Watches the client's close frame for its code: a client closing with 1000 or 1001 ends its
/// session, any other code keeps it resumable, and Hummingbird's handler does not say which.
final class CloseCodeSniffer: ChannelInboundHandler, RemovableChannelHandler, @unchecked Sendable {
    typealias InboundIn = WebSocketFrame
    typealias InboundOut = WebSocketFrame

    final class Box: Sendable {
        private let code = Mutex<Int?>(nil)
        var value: Int? { code.withLock { $0 } }
        func set(_ value: Int) { code.withLock { $0 = value } }
    }

    let box: Box

    init(box: Box) {
        self.box = box
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let frame = unwrapInboundIn(data)
        if frame.opcode == .connectionClose {
            var payload = frame.unmaskedData
            if let code = payload.readInteger(as: UInt16.self) { box.set(Int(code)) }
        }
        context.fireChannelRead(data)
    }

    /// Adds a sniffer right after the frame decoder; the box stays empty if that fails.
    static func install(on channel: any NIOCore.Channel) -> Box {
        let box = Box()
        channel.eventLoop.execute {
            let operations = channel.pipeline.syncOperations
            guard let decoder = try? operations.handler(type: ByteToMessageHandler<WebSocketFrameDecoder>.self) else { return }
            try? operations.addHandler(CloseCodeSniffer(box: box), position: .after(decoder))
        }
        return box
    }
}
