import Foundation
import GuildhallCore
@testable import GuildhallGiveaways
import GuildhallTestSupport
import Synchronization
import Testing

/// Group commit: entries that arrive while a batch is written go together in the next one,
/// each caller gets its own entry's result, and a failed write fails exactly its batch.
/// The store is replaced by a closure here (pure concurrency logic, no database); the
/// service tests run the real store on SQLite and PostgreSQL.
@Suite("GiveawayEntryWriter")
struct GiveawayEntryWriterTests {
    /// Records each batch; the first write waits until released, so others pile up behind it.
    final class Recorder: Sendable {
        let batches = Mutex<[[Int64]]>([])
        let release = Mutex<CheckedContinuation<Void, Never>?>(nil)
        let holding = Atomic<Bool>(true)

        func write(_ requests: [GiveawayStore.EntryRequest]) async throws -> [Bool] {
            let first = batches.withLock { batches in
                batches.append(requests.map(\.user.rawValue).map(Int64.init))
                return batches.count == 1
            }
            if first, holding.load(ordering: .acquiring) {
                await withCheckedContinuation { continuation in release.withLock { $0 = continuation } }
            }
            if requests.contains(where: { $0.giveaway == 666 }) { throw GuildhallError(.unavailable, "database gone") }
            // Odd users are "already entered".
            return requests.map { $0.user.rawValue % 2 == 0 }
        }

        func letGo() {
            holding.store(false, ordering: .releasing)
            release.withLock { $0?.resume(); $0 = nil }
        }
    }

    final class Results: Sendable {
        private let values = Mutex<[UInt64: Bool]>([:])
        func record(_ user: UInt64, _ inserted: Bool) { values.withLock { $0[user] = inserted } }
        var all: [UInt64: Bool] { values.withLock { $0 } }
    }

    static func request(_ user: UInt64, giveaway: Int64 = 1) -> GiveawayStore.EntryRequest {
        .init(giveaway: giveaway, guild: Snowflake(9), user: Snowflake(user), now: 0)
    }

    @Test("entries arriving during a write share the next batch; each caller gets its own result")
    func batches() async throws {
        let recorder = Recorder()
        let writer = GiveawayEntryWriter(maximumBatch: 4) { try await recorder.write($0) }
        let results = Results()
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { let inserted = try await writer.add(Self.request(2)); results.record(2, inserted) }
            // The first batch is being written (and held) before the others arrive.
            #expect(await waitUntil(timeout: .seconds(5)) { recorder.batches.withLock { $0.count } == 1 })
            for user in UInt64(3)...12 {
                group.addTask { let inserted = try await writer.add(Self.request(user)); results.record(user, inserted) }
            }
            #expect(await waitUntil(timeout: .seconds(5)) { writer.waitingCount == 10 })
            recorder.letGo()
            try await group.waitForAll()
        }
        let batches = recorder.batches.withLock { $0 }
        #expect(batches.first == [2])
        #expect(batches.dropFirst().map(\.count) == [4, 4, 2], "ten waiting entries go in batches of at most four")
        #expect(Set(batches.joined()) == Set((2...12).map(Int64.init)))
        #expect(results.all == Dictionary(uniqueKeysWithValues: (UInt64(2)...12).map { ($0, $0 % 2 == 0) }))
        #expect(writer.waitingCount == 0)
    }

    @Test("a failed write fails its own batch only; the writer goes on")
    func failures() async throws {
        let recorder = Recorder()
        recorder.holding.store(false, ordering: .releasing)
        let writer = GiveawayEntryWriter { try await recorder.write($0) }
        let error = await #expect(throws: GuildhallError.self) { try await writer.add(Self.request(4, giveaway: 666)) }
        #expect(error?.code == .unavailable)
        #expect(try await writer.add(Self.request(6)))
        #expect(try await !writer.add(Self.request(7)))
    }

    @Test("a write that answers for the wrong number of entries is an internal error, not a wrong answer")
    func wrongCount() async throws {
        let writer = GiveawayEntryWriter { _ in [true, true] }
        let error = await #expect(throws: GuildhallError.self) { try await writer.add(Self.request(2)) }
        #expect(error?.code == .internalError)
    }
}
