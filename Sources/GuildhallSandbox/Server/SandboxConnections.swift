import NIOCore
import Synchronization

/// Every connection the sandbox has accepted and not yet closed, so that stopping can close
/// them. Without it, a stopped sandbox waits for its clients: Hummingbird answers
/// cancellation by closing only the input side of a keep-alive connection, and
/// AsyncHTTPClient's shared client keeps an idle connection open for ten minutes.
final class SandboxConnections: Sendable {
    private struct State {
        var open: [ObjectIdentifier: any Channel] = [:]
        var closing = false
    }

    private let state = Mutex(State())

    var count: Int { state.withLock { $0.open.count } }

    func track(_ channel: any Channel) {
        let id = ObjectIdentifier(channel)
        let closing = state.withLock { state -> Bool in
            if !state.closing { state.open[id] = channel }
            return state.closing
        }
        guard !closing else {
            // Accepted while stopping (a client reconnecting at once): closed straight away.
            channel.close(promise: nil)
            return
        }
        channel.closeFuture.whenComplete { [weak self] _ in
            _ = self?.state.withLock { $0.open.removeValue(forKey: id) }
        }
    }

    /// Accepts connections again (a server started after a stop).
    func reopen() {
        state.withLock { $0.closing = false }
    }

    /// Closes every open connection, and every one accepted from now on; clients see the
    /// socket close.
    func closeAll() {
        let channels = state.withLock { state -> [any Channel] in
            state.closing = true
            return Array(state.open.values)
        }
        for channel in channels {
            channel.close(promise: nil)
        }
    }

    /// The per-connection handler that registers its channel; it removes itself at once.
    func tracker() -> any RemovableChannelHandler {
        Tracker(connections: self)
    }

    private final class Tracker: ChannelInboundHandler, RemovableChannelHandler, Sendable {
        typealias InboundIn = NIOAny
        let connections: SandboxConnections

        init(connections: SandboxConnections) {
            self.connections = connections
        }

        func handlerAdded(context: ChannelHandlerContext) {
            connections.track(context.channel)
        }
    }
}
