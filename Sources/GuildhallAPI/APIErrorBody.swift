import Foundation
import HTTPTypes
import Hummingbird

/// The error shape on the wire.
struct APIErrorBody: Codable, Sendable, Equatable {
    struct Payload: Codable, Sendable, Equatable {
        var code: String
        var message: String
        var details: [APIError.Detail]
        var requestID: String?

        enum CodingKeys: String, CodingKey {
            case code, message, details
            case requestID = "request_id"
        }
    }

    var error: Payload
}

extension APIError {
    /// The response for this error, with the request id in the body.
    func response(requestID: String?) -> Response {
        let body = APIErrorBody(error: .init(code: code, message: message, details: details, requestID: requestID))
        var headers: HTTPFields = [.contentType: "application/json", .cacheControl: "no-store"]
        if let retryAfterSeconds { headers[.retryAfter] = String(retryAfterSeconds) }
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: APIJSON.encode(body))))
    }
}

/// JSON as the API writes it: sorted keys, so answers compare byte for byte.
public enum APIJSON {
    public static func encode(_ value: some Encodable) -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        // Encoding our own Codable values cannot fail; an empty object beats a crash if it did.
        return (try? encoder.encode(value)) ?? Data("{}".utf8)
    }

    public static func response(_ value: some Encodable, status: HTTPResponse.Status = .ok) -> Response {
        Response(
            status: status, headers: [.contentType: "application/json", .cacheControl: "no-store"],
            body: .init(byteBuffer: ByteBuffer(bytes: encode(value)))
        )
    }
}
