import GuildhallCore
import Synchronization

/// What the Enter path keeps in memory so a click costs one database statement:
/// - running giveaways for a few seconds (their requirements never change; whether they
///   still run is settled by the conditional insert, so a stale entry cannot let anyone in);
/// - the giveaways whose count edit this process has already armed (no Redis call for them).
final class GiveawayEntryCache: Sendable {
    private struct State {
        var running: [Int64: (giveaway: Giveaway, until: ContinuousClock.Instant)] = [:]
        var armed: Set<Int64> = []
    }

    private let state = Mutex(State())
    let lifetime: Duration

    init(lifetime: Duration = .seconds(5)) {
        self.lifetime = lifetime
    }

    /// The cached running giveaway `id` of `guild`, if fresh.
    func running(_ id: Int64, guild: Snowflake) -> Giveaway? {
        state.withLock { state in
            guard let entry = state.running[id], entry.giveaway.guild == guild, entry.until > .now else { return nil }
            return entry.giveaway
        }
    }

    func remember(_ giveaway: Giveaway) {
        guard giveaway.status == .running else { return }
        let until = ContinuousClock.now + lifetime
        state.withLock { state in
            if state.running.count > 10_000 { state.running = state.running.filter { $0.value.until > .now } }
            state.running[giveaway.id] = (giveaway, until)
        }
    }

    func forget(_ id: Int64) {
        _ = state.withLock { $0.running.removeValue(forKey: id) }
    }

    /// True when this call armed the edit (nobody in this process had).
    func arm(_ id: Int64) -> Bool {
        state.withLock { $0.armed.insert(id).inserted }
    }

    func disarm(_ id: Int64) {
        _ = state.withLock { $0.armed.remove(id) }
    }
}
