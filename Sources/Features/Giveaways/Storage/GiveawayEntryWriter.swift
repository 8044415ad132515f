import GuildhallCore
import Synchronization

/// Group commit for Enter clicks. A click's entry joins the next batch; while one batch is
/// being written, the clicks that arrive wait and go together in the next, so under load
/// many entries share one statement and one commit, and an idle bot writes each click at
/// once. A click is answered only after its batch committed: nothing is acknowledged that
/// a crash could lose.
final class GiveawayEntryWriter: Sendable {
    typealias Request = GiveawayStore.EntryRequest
    typealias Write = @Sendable ([Request]) async throws -> [Bool]

    private struct Waiting {
        let request: Request
        let continuation: CheckedContinuation<Bool, any Error>
    }

    private struct State {
        var waiting: [Waiting] = []
        var writing = false
    }

    /// The most entries one statement takes (four bound values each); more wait for the next.
    let maximumBatch: Int
    private let write: Write
    private let state = Mutex(State())

    init(maximumBatch: Int = 256, write: @escaping Write) {
        self.maximumBatch = maximumBatch
        self.write = write
    }

    /// Stores the entry with whatever else is waiting; true when it was inserted.
    func add(_ request: Request) async throws -> Bool {
        try await withCheckedThrowingContinuation { continuation in
            let startWriting = state.withLock { state in
                state.waiting.append(Waiting(request: request, continuation: continuation))
                guard !state.writing else { return false }
                state.writing = true
                return true
            }
            if startWriting {
                Task { await self.drain() }
            }
        }
    }

    /// Entries waiting for the next batch.
    var waitingCount: Int { state.withLock { $0.waiting.count } }

    /// Writes batches until nobody is waiting.
    private func drain() async {
        while true {
            let batch = state.withLock { state -> [Waiting] in
                let batch = Array(state.waiting.prefix(maximumBatch))
                state.waiting.removeFirst(batch.count)
                if batch.isEmpty { state.writing = false }
                return batch
            }
            guard !batch.isEmpty else { return }
            do {
                let inserted = try await write(batch.map(\.request))
                guard inserted.count == batch.count else {
                    throw GuildhallError(.internalError, "the entry batch wrote \(inserted.count) results for \(batch.count) entries")
                }
                for (waiting, result) in zip(batch, inserted) { waiting.continuation.resume(returning: result) }
            } catch {
                for waiting in batch { waiting.continuation.resume(throwing: error) }
            }
        }
    }
}
