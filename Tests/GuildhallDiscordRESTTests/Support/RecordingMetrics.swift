import CoreMetrics
import Synchronization

/// A metrics factory that keeps every value in memory, so tests can read what the client
/// counted without bootstrapping the process-wide metrics system.
final class RecordingMetrics: MetricsFactory, Sendable {
    private let counters = Mutex<[String: Int64]>([:])
    private let recorded = Mutex<[String: [Double]]>([:])

    static func key(_ label: String, _ dimensions: [(String, String)]) -> String {
        ([label] + dimensions.sorted { $0.0 < $1.0 }.map { "\($0.0)=\($0.1)" }).joined(separator: "|")
    }

    /// The counter's value for exactly these dimensions.
    func counter(_ label: String, _ dimensions: [(String, String)] = []) -> Int64 {
        counters.withLock { $0[Self.key(label, dimensions)] ?? 0 }
    }

    /// The sum of a counter over every dimension value.
    func total(_ label: String) -> Int64 {
        counters.withLock { $0.filter { $0.key == label || $0.key.hasPrefix(label + "|") }.values.reduce(0, +) }
    }

    func values(_ label: String, _ dimensions: [(String, String)] = []) -> [Double] {
        recorded.withLock { $0[Self.key(label, dimensions)] ?? [] }
    }

    func makeCounter(label: String, dimensions: [(String, String)]) -> any CounterHandler {
        Handler(key: Self.key(label, dimensions), owner: self)
    }

    func makeRecorder(label: String, dimensions: [(String, String)], aggregate: Bool) -> any RecorderHandler {
        Handler(key: Self.key(label, dimensions), owner: self)
    }

    func makeTimer(label: String, dimensions: [(String, String)]) -> any TimerHandler {
        Handler(key: Self.key(label, dimensions), owner: self)
    }

    func destroyCounter(_ handler: any CounterHandler) {}
    func destroyRecorder(_ handler: any RecorderHandler) {}
    func destroyTimer(_ handler: any TimerHandler) {}

    fileprivate func add(_ key: String, _ amount: Int64) { counters.withLock { $0[key, default: 0] += amount } }
    fileprivate func record(_ key: String, _ value: Double) { recorded.withLock { $0[key, default: []].append(value) } }

    private final class Handler: CounterHandler, RecorderHandler, TimerHandler, Sendable {
        let key: String
        let owner: RecordingMetrics

        init(key: String, owner: RecordingMetrics) {
            self.key = key
            self.owner = owner
        }

        func increment(by amount: Int64) { owner.add(key, amount) }
        func reset() {}
        func record(_ value: Int64) { owner.record(key, Double(value)) }
        func record(_ value: Double) { owner.record(key, value) }
        func recordNanoseconds(_ duration: Int64) { owner.record(key, Double(duration)) }
    }
}
