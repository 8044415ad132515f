import Foundation
import Synchronization

/// Background tasks a service starts and must see finished before the process closes what
/// they use (the database): each removes itself when done; `cancelAndWait` ends the rest.
public final class PendingTasks: Sendable {
    private let tasks = Mutex<[UUID: Task<Void, Never>]>([:])

    public init() {}

    public func start(_ body: @escaping @Sendable () async -> Void) {
        let id = UUID()
        tasks.withLock { tasks in
            tasks[id] = Task { [weak self] in
                await body()
                self?.finished(id)
            }
        }
    }

    private func finished(_ id: UUID) {
        _ = tasks.withLock { $0.removeValue(forKey: id) }
    }

    public var count: Int { tasks.withLock { $0.count } }

    public func cancelAndWait() async {
        let running = tasks.withLock { tasks in
            defer { tasks.removeAll() }
            return Array(tasks.values)
        }
        for task in running { task.cancel() }
        for task in running { await task.value }
    }
}
