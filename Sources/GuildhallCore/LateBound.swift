import Synchronization

/// A dependency a process supplies after start-up, such as the bot's REST client for jobs
/// that act on Discord. Until it is set, `require()` fails with `unavailable` and the
/// message given, so a job is retried (then dead-lettered), never skipped.
public final class LateBound<Value: Sendable>: Sendable {
    private let current = Mutex<Value?>(nil)
    private let missing: String

    public init(missing: String) {
        self.missing = missing
    }

    public func set(_ value: Value) {
        current.withLock { $0 = value }
    }

    public func require() throws -> Value {
        guard let value = current.withLock({ $0 }) else { throw GuildhallError(.unavailable, missing) }
        return value
    }
}
