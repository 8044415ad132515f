import Foundation
import GuildhallCore
import Hummingbird
import Synchronization
import GuildhallDiscordModels

/// Registers API routes on a Hummingbird router and remembers them for the OpenAPI
/// document: a route cannot be served without being described. Each request is checked
/// against its route before the handler runs: access, path and query parameters (unknown
/// ones refused), and the body (size, JSON, schema, unknown fields refused).
public final class APIRouter<Context: RequestContext> {
    public typealias Handler = @Sendable (APIInput<Context>) async throws -> Response

    public let operators: OperatorAuthenticator
    /// Dashboard sessions; nil where logins are not configured (session routes answer 503).
    public let sessions: SessionAuthenticator?
    /// Access to guilds; nil where no bot token is configured (guild routes answer 503).
    public let guilds: GuildAccessResolver?
    /// Per-user and per-guild rate limits (nil: none beyond the per-address one).
    public let limits: APIRouterLimits?
    /// Bodies larger than this are refused with 413 before they are read further.
    public let maximumBodyBytes: Int
    /// Every route added, shared with the document's handler.
    public let table = APIRouteTable()
    private let router: Router<Context>

    public init(
        router: Router<Context>, operators: OperatorAuthenticator, sessions: SessionAuthenticator? = nil, guilds: GuildAccessResolver? = nil,
        limits: APIRouterLimits? = nil, maximumBodyBytes: Int = 64 * 1024
    ) {
        self.limits = limits
        self.router = router
        self.operators = operators
        self.sessions = sessions
        self.guilds = guilds
        self.maximumBodyBytes = maximumBodyBytes
        let table = table
        add(OpenAPIDocument.route) { _ in APIJSON.response(OpenAPIDocument.build(table.all)) }
    }

    /// Every route added so far, the document's own included.
    public var all: [APIRoute] { table.all }

    /// The OpenAPI 3.1 document of every route.
    public var document: JSONValue { OpenAPIDocument.build(all) }

    public func add(_ route: APIRoute, handler: @escaping Handler) {
        precondition(Set(route.placeholders) == Set(route.pathParameters.keys), "\(route.path): declare a schema for every path parameter")
        table.append(route)
        let operators = operators
        let sessions = sessions
        let guilds = guilds
        let limits = limits
        let limit = maximumBodyBytes
        router.on(RouterPath(route.routerPath), method: route.method) { request, context -> Response in
            var session: Session?
            switch route.access {
            case .anyone: break
            case .operator: session = try await operators.authenticate(request, sessions: sessions)
            case .session, .guild:
                guard let sessions else { throw APIError.unavailable("dashboard logins are not configured on this server") }
                session = try await sessions.session(for: request)
                if let session { try await limits?.user(session.userID) }
            }
            // Guild access comes before the body and query checks, so someone without access
            // to a guild learns nothing about its routes beyond the 403. (A guild id that is
            // not a snowflake falls through to the path check's 422.)
            var access: GuildAccessLevel?
            if case .guild(let requirement) = route.access, let session, let guild = context.parameters.get("guild_id").flatMap({ Snowflake($0) }) {
                guard let guilds else { throw APIError.unavailable("guild access cannot be checked: no bot token is configured") }
                try await limits?.guild(guild)
                let level = try await guilds.access(user: session.userID, guild: guild)
                guard level.satisfies(requirement) else {
                    throw APIError.forbidden(level == .none ? "you may not manage this guild" : "your access to this guild does not allow this")
                }
                access = level
            }
            var input = try await Self.check(request, context: context, against: route, bodyLimit: limit)
            input.session = session
            input.guildAccess = access
            return try await handler(input)
        }
    }

    static func check(_ request: Request, context: Context, against route: APIRoute, bodyLimit: Int) async throws -> APIInput<Context> {
        var problems: [APIError.Detail] = []
        var pathValues: [String: String] = [:]
        for (name, schema) in route.pathParameters {
            let text = context.parameters.get(name) ?? ""
            pathValues[name] = text
            // Read as the schema's type, like a query value: `{giveaway_id}` is an integer.
            problems += schema.problems(Self.queryValue(text, as: schema), at: "path.\(name)")
        }
        var query: [String: JSONValue] = [:]
        for (name, text) in request.uri.queryParameters {
            let key = String(name)
            guard let schema = route.query[key] else {
                problems.append(.init(field: "query.\(key)", problem: "is not a known parameter"))
                continue
            }
            let value = Self.queryValue(String(text), as: schema)
            query[key] = value
            problems += schema.problems(value, at: "query.\(key)")
        }
        var request = request
        let bytes: ByteBuffer
        do {
            bytes = try await request.collectBody(upTo: bodyLimit)
        } catch {
            throw APIError.payloadTooLarge(limit: bodyLimit)
        }
        let body = Data(bytes.readableBytesView)
        if let schema = route.body {
            let text = body.isEmpty ? Data("{}".utf8) : body
            guard let value = try? JSONDecoder().decode(JSONValue.self, from: text) else {
                throw APIError.badRequest("the body is not JSON", details: [.init(field: "body", problem: "is not JSON")])
            }
            problems += schema.problems(value, at: "body")
        } else if !body.isEmpty {
            problems.append(.init(field: "body", problem: "this route takes no body"))
        }
        guard problems.isEmpty else { throw APIError.invalid(problems) }
        return APIInput(request: request, context: context, pathParameters: pathValues, query: query, body: body)
    }

    /// A query or path value's text read as its schema's type (a wrong one fails the schema check).
    static func queryValue(_ text: String, as schema: APISchema) -> JSONValue {
        switch schema {
        case .integer, .timestamp: return Int64(text).map(JSONValue.integer) ?? .string(text)
        case .boolean: return text == "true" ? .bool(true) : text == "false" ? .bool(false) : .string(text)
        case .nullable(let inner): return queryValue(text, as: inner)
        default: return .string(text)
        }
    }
}

/// The routes of one API, in the order they were added.
public final class APIRouteTable: Sendable {
    private let routes = Mutex<[APIRoute]>([])

    public init() {}

    public var all: [APIRoute] { routes.withLock { $0 } }

    func append(_ route: APIRoute) {
        routes.withLock { $0.append(route) }
    }
}
