import Logging
import NIOCore

/// What the handler hands back for one written request.
enum RedisReplyExpectation: Sendable {
    /// One reply, to one promise.
    case single(EventLoopPromise<RESPValue>)
    /// `count` consecutive replies, collected into one array (pipelines and transactions).
    case multiple(count: Int, EventLoopPromise<[RESPValue]>)
    /// No reply is matched (SUBSCRIBE: its confirmations arrive as pub/sub messages).
    case none
}

/// Encoded command bytes plus what to do with the replies.
struct RedisOutboundRequest: Sendable {
    var payload: ByteBuffer
    var reply: RedisReplyExpectation
    var timeout: TimeAmount
    /// From this request on, every reply goes to the push handler (a RESP2 subscriber connection).
    var entersSubscriberMode: Bool = false

    func fail(_ error: RedisError) {
        switch reply {
        case .single(let promise): promise.fail(error)
        case .multiple(_, let promise): promise.fail(error)
        case .none: break
        }
    }
}

/// Writes requests and matches replies to them in order (FIFO), many in flight at once.
///
/// Lives on its channel's event loop. One timer watches the oldest unanswered request: replies
/// come back in order, so when the oldest is late, every later one is stuck behind it, and the
/// connection is closed because its reply stream can no longer be trusted.
final class RedisChannelHandler: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    private struct Pending {
        var reply: RedisReplyExpectation
        var deadline: NIODeadline
    }

    private let parser = RESPParser()
    private var received = ByteBuffer()
    private var pending = CircularBuffer<Pending>(initialCapacity: 64)
    private var collected: [RESPValue] = []
    private var timer: Scheduled<Void>?
    private var context: ChannelHandlerContext?
    private var closeReason: RedisError?
    private var subscriberMode = false
    private let pushHandler: (@Sendable (RESPValue) -> Void)?
    private let logger: Logger

    init(pushHandler: (@Sendable (RESPValue) -> Void)?, logger: Logger) {
        self.pushHandler = pushHandler
        self.logger = logger
    }

    func handlerAdded(context: ChannelHandlerContext) {
        self.context = context
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        self.context = nil
    }

    /// Writes the requests and flushes once. Must run on the event loop.
    func submit<Requests: Sequence<RedisOutboundRequest>>(_ requests: Requests) {
        guard let context, closeReason == nil, context.channel.isActive else {
            let error = RedisError(.connectionClosed, "connection is closed")
            for request in requests { request.fail(error) }
            return
        }
        let now = NIODeadline.now()
        for request in requests {
            if request.entersSubscriberMode {
                subscriberMode = true
            }
            if case .none = request.reply {} else {
                pending.append(Pending(reply: request.reply, deadline: now + request.timeout))
            }
            context.write(wrapOutboundOut(request.payload), promise: nil)
        }
        context.flush()
        armTimer()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let incoming = unwrapInboundIn(data)
        if received.readableBytes == 0 {
            received = incoming
        } else {
            received.writeImmutableBuffer(incoming)
        }
        do {
            while let value = try parser.next(from: &received) {
                dispatch(value)
                if closeReason != nil { return }
            }
        } catch {
            close(with: error)
            return
        }
        if received.readerIndex > 65_536 {
            received.discardReadBytes()
        }
    }

    private func dispatch(_ value: RESPValue) {
        if let pushHandler {
            if subscriberMode {
                pushHandler(value)
                return
            }
            if case .push = value {
                pushHandler(value)
                return
            }
        } else if case .push = value {
            // Out-of-band data (client tracking and the like) that nobody asked for.
            return
        }
        guard let head = pending.first else {
            close(with: RedisError(.protocolViolation, "reply without a request: \(value)"))
            return
        }
        switch head.reply {
        case .single(let promise):
            pending.removeFirst()
            promise.succeed(value)
        case .multiple(let count, let promise):
            collected.append(value)
            if collected.count == count {
                pending.removeFirst()
                let values = collected
                collected = []
                promise.succeed(values)
            }
        case .none:
            preconditionFailure("requests without replies are never queued")
        }
    }

    private func armTimer() {
        guard timer == nil, let head = pending.first, let context else { return }
        timer = context.eventLoop.assumeIsolated().scheduleTask(deadline: head.deadline) {
            self.timer = nil
            self.timerFired()
        }
    }

    private func timerFired() {
        guard let head = pending.first else { return }
        if head.deadline <= .now() {
            logger.warning("redis command timed out; closing connection", metadata: ["inFlight": "\(pending.count)"])
            close(with: RedisError(.timeout, "no reply within the command timeout; connection closed"))
        } else {
            armTimer()
        }
    }

    /// Fails every waiting request with `error` and closes the channel.
    func close(with error: RedisError) {
        guard closeReason == nil else { return }
        closeReason = error
        failAll(error)
        context?.close(promise: nil)
    }

    private func failAll(_ error: RedisError) {
        timer?.cancel()
        timer = nil
        collected = []
        while let entry = pending.popFirst() {
            RedisOutboundRequest(payload: ByteBuffer(), reply: entry.reply, timeout: .zero).fail(error)
        }
    }

    func channelInactive(context: ChannelHandlerContext) {
        if closeReason == nil {
            closeReason = RedisError(.connectionClosed, "connection closed by the server or the network")
        }
        failAll(closeReason!)
        context.fireChannelInactive()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        logger.debug("redis connection error", metadata: ["error": "\(error)"])
        close(with: RedisError(.connectionClosed, "connection failed: \(error)", underlying: error))
    }
}
