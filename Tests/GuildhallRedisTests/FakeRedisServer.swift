import NIOCore
import NIOPosix
import Synchronization

/// A TCP server on 127.0.0.1 that answers each read with the next scripted reply, to provoke
/// what a real Redis never sends: garbage, unsolicited replies, resets.
final class FakeRedisServer: Sendable {
    enum Step: Sendable {
        case reply(String)
        /// Read and say nothing.
        case silent
        /// Close the connection.
        case close
        /// Close with a TCP reset (SO_LINGER 0).
        case reset
    }

    let channel: any Channel
    private let counter: Counter

    var port: Int { channel.localAddress!.port! }
    var acceptedConnections: Int { counter.value.withLock { $0 } }

    private init(channel: any Channel, counter: Counter) {
        self.channel = channel
        self.counter = counter
    }

    /// Every connection plays `script` from the start.
    static func start(_ script: [Step]) async throws -> FakeRedisServer {
        let counter = Counter()
        let channel = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelInitializer { channel in
                counter.value.withLock { $0 += 1 }
                return channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(ScriptedHandler(script: script))
                }
            }
            .bind(host: "127.0.0.1", port: 0)
            .get()
        return FakeRedisServer(channel: channel, counter: counter)
    }

    func stop() async {
        try? await channel.close()
    }

    private final class Counter: Sendable {
        let value = Mutex(0)
    }

    private final class ScriptedHandler: ChannelInboundHandler {
        typealias InboundIn = ByteBuffer
        typealias OutboundOut = ByteBuffer

        private var script: [Step]

        init(script: [Step]) {
            self.script = script
        }

        func channelRead(context: ChannelHandlerContext, data: NIOAny) {
            guard !script.isEmpty else { return }
            switch script.removeFirst() {
            case .reply(let text):
                context.writeAndFlush(wrapOutboundOut(ByteBuffer(string: text)), promise: nil)
            case .silent:
                break
            case .close:
                context.close(promise: nil)
            case .reset:
                let channel = context.channel
                if let provider = channel as? any SocketOptionProvider {
                    provider.setSoLinger(linger(l_onoff: 1, l_linger: 0)).whenComplete { _ in
                        channel.close(promise: nil)
                    }
                } else {
                    channel.close(promise: nil)
                }
            }
        }
    }
}
