import Foundation
import HTTPTypes
import Hummingbird
import Logging
import NIOCore
import Synchronization

/// One request as the scripted server received it.
struct RecordedRequest: Sendable {
    let method: String
    /// The raw path, still percent-encoded, without the query.
    let path: String
    let query: String?
    /// Header values by lowercased name.
    let headers: [String: String]
    let body: Data
    /// When the handler started on it.
    let arrival: ContinuousClock.Instant

    func header(_ name: String) -> String? { headers[name.lowercased()] }

    /// The body as a JSON object (tests look inside request bodies).
    func json() throws -> [String: Any] {
        guard let object = try JSONSerialization.jsonObject(with: body) as? [String: Any] else {
            throw ScriptError("request body is not a JSON object: \(String(decoding: body, as: UTF8.self))")
        }
        return object
    }
}

struct ScriptError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

/// What the scripted server answers.
struct ScriptedResponse: Sendable {
    var status: Int
    var headers: [(String, String)]
    var body: Data
    /// Wait this long before answering (for timeouts).
    var delay: Duration = .zero
    /// Send the head at once, then wait this long before the body (for body timeouts).
    var bodyDelay: Duration = .zero

    init(status: Int, headers: [(String, String)] = [], body: Data = Data(), delay: Duration = .zero, bodyDelay: Duration = .zero) {
        self.status = status
        self.headers = headers
        self.body = body
        self.delay = delay
        self.bodyDelay = bodyDelay
    }

    static func json(_ status: Int, _ text: String, headers: [(String, String)] = []) -> ScriptedResponse {
        ScriptedResponse(status: status, headers: [("Content-Type", "application/json")] + headers, body: Data(text.utf8))
    }

    static func noContent(headers: [(String, String)] = []) -> ScriptedResponse {
        ScriptedResponse(status: 204, headers: headers)
    }
}

/// A Hummingbird server on 127.0.0.1 that records every request and answers from a script.
final class ScriptedDiscordServer: Sendable {
    typealias Handler = @Sendable (RecordedRequest) async throws -> ScriptedResponse

    let port: Int
    private let box: RecordBox
    private let task: Task<Void, any Error>

    var baseURL: String { "http://127.0.0.1:\(port)/api/v10" }
    var requests: [RecordedRequest] { box.storage.withLock { $0 } }

    private init(port: Int, box: RecordBox, task: Task<Void, any Error>) {
        self.port = port
        self.box = box
        self.task = task
    }

    static func start(_ handler: @escaping Handler) async throws -> ScriptedDiscordServer {
        let box = RecordBox()
        let (portStream, portContinuation) = AsyncStream<Int>.makeStream()
        let responder = CallbackResponder<BasicRequestContext> { request, _ in
            let arrival = ContinuousClock.now
            var headers: [String: String] = [:]
            for field in request.headers { headers[field.name.canonicalName] = field.value }
            let body = try await request.body.collect(upTo: 4 * 1024 * 1024)
            let raw = request.uri.string
            let path = raw.split(separator: "?", maxSplits: 1).first.map(String.init) ?? raw
            let recorded = RecordedRequest(
                method: request.method.rawValue, path: path, query: request.uri.query, headers: headers,
                body: Data(body.readableBytesView), arrival: arrival
            )
            box.append(recorded)
            let scripted = try await handler(recorded)
            if scripted.delay > .zero { try await Task.sleep(for: scripted.delay) }
            var fields = HTTPFields()
            for (name, value) in scripted.headers {
                guard let fieldName = HTTPField.Name(name) else { throw ScriptError("bad header name \(name)") }
                fields.append(HTTPField(name: fieldName, value: value))
            }
            let bytes = ByteBuffer(bytes: scripted.body)
            let responseBody: ResponseBody
            if scripted.bodyDelay > .zero {
                let delay = scripted.bodyDelay
                responseBody = ResponseBody { writer in
                    try await writer.write(ByteBuffer(string: " "))
                    try await Task.sleep(for: delay)
                    try await writer.write(bytes)
                    try await writer.finish(nil)
                }
            } else {
                responseBody = ResponseBody(byteBuffer: bytes)
            }
            return Response(status: .init(code: scripted.status), headers: fields, body: responseBody)
        }
        var logger = Logger(label: "scripted-discord")
        logger.logLevel = .critical
        let app = Application(
            responder: responder,
            configuration: .init(address: .hostname("127.0.0.1", port: 0)),
            onServerRunning: { channel in
                portContinuation.yield(channel.localAddress?.port ?? 0)
                portContinuation.finish()
            },
            logger: logger
        )
        let task = Task { try await app.runService(gracefulShutdownSignals: []) }
        var port = 0
        for await value in portStream {
            port = value
            break
        }
        guard port > 0 else {
            task.cancel()
            throw ScriptError("the scripted server did not start")
        }
        return ScriptedDiscordServer(port: port, box: box, task: task)
    }

    func stop() async {
        task.cancel()
        _ = await task.result
    }

    /// The most requests (matching `filter`) that arrived within any `window`-long span.
    func maximumInAnyWindow(_ window: Duration, where filter: (RecordedRequest) -> Bool = { _ in true }) -> Int {
        let arrivals = requests.filter(filter).map(\.arrival).sorted()
        var best = 0
        var start = 0
        for end in arrivals.indices {
            while arrivals[end] - arrivals[start] >= window { start += 1 }
            best = max(best, end - start + 1)
        }
        return best
    }
}

/// The server's log of requests, shared between the responder and the test.
final class RecordBox: Sendable {
    let storage = Mutex<[RecordedRequest]>([])
    func append(_ request: RecordedRequest) { storage.withLock { $0.append(request) } }
}
