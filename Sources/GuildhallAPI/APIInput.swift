import Foundation
import GuildhallCore
import GuildhallGuildSettings
import Hummingbird
import GuildhallDiscordModels

public typealias GuildAccessLevel = GuildAccess

/// A request that passed its route's checks: path and query parameters and the body are
/// known to match their schemas.
public struct APIInput<Context: RequestContext>: Sendable {
    public let request: Request
    public let context: Context
    public let pathParameters: [String: String]
    public let query: [String: JSONValue]
    /// The body's bytes, already checked against the route's schema (empty when none).
    public let body: Data
    /// The logged-in user, for session and guild routes.
    public var session: Session? = nil
    /// The user's access to the path's guild, for guild routes.
    public var guildAccess: GuildAccessLevel? = nil

    /// The session a session route was given (its absence is a 401).
    public func requireSession() throws -> Session {
        guard let session else { throw APIError(.unauthorized, code: "login_required", "log in first (GET /auth/login)") }
        return session
    }

    /// The path's guild id (guild routes declare `guild_id` as a snowflake).
    public var guildID: Snowflake { Snowflake(path("guild_id")) ?? Snowflake(0) }

    /// The request id, for audit entries.
    public var requestID: String? { APIErrorMiddleware<Context>.requestID(context.logger) }

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
