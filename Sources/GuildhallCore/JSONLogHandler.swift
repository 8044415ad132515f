import Foundation
import Logging

/// A swift-log handler that writes one JSON object per line: time, level, logger label,
/// message, then the metadata (guild_id, shard_id, request_id, job_id, feature…) as
/// top-level fields so log tools can filter on them.
public struct JSONLogHandler: LogHandler {
    /// Where finished lines go. Tests capture them; processes write to standard error.
    public typealias Sink = @Sendable (String) -> Void

    public var metadata: Logger.Metadata = [:]
    public var logLevel: Logger.Level
    public var metadataProvider: Logger.MetadataProvider?
    private let label: String
    private let sink: Sink

    /// The names the handler itself writes; metadata using them is kept under `meta.<name>`.
    static let reserved: Set<String> = ["ts", "level", "logger", "msg", "source"]

    public init(label: String, level: Logger.Level = .info, metadataProvider: Logger.MetadataProvider? = nil, sink: @escaping Sink) {
        self.label = label
        self.logLevel = level
        self.metadataProvider = metadataProvider
        self.sink = sink
    }

    /// A handler writing to standard error, which keeps standard output for a command's
    /// own result (`guildhall features --json | jq` stays valid JSON).
    public static func standardError(label: String, level: Logger.Level) -> JSONLogHandler {
        JSONLogHandler(label: label, level: level) { line in
            FileHandle.standardError.write(Data((line + "\n").utf8))
        }
    }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    public func log(event: LogEvent) {
        var merged = metadata
        if let provided = metadataProvider?.get() { merged.merge(provided) { _, new in new } }
        if let extra = event.metadata { merged.merge(extra) { _, new in new } }
        sink(Self.render(
            date: Date(), level: event.level, label: label, message: event.message.description,
            source: event.source, metadata: merged
        ))
    }

    /// Renders one line; exposed for tests.
    static func render(date: Date, level: Logger.Level, label: String, message: String, source: String, metadata: Logger.Metadata) -> String {
        var out = "{\"ts\":\"\(Self.timestamp(date))\",\"level\":\"\(level.rawValue)\",\"logger\":"
        appendString(label, to: &out)
        out += ",\"msg\":"
        appendString(message, to: &out)
        out += ",\"source\":"
        appendString(source, to: &out)
        for key in metadata.keys.sorted() {
            out += ","
            // A reserved name moves aside to meta.<name>, further if that is taken too, so
            // every member name in a line stays unique.
            var name = key
            while reserved.contains(name) || (name != key && metadata[name] != nil) { name = "meta." + name }
            appendString(name, to: &out)
            out += ":"
            appendValue(metadata[key]!, to: &out)
        }
        out += "}"
        return out
    }

    static func timestamp(_ date: Date) -> String {
        date.formatted(Date.ISO8601FormatStyle(includingFractionalSeconds: true))
    }

    private static func appendValue(_ value: Logger.Metadata.Value, to out: inout String) {
        switch value {
        case .string(let text): appendString(text, to: &out)
        case .stringConvertible(let convertible): appendString(convertible.description, to: &out)
        case .array(let values):
            out += "["
            for (index, element) in values.enumerated() {
                if index > 0 { out += "," }
                appendValue(element, to: &out)
            }
            out += "]"
        case .dictionary(let dictionary):
            out += "{"
            for (index, key) in dictionary.keys.sorted().enumerated() {
                if index > 0 { out += "," }
                appendString(key, to: &out)
                out += ":"
                appendValue(dictionary[key]!, to: &out)
            }
            out += "}"
        }
    }

    /// JSON string escaping (RFC 8259): quotes, backslashes and control characters.
    static func appendString(_ text: String, to out: inout String) {
        out += "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case _ where scalar.value < 0x20:
                out += "\\u" + String(repeating: "0", count: 4 - String(scalar.value, radix: 16).count) + String(scalar.value, radix: 16)
            default: out.unicodeScalars.append(scalar)
            }
        }
        out += "\""
    }
}

/// The metadata keys every module uses, so logs can be joined across processes.
public enum LogKey {
    public static let guildID = "guild_id"
    public static let shardID = "shard_id"
    public static let requestID = "request_id"
    public static let jobID = "job_id"
    public static let feature = "feature"
    public static let role = "role"
}
