import Foundation
import GuildhallDiscordModels
import HTTPTypes
import Hummingbird
import HummingbirdWebSocket
import NIOCore

/// The request context of the sandbox's router: Hummingbird's, plus the connection's channel
/// so a gateway fault can cut the TCP connection without a close frame.
struct SandboxRequestContext: RequestContext, WebSocketRequestContext {
    var coreContext: CoreRequestContextStorage
    let webSocket: WebSocketHandlerReference<SandboxRequestContext>
    let channel: any NIOCore.Channel

    init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        webSocket = .init()
        channel = source.channel
    }

    var maxUploadSize: Int { 8 * 1024 * 1024 }
}

/// Responses as Discord sends them: JSON with exactly `application/json` (some client
/// libraries compare the header verbatim), rate-limit headers, error bodies.
enum SandboxHTTP {
    static func headers(_ pairs: [(String, String)], contentType: String? = "application/json") -> HTTPFields {
        var fields = HTTPFields()
        if let contentType { fields[.contentType] = contentType }
        for (name, value) in pairs {
            if let field = HTTPField.Name(name) { fields.append(HTTPField(name: field, value: value)) }
        }
        return fields
    }

    static func json(_ value: JSONValue, status: HTTPResponse.Status = .ok, headers: [(String, String)] = []) -> Response {
        bytes(SandboxWire.bytes(value), status: status, headers: headers)
    }

    static func encoded(_ value: some Encodable, status: HTTPResponse.Status = .ok, headers: [(String, String)] = []) -> Response {
        bytes(Array((try? SandboxWire.encoder.encode(value)) ?? Data("null".utf8)), status: status, headers: headers)
    }

    static func bytes(_ body: [UInt8], status: HTTPResponse.Status, headers: [(String, String)], contentType: String = "application/json") -> Response {
        Response(
            status: status, headers: Self.headers(headers, contentType: contentType),
            body: ResponseBody(byteBuffer: ByteBuffer(bytes: body))
        )
    }

    static func empty(status: HTTPResponse.Status = .noContent, headers: [(String, String)] = []) -> Response {
        Response(status: status, headers: Self.headers(headers, contentType: nil))
    }

    static func error(_ error: SandboxAPIError, headers: [(String, String)] = []) -> Response {
        encoded(error.body, status: HTTPResponse.Status(code: error.status), headers: headers)
    }

    static func html(_ text: String, status: HTTPResponse.Status = .ok) -> Response {
        bytes(Array(text.utf8), status: status, headers: [], contentType: "text/html; charset=utf-8")
    }

    static func redirect(to location: String) -> Response {
        Response(status: .found, headers: Self.headers([("Location", location)], contentType: nil))
    }

    /// The query string as a dictionary (the last value wins for repeated keys).
    static func query(_ request: Request) -> [String: String] {
        var result: [String: String] = [:]
        for (key, value) in request.uri.queryParameters {
            result[String(key)] = String(value).removingPercentEncoding ?? String(value)
        }
        return result
    }

    static func body(_ request: Request, context: SandboxRequestContext) async throws -> [UInt8] {
        var buffer = try await request.body.collect(upTo: context.maxUploadSize)
        return buffer.readBytes(length: buffer.readableBytes) ?? []
    }
}
