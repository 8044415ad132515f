import Crypto
import Foundation
import GuildhallDiscordModels
import HTTPTypes
import Hummingbird
import Synchronization

/// A bot's HTTP interactions endpoint in miniature: it checks the Ed25519 signature the way
/// Discord requires (401 when it does not match), answers PING with PONG, and answers
/// commands inline (or with 202, to answer later through the callback route).
final class FakeInteractionsEndpoint: Sendable {
    private struct State: Sendable {
        var publicKey: Curve25519.Signing.PublicKey?
        var received: [JSONValue] = []
        var answerLater = false
    }

    private let state = Mutex(State())
    private let task: Task<Void, any Error>
    let url: URL

    private init(task: Task<Void, any Error>, url: URL) {
        self.task = task
        self.url = url
    }

    func configure(publicKeyHex: String) {
        let bytes = stride(from: 0, to: publicKeyHex.count, by: 2).map { offset -> UInt8 in
            let start = publicKeyHex.index(publicKeyHex.startIndex, offsetBy: offset)
            return UInt8(publicKeyHex[start..<publicKeyHex.index(start, offsetBy: 2)], radix: 16)!
        }
        state.withLock { $0.publicKey = try? Curve25519.Signing.PublicKey(rawRepresentation: bytes) }
    }

    var received: [JSONValue] { state.withLock { $0.received } }

    var answerLater: Bool {
        get { state.withLock { $0.answerLater } }
        set { state.withLock { $0.answerLater = newValue } }
    }

    static func start() async throws -> FakeInteractionsEndpoint {
        let box = FakeBox()
        let router = Router()
        let ready = AsyncStream<Int>.makeStream()
        router.post("interactions") { request, context -> Response in
            var buffer = try await request.body.collect(upTo: 1 << 20)
            let body = buffer.readBytes(length: buffer.readableBytes) ?? []
            guard let endpoint = box.endpoint else { return Response(status: .serviceUnavailable) }
            return endpoint.answer(body: body, signature: request.headers[HTTPField.Name("X-Signature-Ed25519")!],
                                   timestamp: request.headers[HTTPField.Name("X-Signature-Timestamp")!])
        }
        let app = Application(
            router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)),
            onServerRunning: { channel in ready.continuation.yield(channel.localAddress?.port ?? 0) }
        )
        let task = Task { try await app.run() }
        var iterator = ready.stream.makeAsyncIterator()
        let port = await iterator.next() ?? 0
        let endpoint = FakeInteractionsEndpoint(task: task, url: URL(string: "http://127.0.0.1:\(port)/interactions")!)
        box.endpoint = endpoint
        return endpoint
    }

    func stop() async {
        task.cancel()
        _ = try? await task.value
    }

    private func answer(body: [UInt8], signature: String?, timestamp: String?) -> Response {
        guard let key = state.withLock({ $0.publicKey }), let signature, let timestamp,
              let signatureBytes = Self.bytes(hex: signature),
              key.isValidSignature(signatureBytes, for: Array(timestamp.utf8) + body)
        else { return Response(status: .unauthorized) }
        let payload = (try? JSONDecoder().decode(JSONValue.self, from: Data(body))) ?? .null
        let later = state.withLock { state in
            state.received.append(payload)
            return state.answerLater
        }
        func json(_ text: String) -> Response {
            var headers = HTTPFields()
            headers[.contentType] = "application/json"
            return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(string: text)))
        }
        if payload["type"]?.integerValue == 1 { return json(#"{"type":1}"#) }
        if later { return Response(status: .accepted) }
        return json(#"{"type":4,"data":{"content":"answered inline"}}"#)
    }

    private static func bytes(hex: String) -> [UInt8]? {
        guard hex.count % 2 == 0 else { return nil }
        var result: [UInt8] = []
        var index = hex.startIndex
        while index < hex.endIndex {
            let next = hex.index(index, offsetBy: 2)
            guard let byte = UInt8(hex[index..<next], radix: 16) else { return nil }
            result.append(byte)
            index = next
        }
        return result
    }
}

/// Lets the route closure reach the endpoint once it exists.
private final class FakeBox: Sendable {
    private let lock = Mutex<FakeInteractionsEndpoint?>(nil)
    var endpoint: FakeInteractionsEndpoint? {
        get { lock.withLock { $0 } }
        set { lock.withLock { $0 = newValue } }
    }
}
