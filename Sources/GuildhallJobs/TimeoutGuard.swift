import GuildhallCore
import Synchronization

/// Runs a job's body with a deadline. The answer comes at the deadline even when the body
/// ignores cancellation: the body is cancelled and left to end on its own (its effects are
/// claimed in the database, so a late finish changes nothing twice).
enum TimeoutGuard {
    static func run(timeout: Duration, _ body: @escaping @Sendable () async throws -> Void) async throws {
        let pending = Mutex<CheckedContinuation<Void, any Error>?>(nil)
        let tasks = Mutex<[Task<Void, Never>]>([])
        let finish: @Sendable (Result<Void, any Error>) -> Void = { result in
            pending.withLock { continuation in
                continuation?.resume(with: result)
                continuation = nil
            }
        }
        defer { for task in tasks.withLock({ $0 }) { task.cancel() } }
        try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
                pending.withLock { $0 = continuation }
                let work = Task {
                    do {
                        try await body()
                        finish(.success(()))
                    } catch {
                        finish(.failure(error))
                    }
                }
                let timer = Task {
                    do { try await Task.sleep(for: timeout) } catch { return }
                    finish(.failure(GuildhallError(.jobTimedOut, "the job ran longer than its timeout of \(timeout.compactDescription)")))
                }
                tasks.withLock { $0 = [work, timer] }
                if Task.isCancelled { finish(.failure(CancellationError())) }
            }
        } onCancel: {
            finish(.failure(CancellationError()))
        }
    }
}
