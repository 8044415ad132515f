import ServiceLifecycle

/// Runs a loop until graceful shutdown; the cancellation that ends it is a normal stop, not
/// a failure that would make the process exit non-zero. Features' services use it too.
public func stoppingQuietly(_ body: @escaping @Sendable () async throws -> Void) async throws {
    do {
        try await cancelWhenGracefulShutdown(body)
    } catch is CancellationError {
        return
    }
}
