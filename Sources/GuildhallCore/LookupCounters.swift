import Metrics
import Synchronization

/// Where a cached read was answered from, counted with handles made once (not per read):
/// `<label>{source=memory|cache|database}`.
public struct LookupCounters: Sendable {
    public let memory: Counter
    public let cache: Counter
    public let database: Counter

    public init(label: String) {
        memory = Counter(label: label, dimensions: [("source", "memory")])
        cache = Counter(label: label, dimensions: [("source", "cache")])
        database = Counter(label: label, dimensions: [("source", "database")])
    }
}

/// Counters of one label whose dimension values are known only at run time (an interaction's
/// kind and outcome): each combination's handle is made the first time it is counted and
/// reused after that.
public final class CounterFamily: Sendable {
    public let label: String
    public let dimensions: [String]
    private let handles = Mutex<[[String]: Counter]>([:])

    public init(label: String, dimensions: [String]) {
        self.label = label
        self.dimensions = dimensions
    }

    /// The counter for these dimension values, in the order the family names them.
    public func counter(_ values: String...) -> Counter {
        handles.withLock { handles in
            if let counter = handles[values] { return counter }
            let counter = Counter(label: label, dimensions: Array(zip(dimensions, values)))
            handles[values] = counter
            return counter
        }
    }
}
