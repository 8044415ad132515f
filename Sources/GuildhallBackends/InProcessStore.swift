import GuildhallCore

/// The in-process backend's data: string values with optional expiry in monotonic
/// milliseconds, and sets (which never expire, like the persistent sets scripts keep).
/// A value type, guarded by the backend's mutex; expired entries are dropped when touched
/// and by `sweep`.
struct InProcessStore {
    struct Entry {
        var value: String
        var expiresAt: UInt64?
    }

    private(set) var entries: [String: Entry] = [:]
    private(set) var sets: [String: Set<String>] = [:]

    func get(_ key: String, now: UInt64) -> String? {
        guard let entry = entries[key] else { return nil }
        if let expiresAt = entry.expiresAt, expiresAt <= now { return nil }
        return entry.value
    }

    mutating func set(_ key: String, _ value: String, expiresAt: UInt64?) {
        sets[key] = nil
        entries[key] = Entry(value: value, expiresAt: expiresAt)
    }

    mutating func increment(_ key: String, by delta: Int64, now: UInt64) throws -> Int64 {
        var entry = live(key, now: now) ?? Entry(value: "0", expiresAt: nil)
        guard let current = Int64(entry.value) else {
            throw GuildhallError(.invalidInput, "value at '\(key)' is not an integer")
        }
        let (sum, overflow) = current.addingReportingOverflow(delta)
        guard !overflow else { throw GuildhallError(.invalidInput, "increment at '\(key)' would overflow") }
        entry.value = String(sum)
        entries[key] = entry
        return sum
    }

    mutating func expire(_ key: String, at deadline: UInt64, now: UInt64) -> Bool {
        guard var entry = live(key, now: now) else { return false }
        entry.expiresAt = deadline
        entries[key] = entry
        return true
    }

    func pttl(_ key: String, now: UInt64) -> Int64 {
        guard let entry = live(key, now: now) else { return -2 }
        guard let expiresAt = entry.expiresAt else { return -1 }
        return Int64(expiresAt - now)
    }

    mutating func delete(_ key: String, now: UInt64) -> Bool {
        let existed = live(key, now: now) != nil || sets[key] != nil
        entries[key] = nil
        sets[key] = nil
        return existed
    }

    // MARK: Sets

    /// SADD of one member; true when it was new.
    mutating func addToSet(_ key: String, _ member: String) -> Bool {
        sets[key, default: []].insert(member).inserted
    }

    /// SMEMBERS, sorted so results are stable.
    func members(_ key: String) -> [String] { (sets[key] ?? []).sorted() }

    func exists(_ key: String, now: UInt64) -> Bool { live(key, now: now) != nil || sets[key] != nil }

    /// RENAME: moves a value or a set to `target`, replacing what was there; false when
    /// `key` is missing (Redis answers an error; scripts check EXISTS first).
    mutating func rename(_ key: String, to target: String, now: UInt64) -> Bool {
        if let members = sets[key] {
            entries[target] = nil
            sets[target] = members
            sets[key] = nil
            return true
        }
        guard let entry = live(key, now: now) else { return false }
        sets[target] = nil
        entries[target] = entry
        entries[key] = nil
        return true
    }

    /// Drops expired entries; returns how many.
    mutating func sweep(now: UInt64) -> Int {
        let expired = entries.filter { $0.value.expiresAt.map { $0 <= now } ?? false }.map(\.key)
        for key in expired { entries[key] = nil }
        return expired.count
    }

    var keys: [String] { Array(entries.keys) + Array(sets.keys) }

    private func live(_ key: String, now: UInt64) -> Entry? {
        guard let entry = entries[key] else { return nil }
        if let expiresAt = entry.expiresAt, expiresAt <= now { return nil }
        return entry
    }
}
