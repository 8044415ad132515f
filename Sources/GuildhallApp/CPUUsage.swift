import Foundation

/// CPU seconds (user plus system) that a bench's processes used in its measured window,
/// read from `/proc`. Wall-clock figures depend on the machine and on what else runs; a
/// figure per CPU-second compares across machines.
struct CPUUsage: Sendable, Equatable {
    struct Share: Sendable, Equatable {
        var name: String
        var seconds: Double
    }

    var shares: [Share]

    var total: Double { shares.reduce(0) { $0 + $1.seconds } }

    /// `CPU seconds in the measured window: guildhall 3.10, sandbox 2.40 (total 5.50) = 36,363 events per CPU-second`.
    func line(work: Int, unit: String) -> String {
        let parts = shares.map { "\($0.name) \(String(format: "%.2f", $0.seconds))" }.joined(separator: ", ")
        let rate = total > 0 ? Int((Double(work) / total).rounded()) : 0
        return "CPU seconds in the measured window: \(parts) (total \(String(format: "%.2f", total))) = \(rate) \(unit) per CPU-second"
    }

    /// A process's CPU seconds since it started; nil where `/proc` cannot say (not Linux,
    /// or the process is gone).
    static func seconds(pid: Int32) -> Double? {
        guard let text = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8) else { return nil }
        return seconds(stat: text, ticksPerSecond: Double(sysconf(Int32(_SC_CLK_TCK))))
    }

    /// Reads utime and stime (fields 14 and 15) from a `/proc/<pid>/stat` line. The command
    /// name is in parentheses and may hold spaces, so fields are counted after the last `)`.
    static func seconds(stat text: String, ticksPerSecond: Double) -> Double? {
        guard let close = text.lastIndex(of: ")"), ticksPerSecond > 0 else { return nil }
        let fields = text[text.index(after: close)...].split(separator: " ")
        guard fields.count > 12, let user = Double(fields[11]), let system = Double(fields[12]) else { return nil }
        return (user + system) / ticksPerSecond
    }
}

/// Readings of named processes at the start of a measured window; `usage()` gives what
/// each used since. A process `/proc` cannot read is left out.
struct CPUMeter: Sendable {
    private let start: [(name: String, pid: Int32, seconds: Double)]

    /// This process, named as the report names it.
    static let thisProcess: (name: String, pid: Int32) = ("guildhall", getpid())

    init(_ processes: [(name: String, pid: Int32)]) {
        start = processes.compactMap { process in CPUUsage.seconds(pid: process.pid).map { (process.name, process.pid, $0) } }
    }

    func usage() -> CPUUsage {
        CPUUsage(shares: start.compactMap { entry in
            CPUUsage.seconds(pid: entry.pid).map { CPUUsage.Share(name: entry.name, seconds: max(0, $0 - entry.seconds)) }
        })
    }
}
