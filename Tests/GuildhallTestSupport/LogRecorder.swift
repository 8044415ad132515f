import Logging
import Synchronization

/// Keeps every log line a logger writes, at every level, so tests can check what was logged
/// (and so the log messages' code runs). The one log recorder of every test target.
public final class LogRecorder: Sendable {
    public struct Entry: Sendable, Equatable {
        public let level: Logger.Level
        public let message: String
        public let metadata: [String: String]

        /// Message and metadata as one string, for "does this appear anywhere" checks.
        public var text: String { ([message] + metadata.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }).joined(separator: " ") }
    }

    private let entries = Mutex<[Entry]>([])

    public init() {}

    /// A logger at `trace` that writes here.
    public func logger(label: String = "recorded") -> Logger {
        Logger(label: label) { _ in Handler(recorder: self) }
    }

    public var all: [Entry] { entries.withLock { $0 } }

    public func with(message: String) -> [Entry] { all.filter { $0.message == message } }

    /// Whether any line's message or metadata contains `fragment`.
    public func contains(_ fragment: String) -> Bool { all.contains { $0.text.contains(fragment) } }

    func append(_ entry: Entry) { entries.withLock { $0.append(entry) } }

    struct Handler: LogHandler {
        let recorder: LogRecorder
        var metadata: Logger.Metadata = [:]
        var logLevel: Logger.Level = .trace

        subscript(metadataKey key: String) -> Logger.Metadata.Value? {
            get { metadata[key] }
            set { metadata[key] = newValue }
        }

        func log(event: LogEvent) {
            var merged = metadata
            if let extra = event.metadata { merged.merge(extra) { _, new in new } }
            recorder.append(Entry(level: event.level, message: event.message.description, metadata: merged.mapValues { "\($0)" }))
        }
    }
}
