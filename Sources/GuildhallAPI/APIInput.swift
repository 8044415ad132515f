import Foundation
import Hummingbird

/// A request that passed its route's checks: path and query parameters and the body are
/// known to match their schemas.
public struct APIInput<Context: RequestContext>: Sendable {
    public let request: Request
    public let context: Context
    public let pathParameters: [String: String]
    public let query: [String: APIJSONValue]
    /// The body's bytes, already checked against the route's schema (empty when none).
    public let body: Data

    /// A path parameter the route declares.
    public func path(_ name: String) -> String {
        pathParameters[name] ?? ""
    }

    public func queryInteger(_ name: String) -> Int? {
        if case .integer(let value) = query[name] { return Int(value) }
        return nil
    }

    public func queryBool(_ name: String) -> Bool? {
        if case .bool(let value) = query[name] { return value }
        return nil
    }

    /// The body as `T`; the schema check already refused anything `T` could not hold.
    public func decode<T: Decodable>(_ type: T.Type) throws -> T {
        do {
            return try JSONDecoder().decode(T.self, from: body.isEmpty ? Data("{}".utf8) : body)
        } catch {
            throw APIError.badRequest("the body does not fit its type: \(error)")
        }
    }
}
