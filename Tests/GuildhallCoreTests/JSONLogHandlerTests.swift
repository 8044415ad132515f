import Foundation
@testable import GuildhallCore
import GuildhallFixtures
import Logging
import Synchronization
import Testing

/// Collects the lines a handler's sink receives.
final class CapturedLines: Sendable {
    private let storage = Mutex<[String]>([])
    func append(_ line: String) { storage.withLock { $0.append(line) } }
    var lines: [String] { storage.withLock { $0 } }
}

/// Parses one rendered line as a JSON object; fails the test when it is not one.
func parseLine(_ line: String, sourceLocation: SourceLocation = #_sourceLocation) throws -> [String: Any] {
    #expect(!line.contains("\n"), "a log line must be a single line", sourceLocation: sourceLocation)
    let object = try JSONSerialization.jsonObject(with: Data(line.utf8))
    return try #require(object as? [String: Any], "not a JSON object: \(line)", sourceLocation: sourceLocation)
}

@Suite("JSONLogHandler")
struct JSONLogHandlerTests {
    static let date = Date(timeIntervalSince1970: 3_786_912_000.25) // 2090-01-01T00:00:00.250Z

    func makeLogger(level: Logger.Level = .trace, provider: Logger.MetadataProvider? = nil) -> (Logger, CapturedLines) {
        let captured = CapturedLines()
        let handler = JSONLogHandler(label: "guildhall.test", level: level, metadataProvider: provider) { captured.append($0) }
        return (Logger(label: "guildhall.test") { _ in handler }, captured)
    }

    @Test func renderHasFixedFieldsFirst() throws {
        let line = JSONLogHandler.render(date: Self.date, level: .notice, label: "gateway", message: "ready", source: "GuildhallApp", metadata: [:])
        #expect(line == #"{"ts":"2090-01-01T00:00:00.250Z","level":"notice","logger":"gateway","msg":"ready","source":"GuildhallApp"}"#)
        let object = try parseLine(line)
        #expect(object.count == 5)
    }

    @Test func timestampIsISO8601WithMillisecondsInUTC() throws {
        #expect(JSONLogHandler.timestamp(Self.date) == "2090-01-01T00:00:00.250Z")
        #expect(JSONLogHandler.timestamp(Date(timeIntervalSince1970: 0)) == "1970-01-01T00:00:00.000Z")
        #expect(JSONLogHandler.timestamp(Date(timeIntervalSince1970: 3_786_912_000.1234)) == "2090-01-01T00:00:00.123Z")
        let parser = ISO8601DateFormatter()
        parser.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        #expect(parser.date(from: JSONLogHandler.timestamp(Self.date)) == Self.date)
    }

    @Test func metadataBecomesTopLevelFieldsInSortedOrder() throws {
        var factory = MockFactory(seed: 41)
        let guild = factory.snowflake()
        let line = JSONLogHandler.render(date: Self.date, level: .info, label: "l", message: "m", source: "s", metadata: [
            LogKey.shardID: "3",
            LogKey.guildID: .stringConvertible(guild),
            LogKey.requestID: .string("req-1"),
            "count": .stringConvertible(42),
        ])
        let object = try parseLine(line)
        #expect(object[LogKey.guildID] as? String == guild.description)
        #expect(object[LogKey.shardID] as? String == "3")
        #expect(object[LogKey.requestID] as? String == "req-1")
        #expect(object["count"] as? String == "42")
        #expect(object.count == 9)
        let positions = ["count", "guild_id", "request_id", "shard_id"].map { key in
            line.range(of: "\"\(key)\":")!.lowerBound
        }
        #expect(positions == positions.sorted())
        #expect(line.range(of: "\"source\":")!.lowerBound < positions[0])
    }

    @Test("reserved names move under meta.", arguments: ["ts", "level", "logger", "msg", "source"])
    func reservedNames(name: String) throws {
        #expect(JSONLogHandler.reserved.contains(name))
        let line = JSONLogHandler.render(date: Self.date, level: .error, label: "lbl", message: "real message", source: "src", metadata: [name: "from metadata"])
        let object = try parseLine(line)
        #expect(object["meta.\(name)"] as? String == "from metadata")
        #expect(object["ts"] as? String == "2090-01-01T00:00:00.250Z")
        #expect(object["level"] as? String == "error")
        #expect(object["logger"] as? String == "lbl")
        #expect(object["msg"] as? String == "real message")
        #expect(object["source"] as? String == "src")
        #expect(line.components(separatedBy: "\"\(name)\":").count == 2, "the fixed field appears exactly once")
    }

    @Test func reservedSetIsExactlyTheFixedFields() {
        #expect(JSONLogHandler.reserved == ["ts", "level", "logger", "msg", "source"])
    }

    @Test("escaping", arguments: [
        "plain",
        "quote \" inside",
        "back\\slash",
        "line\nbreak",
        "carriage\rreturn",
        "tab\there",
        "nul\u{0}byte",
        "bell\u{7}and\u{1B}escape\u{1F}unit",
        "\u{8}\u{C}\u{B}",
        "del\u{7F}",
        "unicode é 🛡️ 公会 \u{2028}",
        "\\\"\\n",
        "",
    ])
    func escaping(text: String) throws {
        let line = JSONLogHandler.render(date: Self.date, level: .info, label: text, message: text, source: text, metadata: [text: .string(text), "nested": .array([.string(text)])])
        let object = try parseLine(line)
        #expect(object["logger"] as? String == text)
        #expect(object["msg"] as? String == text)
        #expect(object["source"] as? String == text)
        #expect((object["nested"] as? [Any])?.first as? String == text)
        if !JSONLogHandler.reserved.contains(text) && text != "nested" {
            #expect(object[text] as? String == text)
        }
        #expect(!line.unicodeScalars.contains { $0.value < 0x20 }, "no raw control characters in the line")
    }

    @Test("control characters use the short or \\u form", arguments: [
        ("\n", #""\n""#), ("\r", #""\r""#), ("\t", #""\t""#), ("\"", #""\"""#), ("\\", #""\\""#),
        ("\u{0}", #""\u0000""#), ("\u{1}", #""\u0001""#), ("\u{8}", #""\u0008""#), ("\u{B}", #""\u000b""#),
        ("\u{1F}", #""\u001f""#), ("\u{7F}", "\"\u{7F}\""), (" ", #"" ""#), ("/", #""/""#),
    ])
    func escapeForms(text: String, expected: String) {
        var out = ""
        JSONLogHandler.appendString(text, to: &out)
        #expect(out == expected)
    }

    @Test func nestedArraysAndDictionaries() throws {
        let line = JSONLogHandler.render(date: Self.date, level: .info, label: "l", message: "m", source: "s", metadata: [
            "tags": .array([.string("a"), .stringConvertible(2), .array([.string("deep")]), .dictionary(["k": "v"]), .array([])]),
            "ctx": .dictionary([
                "zeta": .string("last"),
                "alpha": .dictionary(["inner": .array([.string("x"), .string("y\"")])]),
                "empty": .dictionary([:]),
            ]),
        ])
        let object = try parseLine(line)
        let tags = try #require(object["tags"] as? [Any])
        #expect(tags.count == 5)
        #expect(tags[0] as? String == "a")
        #expect(tags[1] as? String == "2")
        #expect((tags[2] as? [Any])?.first as? String == "deep")
        #expect((tags[3] as? [String: Any])?["k"] as? String == "v")
        #expect((tags[4] as? [Any])?.isEmpty == true)
        let context = try #require(object["ctx"] as? [String: Any])
        #expect(context["zeta"] as? String == "last")
        #expect((context["empty"] as? [String: Any])?.isEmpty == true)
        let inner = (context["alpha"] as? [String: Any])?["inner"] as? [Any]
        #expect(inner?.compactMap { $0 as? String } == ["x", "y\""])
        // Dictionary keys are written in sorted order too.
        let alpha = try #require(line.range(of: "\"alpha\""))
        let empty = try #require(line.range(of: "\"empty\""))
        let zeta = try #require(line.range(of: "\"zeta\""))
        #expect(alpha.lowerBound < empty.lowerBound && empty.lowerBound < zeta.lowerBound)
        #expect(line.contains(#""ctx":{"alpha":{"inner":["x","y\""]},"empty":{},"zeta":"last"}"#))
    }

    // MARK: Through a real Logger

    @Test func loggerWritesOneLinePerEvent() throws {
        let (logger, captured) = makeLogger()
        logger.info("first")
        logger.warning("second", metadata: [LogKey.feature: "settings"])
        let lines = captured.lines
        try #require(lines.count == 2)
        let first = try parseLine(lines[0])
        #expect(first["msg"] as? String == "first")
        #expect(first["level"] as? String == "info")
        #expect(first["logger"] as? String == "guildhall.test")
        #expect(first["source"] as? String == "GuildhallCoreTests")
        #expect(first[LogKey.feature] == nil)
        let second = try parseLine(lines[1])
        #expect(second["level"] as? String == "warning")
        #expect(second[LogKey.feature] as? String == "settings")
    }

    @Test func explicitSourceIsKept() throws {
        let (logger, captured) = makeLogger()
        logger.log(level: .critical, "boom", source: "custom-source")
        let object = try parseLine(try #require(captured.lines.first))
        #expect(object["source"] as? String == "custom-source")
        #expect(object["level"] as? String == "critical")
    }

    @Test("levels below the handler's are dropped", arguments: Logger.Level.allCases)
    func levelFiltering(threshold: Logger.Level) throws {
        let (logger, captured) = makeLogger(level: threshold)
        #expect(logger.logLevel == threshold)
        for level in Logger.Level.allCases { logger.log(level: level, "at \(level)") }
        let levels = try captured.lines.map { try parseLine($0)["level"] as? String }
        #expect(levels == Logger.Level.allCases.filter { $0 >= threshold }.map(\.rawValue))
    }

    @Test func logLevelCanBeChangedThroughTheLogger() throws {
        let (initial, captured) = makeLogger(level: .error)
        var logger = initial
        logger.info("dropped")
        logger.logLevel = .debug
        logger.debug("kept")
        #expect(captured.lines.count == 1)
        #expect(try parseLine(captured.lines[0])["msg"] as? String == "kept")
    }

    @Test func handlerMetadataEventMetadataAndProviderMerge() throws {
        var factory = MockFactory(seed: 42)
        let guild = factory.snowflake()
        let provider = Logger.MetadataProvider {
            [LogKey.requestID: "req-from-provider", "who": "provider", LogKey.jobID: "job-7"]
        }
        let (initial, captured) = makeLogger(provider: provider)
        var logger = initial
        logger[metadataKey: LogKey.guildID] = "\(guild)"
        logger[metadataKey: "who"] = "handler"
        logger[metadataKey: LogKey.role] = "gateway"
        #expect(logger[metadataKey: LogKey.role] == "gateway")

        logger.info("one")
        logger.info("two", metadata: ["who": "event", LogKey.shardID: "1"])
        let lines = try captured.lines.map { try parseLine($0) }
        try #require(lines.count == 2)
        #expect(lines[0][LogKey.guildID] as? String == guild.description)
        #expect(lines[0][LogKey.requestID] as? String == "req-from-provider")
        #expect(lines[0][LogKey.jobID] as? String == "job-7")
        #expect(lines[0][LogKey.role] as? String == "gateway")
        #expect(lines[0]["who"] as? String == "provider", "the provider overrides handler metadata")
        #expect(lines[1]["who"] as? String == "event", "event metadata overrides everything")
        #expect(lines[1][LogKey.shardID] as? String == "1")
        #expect(lines[0][LogKey.shardID] == nil, "event metadata does not stick")

        logger[metadataKey: "who"] = nil
        #expect(logger[metadataKey: "who"] == nil)
    }

    @Test func providerCanBeSetAfterwards() throws {
        let captured = CapturedLines()
        var handler = JSONLogHandler(label: "late") { captured.append($0) }
        #expect(handler.logLevel == .info, "the default level is info")
        #expect(handler.metadataProvider == nil)
        handler.metadataProvider = Logger.MetadataProvider { ["late": "yes"] }
        handler.metadata = ["preset": "1"]
        let logger = Logger(label: "late") { _ in handler }
        logger.debug("dropped at the default level")
        logger.notice("kept")
        #expect(captured.lines.count == 1)
        let object = try parseLine(captured.lines[0])
        #expect(object["late"] as? String == "yes")
        #expect(object["preset"] as? String == "1")
        #expect(object["logger"] as? String == "late")
    }

    @Test func messagesWithSpecialCharactersSurviveTheLogger() throws {
        let (logger, captured) = makeLogger()
        let message = "guild \"Mock\" said:\n\tC:\\path \u{1} done"
        logger.error("\(message)", metadata: ["msg": "shadow", "list": ["a\nb", "c"]])
        let object = try parseLine(try #require(captured.lines.first))
        #expect(object["msg"] as? String == message)
        #expect(object["meta.msg"] as? String == "shadow")
        #expect((object["list"] as? [Any])?.compactMap { $0 as? String } == ["a\nb", "c"])
    }

    @Test func standardErrorHandlerKeepsItsLevel() {
        var handler = JSONLogHandler.standardError(label: "stderr-test", level: .critical)
        #expect(handler.logLevel == .critical)
        #expect(handler.metadata.isEmpty)
        handler[metadataKey: "k"] = "v"
        #expect(handler.metadata["k"] == "v")
        // One line to standard error: exercises the sink without asserting on the stream.
        let logger = Logger(label: "stderr-test") { _ in handler }
        logger.critical("JSONLogHandlerTests: expected line on standard error")
    }

    /// A metadata key literally named `meta.ts` collides with `ts` moved aside, and the
    /// line then carries the member name twice (RFC 8259: names SHOULD be unique; parsers
    /// keep only one of the two values).
    @Test func displacedReservedNameDoesNotCollide() {
        let line = JSONLogHandler.render(date: Self.date, level: .info, label: "l", message: "m", source: "s", metadata: ["ts": "a", "meta.ts": "b"])
        do {
            #expect(line.components(separatedBy: #""meta.ts":"#).count == 2)
        }
    }
}

@Suite("GuildhallVersion and LogKey")
struct VersionAndLogKeyTests {
    @Test func versionIsSemantic() throws {
        let version = GuildhallVersion.current
        #expect(version.wholeMatch(of: /[0-9]+\.[0-9]+\.[0-9]+(-[0-9A-Za-z.-]+)?/) != nil)
    }

    @Test("log keys are snake_case and stable", arguments: [
        (LogKey.guildID, "guild_id"), (LogKey.shardID, "shard_id"), (LogKey.requestID, "request_id"),
        (LogKey.jobID, "job_id"), (LogKey.feature, "feature"), (LogKey.role, "role"),
    ])
    func logKeys(key: String, expected: String) {
        #expect(key == expected)
        #expect(!JSONLogHandler.reserved.contains(key))
    }
}
