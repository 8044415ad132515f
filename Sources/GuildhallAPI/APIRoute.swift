import HTTPTypes

/// One route of the API as the OpenAPI document describes it, and as requests are checked
/// against it: who may call it, its path and query parameters, its body and its answers.
public struct APIRoute: Sendable {
    /// Who may call a route.
    public enum Access: Sendable, Equatable {
        /// Anyone (the OpenAPI document itself).
        case anyone
        /// Operators of this Guildhall deployment: `Authorization: Bearer <OPERATOR_TOKEN>`.
        case `operator`
        /// A logged-in dashboard user (session cookie; writes need Origin and CSRF).
        case session
        /// A logged-in user with at least `requirement` in the path's `guild_id`.
        case guild(GuildRequirement)
    }

    /// What a guild route asks of the user.
    public enum GuildRequirement: String, Sendable, Equatable {
        /// Owner, managers and every grant, viewers included.
        case view
        /// Owner, managers, admin and editor grants.
        case edit
        /// The guild's owner only.
        case owner
    }

    /// A documented answer: its description and, when it has a body, its schema.
    public struct Answer: Sendable {
        public var description: String
        public var schema: APISchema?

        public init(_ description: String, schema: APISchema? = nil) {
            self.description = description
            self.schema = schema
        }
    }

    public var method: HTTPRequest.Method
    /// With `{name}` placeholders, e.g. `/api/v1/operator/jobs/dead/{job_id}`.
    public var path: String
    public var operationID: String
    public var summary: String
    public var tag: String
    public var access: Access
    public var pathParameters: [String: APISchema]
    public var query: [String: APISchema]
    /// `nil`: the route takes no body, and a request with one is refused.
    public var body: APISchema?
    /// The success answers by status; the error answers are added for every route.
    public var answers: [Int: Answer]
    /// Failures this route can answer beyond every route's (409 where a write can meet a
    /// state that refuses it), so the document lists them too.
    public var additionalErrors: Set<Int>

    public init(
        _ method: HTTPRequest.Method, _ path: String, operationID: String, summary: String, tag: String, access: Access,
        pathParameters: [String: APISchema] = [:], query: [String: APISchema] = [:], body: APISchema? = nil,
        answers: [Int: Answer], additionalErrors: Set<Int> = []
    ) {
        self.additionalErrors = additionalErrors
        self.method = method
        self.path = path
        self.operationID = operationID
        self.summary = summary
        self.tag = tag
        self.access = access
        self.pathParameters = pathParameters
        self.query = query
        self.body = body
        self.answers = answers
    }

    /// The names between braces in `path`, in order.
    public var placeholders: [String] {
        path.split(separator: "/").compactMap { segment in
            segment.hasPrefix("{") && segment.hasSuffix("}") ? String(segment.dropFirst().dropLast()) : nil
        }
    }

    /// `path` as Hummingbird spells it (`:name` for `{name}`).
    var routerPath: String {
        path.split(separator: "/", omittingEmptySubsequences: false).map { segment in
            segment.hasPrefix("{") && segment.hasSuffix("}") ? ":" + segment.dropFirst().dropLast() : String(segment)
        }.joined(separator: "/")
    }

    /// The error answers a route can give, beside its own.
    public var errorStatuses: [Int] {
        var statuses = [400, 404, 422, 429, 500, 503]
        if access != .anyone { statuses += [401, 403] }
        if body != nil { statuses.append(413) }
        return Set(statuses).union(additionalErrors).sorted()
    }
}
