import Foundation
import GuildhallCore
import GuildhallDiscordModels
import HTTPTypes
import Hummingbird

/// One REST request after the gate: its route, path parameters, query, body and caller.
struct RESTCall: Sendable {
    enum Caller: Sendable {
        case bot
        case bearer(token: String, grant: SandboxOAuthLedger.Grant)
        case anonymous
    }

    let route: SandboxRoute
    let parameters: [String: String]
    let query: [String: String]
    let body: [UInt8]
    let caller: Caller
    /// `X-Audit-Log-Reason`, URL-decoded.
    let reason: String?
    let now: Double
    var authorization: String?
    var contentType: String?

    /// A snowflake path parameter; 50035 for one that is not a snowflake, as Discord answers.
    func id(_ name: String) throws(SandboxAPIError) -> Snowflake {
        let text = parameters[name] ?? ""
        guard let id = Snowflake(text) else {
            throw .invalidFormBody([name], code: "NUMBER_TYPE_COERCE", message: "Value \"\(text)\" is not snowflake.")
        }
        return id
    }

    func text(_ name: String) -> String { parameters[name] ?? "" }
}

/// The REST API under `/api/v10`: authentication, faults, rate limits and error bodies around
/// every route's handler.
struct SandboxREST: Sendable {
    /// Who may call a route.
    enum Access: Sendable {
        case bot
        /// A bot token, or an OAuth2 access token carrying `scope`.
        case botOrBearer(scope: String)
        /// No authentication (interaction callbacks and webhooks use their token in the path).
        case open
    }

    typealias Handler = @Sendable (RESTCall) async throws -> Response

    let world: SandboxWorld
    let gate: SandboxRESTGate

    /// Registers `route` on `router` under `/api/v10` (and any extra `aliases`).
    func register(
        _ route: SandboxRoute, access: Access = .bot, on router: Router<SandboxRequestContext>, aliases: [String] = [],
        _ handler: @escaping Handler
    ) {
        let path = "/api/v10" + route.template.replacingOccurrences(of: "{", with: ":").replacingOccurrences(of: "}", with: "")
        for target in [path] + aliases {
            router.on(RouterPath(target), method: HTTPRequest.Method(route.method)!) { request, context in
                await handle(route, access: access, request: request, context: context, handler: handler)
            }
        }
    }

    func handle(
        _ route: SandboxRoute, access: Access, request: Request, context: SandboxRequestContext, handler: Handler
    ) async -> Response {
        let now = world.now
        let caller: RESTCall.Caller
        switch authenticate(request.headers[.authorization], access: access, now: now) {
        case .success(let found): caller = found
        case .failure(let error):
            gate.recordInvalid(now: now)
            return SandboxHTTP.error(error)
        }
        var parameters: [String: String] = [:]
        for (key, value) in context.parameters {
            parameters[String(key)] = String(value).removingPercentEncoding ?? String(value)
        }
        let major = route.majorParameter.flatMap { parameters[$0] }
        let token: String? = switch caller {
        case .bot: "bot"
        case .bearer(let token, _): token
        case .anonymous: nil
        }

        var headers: [(String, String)]
        switch gate.admit(route: route, major: major, token: token ?? "anonymous", now: now) {
        case .fault(let fault, let delay, let routeHeaders):
            await pause(delay)
            return faultResponse(fault, headers: routeHeaders, now: now)
        case .limited(let scope, let retryAfter, let routeHeaders):
            if scope != .shared { gate.recordInvalid(now: now) }
            return rateLimited(scope: scope, retryAfter: retryAfter, headers: routeHeaders)
        case .proceed(let delay, let routeHeaders):
            await pause(delay)
            headers = routeHeaders
        }

        do {
            let body = try await SandboxHTTP.body(request, context: context)
            let reason = request.headers[HTTPField.Name("X-Audit-Log-Reason")!].map { $0.removingPercentEncoding ?? $0 }
            let call = RESTCall(
                route: route, parameters: parameters, query: SandboxHTTP.query(request), body: body, caller: caller,
                reason: reason, now: now, authorization: request.headers[.authorization],
                contentType: request.headers[.contentType]
            )
            var response = try await handler(call)
            for (name, value) in headers {
                if let field = HTTPField.Name(name) { response.headers.append(HTTPField(name: field, value: value)) }
            }
            return response
        } catch let error as SandboxAPIError {
            if error.status == 401 || error.status == 403 { gate.recordInvalid(now: now) }
            return SandboxHTTP.error(error, headers: headers)
        } catch {
            world.configuration.logger.error("sandbox REST handler failed", metadata: ["route": "\(route.rawValue)", "error": "\(error)"])
            return SandboxHTTP.error(SandboxAPIError(status: 500, code: 0, message: "500: Internal Server Error"), headers: headers)
        }
    }

    private func authenticate(_ header: String?, access: Access, now: Double) -> Result<RESTCall.Caller, SandboxAPIError> {
        if case .open = access { return .success(.anonymous) }
        guard let header else { return .failure(.unauthorized) }
        if header.hasPrefix("Bot ") {
            let token = header.dropFirst(4)
            return token == world.read({ $0.application.token }) ? .success(.bot) : .failure(.unauthorized)
        }
        if header.hasPrefix("Bearer "), case .botOrBearer(let scope) = access {
            let token = String(header.dropFirst(7))
            guard let grant = world.read({ $0.oauth.grant(forAccessToken: token, now: now) }) else { return .failure(.unauthorized) }
            guard grant.scopes.contains(scope) else { return .failure(.unauthorized) }
            return .success(.bearer(token: token, grant: grant))
        }
        return .failure(.unauthorized)
    }

    private func pause(_ milliseconds: Int) async {
        guard milliseconds > 0 else { return }
        try? await Task.sleep(for: .milliseconds(milliseconds))
    }

    private func rateLimited(scope: RateLimitDecision.Scope, retryAfter: Double, headers: [(String, String)]) -> Response {
        var headers = headers.filter { $0.0 != "X-RateLimit-Scope" && $0.0 != "X-RateLimit-Global" }
        headers.append(("Retry-After", String(Int(retryAfter.rounded(.up)))))
        headers.append(("X-RateLimit-Scope", scope.rawValue))
        if scope == .global { headers.append(("X-RateLimit-Global", "true")) }
        let message = scope == .shared ? "The resource is being rate limited." : "You are being rate limited."
        return SandboxHTTP.encoded(
            // Discord's description requires `code` in every error body; 0 is the general code.
            DiscordRateLimitBody(message: message, retryAfter: retryAfter, global: scope == .global, code: .generalError),
            status: .tooManyRequests, headers: headers
        )
    }

    private func faultResponse(_ fault: SandboxRESTFault, headers: [(String, String)], now: Double) -> Response {
        switch fault.kind {
        case .rateLimit:
            let scope = RateLimitDecision.Scope(rawValue: fault.scope) ?? .shared
            if scope != .shared { gate.recordInvalid(now: now) }
            let routeHeaders = headers.map { $0.0 == "X-RateLimit-Remaining" ? ($0.0, "0") : $0 }
            return rateLimited(scope: scope, retryAfter: fault.retryAfter, headers: scope == .global ? [] : routeHeaders)
        case .serverError, .slow:
            let status = HTTPResponse.Status(code: fault.status)
            if fault.status == 500 {
                return SandboxHTTP.error(SandboxAPIError(status: 500, code: 0, message: "500: Internal Server Error"))
            }
            let text = "<html><head><title>\(fault.status) \(status.reasonPhrase)</title></head><body><center><h1>\(fault.status) \(status.reasonPhrase)</h1></center><hr><center>cloudflare</center></body></html>"
            return SandboxHTTP.bytes(Array(text.utf8), status: status, headers: [], contentType: "text/html")
        }
    }
}
