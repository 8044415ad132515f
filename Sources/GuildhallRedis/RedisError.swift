/// The one error type of GuildhallRedis: a code to switch on, a message for people, and the
/// error underneath when there is one.
public struct RedisError: Error, Sendable, CustomStringConvertible {
    /// What went wrong, as an extensible set of names (new codes are not a breaking change).
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        public let name: String

        public init(_ name: String) { self.name = name }

        public var description: String { name }

        /// No connection could be made (refused, unreachable, handshake rejected, in back-off).
        public static let connectionFailed = Code("connectionFailed")
        /// The connection closed while the command was written or awaited its reply.
        public static let connectionClosed = Code("connectionClosed")
        /// No reply within the command timeout; the connection was closed.
        public static let timeout = Code("timeout")
        /// The server answered with an error reply; the message is its text (`WRONGTYPE …`).
        public static let server = Code("server")
        /// Bytes that are not RESP arrived; the connection was closed.
        public static let protocolViolation = Code("protocolViolation")
        /// A URL or setting that cannot work.
        public static let invalidConfiguration = Code("invalidConfiguration")
        /// EXEC did not run the transaction (a WATCHed key changed, or a command was rejected).
        public static let transactionAborted = Code("transactionAborted")
        /// A reply of a shape the command never returns.
        public static let unexpectedReply = Code("unexpectedReply")
        /// The client was closed.
        public static let poolClosed = Code("poolClosed")
    }

    public var code: Code
    public var message: String
    public var underlying: (any Error & Sendable)?

    public init(_ code: Code, _ message: String, underlying: (any Error & Sendable)? = nil) {
        self.code = code
        self.message = message
        self.underlying = underlying
    }

    /// For `.server` errors, the first word of the server's text: `WRONGTYPE`, `NOSCRIPT`, `ERR`…
    public var serverErrorPrefix: String? {
        guard code == .server else { return nil }
        return message.split(separator: " ", maxSplits: 1).first.map(String.init)
    }

    public var description: String {
        if let underlying {
            return "RedisError.\(code): \(message) (\(underlying))"
        }
        return "RedisError.\(code): \(message)"
    }

    static func server(_ message: String) -> RedisError {
        RedisError(.server, message)
    }

    static func unexpected(_ value: RESPValue, expected: String) -> RedisError {
        RedisError(.unexpectedReply, "expected \(expected), got \(value)")
    }
}
