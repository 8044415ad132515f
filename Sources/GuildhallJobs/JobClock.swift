import Foundation

/// Wall-clock time in milliseconds since the Unix epoch, and a source of randomness for
/// jitter. Jobs are due at wall-clock instants shared between processes (and stored in
/// the database), so this is not the monotonic clock; tests inject both.
public struct JobClock: Sendable {
    public let milliseconds: @Sendable () -> Int64
    /// A number in 0..<1.
    public let random: @Sendable () -> Double

    public init(milliseconds: @escaping @Sendable () -> Int64, random: @escaping @Sendable () -> Double = { Double.random(in: 0..<1) }) {
        self.milliseconds = milliseconds
        self.random = random
    }

    public static let system = JobClock(milliseconds: { Int64((Date().timeIntervalSince1970 * 1000).rounded(.down)) })

    public var now: Date { Date(milliseconds: milliseconds()) }
}

extension Date {
    public init(milliseconds: Int64) {
        self.init(timeIntervalSince1970: Double(milliseconds) / 1000)
    }

    /// Whole milliseconds since the Unix epoch (rounded down).
    public var millisecondsSince1970: Int64 {
        Int64((timeIntervalSince1970 * 1000).rounded(.down))
    }
}
