import GuildhallCore

/// A registered handler with its payload type erased: what the worker calls by name.
public struct AnyJobHandler: Sendable {
    public let name: String
    public let retry: RetryPolicy
    public let timeout: Duration
    let run: @Sendable (JobContext, String) async throws -> Void
}

/// The handlers this process can run, by job name. Features add theirs at start-up
/// (giveaway endings, reminders, leveling announcements…); the worker looks them up.
public struct JobRegistry: Sendable {
    private var handlers: [String: AnyJobHandler] = [:]

    public init() {}

    /// Registers `handler` for `kind`. A name registered twice is a programming error that
    /// would make one feature's jobs run another's code: it throws `conflict`.
    public mutating func register<Payload>(
        _ kind: JobKind<Payload>,
        _ handler: @escaping @Sendable (JobContext, Payload) async throws -> Void
    ) throws {
        guard handlers[kind.name] == nil else {
            throw GuildhallError(.conflict, "a handler for job '\(kind.name)' is already registered")
        }
        handlers[kind.name] = AnyJobHandler(name: kind.name, retry: kind.retry, timeout: kind.timeout) { context, payload in
            try await handler(context, try kind.decode(payload))
        }
    }

    public func handler(named name: String) -> AnyJobHandler? { handlers[name] }

    public var names: [String] { handlers.keys.sorted() }
}
