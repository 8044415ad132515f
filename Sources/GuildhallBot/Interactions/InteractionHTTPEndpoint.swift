import Foundation
import GuildhallDiscordModels
import Hummingbird
import Logging
import Metrics

/// `POST /interactions`: Discord's outgoing-webhook way of delivering interactions. The
/// signature is checked on the raw bytes before anything is decoded; PING gets PONG; every
/// other interaction gets its first answer in the HTTP response (deferred when slow).
public struct InteractionHTTPEndpoint: Sendable {
    public static let path = "/interactions"
    /// Discord's bodies are small; anything larger is not an interaction.
    public static let maximumBodyBytes = 1 << 20

    let verifier: InteractionSignatureVerifier
    let dispatcher: InteractionDispatcher

    public init(verifier: InteractionSignatureVerifier, dispatcher: InteractionDispatcher) {
        self.verifier = verifier
        self.dispatcher = dispatcher
    }

    public func register<Context: RequestContext>(on router: Router<Context>) {
        router.post(RouterPath(stringLiteral: Self.path)) { request, context -> Response in
            try await answer(request, context: context)
        }
    }

    func answer(_ request: Request, context: some RequestContext) async throws -> Response {
        let buffer = try await request.body.collect(upTo: Self.maximumBodyBytes)
        let body = Array(buffer.readableBytesView)
        guard verifier.isValid(
            signatureHex: request.headers[.init("X-Signature-Ed25519")!],
            timestamp: request.headers[.init("X-Signature-Timestamp")!],
            body: body
        ) else {
            Counter(label: "guildhall_interactions_http_rejected_total", dimensions: [("reason", "signature")]).increment()
            return Self.json(status: .unauthorized, #"{"error":"invalid request signature"}"#)
        }
        let interaction: Interaction
        do {
            interaction = try JSONDecoder().decode(Interaction.self, from: Data(body))
        } catch {
            Counter(label: "guildhall_interactions_http_rejected_total", dimensions: [("reason", "body")]).increment()
            return Self.json(status: .badRequest, #"{"error":"the body is not an interaction"}"#)
        }
        let response = await dispatcher.firstAnswer(to: interaction)
        let encoded = try JSONEncoder().encode(response)
        return Response(
            status: .ok,
            headers: [.contentType: "application/json"],
            body: .init(byteBuffer: ByteBuffer(bytes: encoded))
        )
    }

    static func json(status: HTTPResponse.Status, _ text: String) -> Response {
        Response(status: status, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(string: text)))
    }
}
