import GuildhallCore

/// The in-process backend's data: string values with optional expiry in monotonic
/// milliseconds. A value type, guarded by the backend's mutex; expired entries are
/// dropped when touched and by `sweep`.
struct InProcessStore {
    struct Entry {
        var value: String
        var expiresAt: UInt64?
    }

    private(set) var entries: [String: Entry] = [:]

    func get(_ key: String, now: UInt64) -> String? {
        guard let entry = entries[key] else { return nil }
        if let expiresAt = entry.expiresAt, expiresAt <= now { return nil }
        return entry.value
    }

    mutating func set(_ key: String, _ value: String, expiresAt: UInt64?) {
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
        let existed = live(key, now: now) != nil
        entries[key] = nil
        return existed
    }

    /// Drops expired entries; returns how many.
    mutating func sweep(now: UInt64) -> Int {
        let expired = entries.filter { $0.value.expiresAt.map { $0 <= now } ?? false }.map(\.key)
        for key in expired { entries[key] = nil }
        return expired.count
    }

    var keys: [String] { Array(entries.keys) }

    private func live(_ key: String, now: UInt64) -> Entry? {
        guard let entry = entries[key] else { return nil }
        if let expiresAt = entry.expiresAt, expiresAt <= now { return nil }
        return entry
    }
}
