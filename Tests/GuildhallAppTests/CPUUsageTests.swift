import Foundation
@testable import GuildhallApp
import Testing

/// The benches' CPU accounting: reading `/proc/<pid>/stat` and the line they print.
@Suite("CPU seconds of a bench")
struct CPUUsageTests {
    @Test("utime and stime are read after the command, whatever its name holds")
    func parsesStat() {
        let line = "4242 (guild hall (x)) S 1 4242 4242 0 -1 4194560 900 0 0 0 250 50 0 0 20 0 9 0 100 0 0"
        #expect(CPUUsage.seconds(stat: line, ticksPerSecond: 100) == 3.0)
        #expect(CPUUsage.seconds(stat: "4242 (short) S 1 2", ticksPerSecond: 100) == nil, "too few fields")
        #expect(CPUUsage.seconds(stat: "no parenthesis here", ticksPerSecond: 100) == nil)
        #expect(CPUUsage.seconds(stat: line, ticksPerSecond: 0) == nil)
    }

    @Test("this process's CPU seconds grow with work; a process that does not exist is left out")
    func meter() {
        let meter = CPUMeter([CPUMeter.thisProcess, ("nobody", Int32.max)])
        var sum = 0.0
        for index in 0..<3_000_000 { sum += Double(index).squareRoot() }
        let usage = meter.usage()
        #expect(sum > 0)
        #expect(usage.shares.map(\.name) == ["guildhall"])
        #expect(usage.total >= 0)
        #expect(CPUUsage.seconds(pid: Int32.max) == nil)
    }

    @Test("the line names each process and the work per CPU-second")
    func line() {
        let usage = CPUUsage(shares: [.init(name: "guildhall", seconds: 3), .init(name: "sandbox", seconds: 1)])
        #expect(usage.line(work: 200_000, unit: "events") == "CPU seconds in the measured window: guildhall 3.00, sandbox 1.00 (total 4.00) = 50000 events per CPU-second")
        #expect(CPUUsage(shares: []).line(work: 5, unit: "events").hasSuffix("= 0 events per CPU-second"))
    }
}
