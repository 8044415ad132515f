/// The error every Guildhall module throws: an extensible code, a message for people,
/// and the underlying error when there was one.
public struct GuildhallError: Error, CustomStringConvertible, Sendable {
    /// A stable, machine-readable code. New modules add codes as static members.
    public struct Code: Hashable, Sendable, CustomStringConvertible, ExpressibleByStringLiteral {
        public let rawValue: String
        public init(_ rawValue: String) { self.rawValue = rawValue }
        public init(stringLiteral value: String) { self.rawValue = value }
        public var description: String { rawValue }

        public static let invalidConfiguration: Code = "invalid_configuration"
        public static let invalidInput: Code = "invalid_input"
        public static let invalidKey: Code = "invalid_key"
        public static let notFound: Code = "not_found"
        public static let conflict: Code = "conflict"
        public static let unavailable: Code = "unavailable"
        public static let notImplemented: Code = "not_implemented"
        public static let forbidden: Code = "forbidden"
        public static let internalError: Code = "internal_error"
    }

    public var code: Code
    public var message: String
    public var underlying: (any Error & Sendable)?

    public init(_ code: Code, _ message: String, underlying: (any Error & Sendable)? = nil) {
        self.code = code
        self.message = message
        self.underlying = underlying
    }

    public var description: String {
        if let underlying {
            return "\(code): \(message) (\(underlying))"
        }
        return "\(code): \(message)"
    }
}
