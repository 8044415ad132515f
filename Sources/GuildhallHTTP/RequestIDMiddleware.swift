import Foundation
import GuildhallCore
import HTTPTypes
import Hummingbird

/// Gives every request an id (the caller's `X-Request-Id` when it is sane, else a new
/// one), puts it in the request's log metadata and echoes it in the response.
public struct RequestIDMiddleware<Context: RequestContext>: RouterMiddleware {
    public static var headerName: HTTPField.Name { HTTPField.Name("X-Request-Id")! }

    public init() {}

    public func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var context = context
        let id = Self.acceptable(request.headers[Self.headerName]) ?? UUID().uuidString.lowercased()
        context.logger[metadataKey: LogKey.requestID] = .string(id)
        do {
            var response = try await next(request, context)
            response.headers[Self.headerName] = id
            return response
        } catch let error as HTTPResponseError {
            var response = try error.response(from: request, context: context)
            response.headers[Self.headerName] = id
            return response
        }
    }

    /// Accepts 8–64 characters of letters, digits and `-`/`_`, so ids cannot inject into logs.
    static func acceptable(_ value: String?) -> String? {
        guard let value, (8...64).contains(value.count),
              value.unicodeScalars.allSatisfy({ CharacterSet.alphanumerics.contains($0) && $0.isASCII || $0 == "-" || $0 == "_" }) else { return nil }
        return value
    }
}
