import Foundation
import GuildhallCore
import HTTPTypes

/// Every failure of the API, in one shape:
/// `{"error": {"code", "message", "details", "request_id"}}`. `code` is stable for
/// programs; `message` is for people; `details` names the fields at fault.
public struct APIError: Error, Sendable, Equatable, CustomStringConvertible {
    /// One problem with one part of the request (a body field, a query parameter).
    public struct Detail: Sendable, Equatable, Codable {
        /// Where: `body.name`, `query.limit`, `path.job_id`, or `body` for the whole body.
        public var field: String
        public var problem: String

        public init(field: String, problem: String) {
            self.field = field
            self.problem = problem
        }
    }

    public var status: HTTPResponse.Status
    public var code: String
    public var message: String
    public var details: [Detail]
    /// Seconds to wait, sent as `Retry-After` (429 and 503).
    public var retryAfterSeconds: Int?

    public init(_ status: HTTPResponse.Status, code: String, _ message: String, details: [Detail] = [], retryAfterSeconds: Int? = nil) {
        self.status = status
        self.code = code
        self.message = message
        self.details = details
        self.retryAfterSeconds = retryAfterSeconds
    }

    public var description: String { "\(status.code) \(code): \(message)" }

    public static func badRequest(_ message: String, details: [Detail] = []) -> APIError {
        APIError(.badRequest, code: "bad_request", message, details: details)
    }

    public static func unauthorized(_ message: String) -> APIError {
        APIError(.unauthorized, code: "unauthorized", message)
    }

    public static func forbidden(_ message: String) -> APIError {
        APIError(.forbidden, code: "forbidden", message)
    }

    public static func notFound(_ message: String) -> APIError {
        APIError(.notFound, code: "not_found", message)
    }

    public static func conflict(_ message: String) -> APIError {
        APIError(.conflict, code: "conflict", message)
    }

    public static func payloadTooLarge(limit: Int) -> APIError {
        APIError(.contentTooLarge, code: "payload_too_large", "the request body is larger than \(limit) bytes")
    }

    public static func invalid(_ details: [Detail]) -> APIError {
        let fields = details.map(\.field).joined(separator: ", ")
        return APIError(.unprocessableContent, code: "validation_failed", "the request does not match its schema: \(fields)", details: details)
    }

    public static func rateLimited(retryAfterSeconds: Int, scope: String) -> APIError {
        APIError(.tooManyRequests, code: "rate_limited", "too many requests from this \(scope); try again in \(retryAfterSeconds) s", retryAfterSeconds: retryAfterSeconds)
    }

    public static func internalError() -> APIError {
        APIError(.internalServerError, code: "internal_error", "something went wrong on our side; the request id helps us find it")
    }

    public static func unavailable(_ message: String, retryAfterSeconds: Int = 5) -> APIError {
        APIError(.serviceUnavailable, code: "unavailable", message, retryAfterSeconds: retryAfterSeconds)
    }

    /// The API's reading of a platform error: its code decides the status; an unexpected
    /// error is a 500 whose message reveals nothing.
    public static func from(_ error: any Error) -> APIError {
        if let error = error as? APIError { return error }
        guard let error = error as? GuildhallError else { return .internalError() }
        switch error.code {
        case .invalidInput, .invalidKey: return APIError(.unprocessableContent, code: "validation_failed", error.message)
        case .notFound: return .notFound(error.message)
        case .conflict: return .conflict(error.message)
        case .forbidden: return .forbidden(error.message)
        case .unavailable: return .unavailable(error.message)
        default: return .internalError()
        }
    }
}
