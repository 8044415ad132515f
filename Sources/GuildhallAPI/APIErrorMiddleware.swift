import GuildhallCore
import Hummingbird
import Logging
import Metrics

/// Turns whatever a route throws into the API's one error shape, with the request id.
/// Hummingbird's own errors (no route, a body over the size limit) take the shape too.
/// Unexpected errors are logged with the request id and answered with a 500 that says
/// nothing about them.
public struct APIErrorMiddleware<Context: RequestContext>: RouterMiddleware {
    public init() {}

    public func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch {
            let apiError = Self.translate(error)
            if apiError.status.code >= 500 {
                context.logger.error("API request failed", metadata: [
                    "path": "\(request.uri.path)", "method": "\(request.method)", "error": "\(error)", "code": "\(apiError.code)",
                ])
            } else {
                context.logger.info("API request refused", metadata: [
                    "path": "\(request.uri.path)", "status": "\(apiError.status.code)", "code": "\(apiError.code)",
                ])
            }
            Counter(label: "guildhall_api_errors_total", dimensions: [("code", apiError.code)]).increment()
            return apiError.response(requestID: Self.requestID(context.logger))
        }
    }

    static func translate(_ error: any Error) -> APIError {
        guard let http = error as? HTTPError else { return .from(error) }
        switch http.status {
        case .notFound: return .notFound("no such route")
        case .methodNotAllowed: return APIError(.methodNotAllowed, code: "method_not_allowed", "this route does not take that method")
        case .contentTooLarge: return APIError(.contentTooLarge, code: "payload_too_large", "the request body is too large")
        case .badRequest: return .badRequest(http.body ?? "the request could not be read")
        default:
            guard http.status.code < 500 else { return .internalError() }
            let message = http.body ?? (http.status.reasonPhrase.isEmpty ? "the request was refused (HTTP \(http.status.code))" : http.status.reasonPhrase)
            return APIError(http.status, code: "http_\(http.status.code)", message)
        }
    }

    static func requestID(_ logger: Logger) -> String? {
        if case .string(let id) = logger[metadataKey: LogKey.requestID] { return id }
        return nil
    }
}
