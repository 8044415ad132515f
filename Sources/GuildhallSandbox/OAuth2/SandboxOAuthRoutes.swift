import Foundation
import GuildhallCore
import GuildhallDiscordModels
import Hummingbird

/// OAuth2 as a dashboard uses it (FACTS.md §6): an authorize page to pick a sandbox user (or
/// `login_as=<user_id>` to skip it), the form-only token endpoint, and revocation.
struct SandboxOAuthRoutes: Sendable {
    let world: SandboxWorld
    let rest: SandboxREST

    func register(on router: Router<SandboxRequestContext>) {
        for path in ["/oauth2/authorize", "/api/oauth2/authorize", "/api/v10/oauth2/authorize"] {
            router.get(RouterPath(path)) { request, _ in authorize(SandboxHTTP.query(request)) }
        }
        rest.register(.oauthToken, access: .open, on: router, aliases: ["/api/oauth2/token"]) { call in
            try token(call)
        }
        for path in ["/api/v10/oauth2/token/revoke", "/api/oauth2/token/revoke"] {
            router.post(RouterPath(path)) { request, context in
                let form = Self.form(try await SandboxHTTP.body(request, context: context))
                if let token = form["token"] { try? world.mutate { state, _ in state.oauth.revoke(token: token) } }
                return SandboxHTTP.empty(status: .ok)
            }
        }
    }

    /// The authorize step: checks the client and redirect URI, then either shows the page or
    /// (with `login_as`) redirects back with a code.
    func authorize(_ query: [String: String]) -> Response {
        let (applicationID, people) = world.read { state in
            (state.application.id, state.oauthUserIDs.compactMap { state.users[$0] })
        }
        guard query["client_id"] == applicationID.description else {
            return SandboxHTTP.html(page(title: "Unknown application", body: "<p>client_id does not name the sandbox's application (\(applicationID)).</p>"), status: .badRequest)
        }
        guard let redirect = query["redirect_uri"], let redirectURL = URL(string: redirect), isRegistered(redirect) else {
            return SandboxHTTP.html(page(title: "Invalid redirect_uri", body: "<p>redirect_uri is missing or not registered.</p>"), status: .badRequest)
        }
        let scopes = (query["scope"] ?? "identify").split(separator: " ").map(String.init)
        if query["login_as"] == nil {
            let links = people.map { user in
                var items = query
                items["login_as"] = user.id.description
                return "<li><a href=\"/oauth2/authorize?\(Self.encode(items))\">Log in as \(Self.escape(user.globalName ?? user.username)) (\(user.id))</a></li>"
            }.joined(separator: "\n")
            var cancel = URLComponents(url: redirectURL, resolvingAgainstBaseURL: false)
            let cancelItems = (cancel?.queryItems ?? []) + [URLQueryItem(name: "error", value: "access_denied")]
                + (query["state"].map { [URLQueryItem(name: "state", value: $0)] } ?? [])
            cancel?.queryItems = cancelItems
            let body = """
            <p>This is the <strong>sandbox Discord</strong>: no real account is involved. Pick who you are.</p>
            <p>Scopes asked for: \(Self.escape(scopes.joined(separator: ", ")))</p>
            <ul>
            \(links)
            </ul>
            <p><a href="\(Self.escape(cancel?.url?.absoluteString ?? redirect))">Cancel</a></p>
            """
            return SandboxHTTP.html(page(title: "Authorize Guildhall Sandbox", body: body))
        }
        guard let userID = query["login_as"].flatMap({ Snowflake($0) }),
              world.read({ $0.users[userID].map { !$0.isBot } ?? false })
        else {
            return SandboxHTTP.html(page(title: "Unknown user", body: "<p>login_as does not name a sandbox user.</p>"), status: .badRequest)
        }
        let now = world.now
        let code = (try? world.mutate { state, _ in state.oauth.issueCode(for: userID, scopes: scopes, redirectURI: redirect, now: now) }) ?? ""
        var components = URLComponents(url: redirectURL, resolvingAgainstBaseURL: false)
        var items = components?.queryItems ?? []
        items.append(URLQueryItem(name: "code", value: code))
        if let state = query["state"] { items.append(URLQueryItem(name: "state", value: state)) }
        if scopes.contains("bot"), let guild = query["guild_id"] {
            items.append(URLQueryItem(name: "guild_id", value: guild))
            items.append(URLQueryItem(name: "permissions", value: query["permissions"] ?? "0"))
        }
        components?.queryItems = items
        return SandboxHTTP.redirect(to: components?.url?.absoluteString ?? redirect)
    }

    private func isRegistered(_ redirect: String) -> Bool {
        let registered = world.configuration.oauthRedirectURIs
        if registered.isEmpty { return redirect.hasPrefix("http://") || redirect.hasPrefix("https://") }
        return registered.contains(redirect)
    }

    /// The token endpoint: form-encoded only, client authentication by Basic header or form fields.
    func token(_ call: RESTCall) throws -> Response {
        let form = Self.form(call.body)
        guard call.contentType?.hasPrefix("application/x-www-form-urlencoded") ?? false else {
            return oauthError("invalid_request", "The token endpoint accepts application/x-www-form-urlencoded bodies only.")
        }
        let (applicationID, secret) = world.read { ($0.application.id.description, $0.application.clientSecret) }
        let clientID = form["client_id"] ?? call.basicCredentials?.0
        let clientSecret = form["client_secret"] ?? call.basicCredentials?.1
        guard clientID == applicationID, clientSecret == secret else {
            return oauthError("invalid_client", "Client authentication failed.", status: .unauthorized)
        }
        let now = call.now
        let issued: (String, String?, SandboxOAuthLedger.Grant)?
        switch form["grant_type"] {
        case "authorization_code":
            guard let code = form["code"] else { return oauthError("invalid_request", "Missing \"code\" in request.") }
            issued = try world.mutate { state, _ in
                state.oauth.exchange(code: code, redirectURI: form["redirect_uri"], now: now).map { ($0.0, Optional($0.1), $0.2) }
            }
        case "refresh_token":
            guard let refresh = form["refresh_token"] else { return oauthError("invalid_request", "Missing \"refresh_token\" in request.") }
            issued = try world.mutate { state, _ in
                state.oauth.refresh(token: refresh, now: now).map { ($0.0, Optional($0.1), $0.2) }
            }
        case "client_credentials":
            let scopes = (form["scope"] ?? "identify").split(separator: " ").map(String.init)
            issued = try world.mutate { state, _ in
                let code = state.oauth.issueCode(for: state.application.ownerID, scopes: scopes, redirectURI: "", now: now)
                return state.oauth.exchange(code: code, redirectURI: nil, now: now).map { ($0.0, nil, $0.2) }
            }
        default:
            return oauthError("unsupported_grant_type", "Unsupported grant type.")
        }
        guard let (access, refresh, grant) = issued else {
            return oauthError("invalid_grant", "Invalid \"\(form["grant_type"] == "refresh_token" ? "refresh_token" : "code")\" in request.")
        }
        var body: [String: JSONValue] = [
            "access_token": .string(access), "token_type": .string("Bearer"),
            "expires_in": .integer(Int64(SandboxOAuthLedger.accessTokenLifetime)),
            "scope": .string(grant.scopes.joined(separator: " ")),
        ]
        if let refresh { body["refresh_token"] = .string(refresh) }
        return SandboxHTTP.json(.object(body))
    }

    private func oauthError(_ error: String, _ description: String, status: HTTPResponse.Status = .badRequest) -> Response {
        SandboxHTTP.json(.object(["error": .string(error), "error_description": .string(description)]), status: status)
    }

    /// Parses an `application/x-www-form-urlencoded` body.
    static func form(_ bytes: [UInt8]) -> [String: String] {
        var result: [String: String] = [:]
        for pair in String(decoding: bytes, as: UTF8.self).split(separator: "&") {
            let parts = pair.split(separator: "=", maxSplits: 1).map {
                String($0).replacingOccurrences(of: "+", with: " ").removingPercentEncoding ?? String($0)
            }
            guard let key = parts.first, !key.isEmpty else { continue }
            result[key] = parts.count > 1 ? parts[1] : ""
        }
        return result
    }

    static func encode(_ items: [String: String]) -> String {
        var allowed = CharacterSet.urlQueryAllowed
        allowed.remove(charactersIn: "&=+?/:")
        return items.sorted { $0.key < $1.key }.map { key, value in
            "\(key.addingPercentEncoding(withAllowedCharacters: allowed) ?? key)=\(value.addingPercentEncoding(withAllowedCharacters: allowed) ?? value)"
        }.joined(separator: "&")
    }

    static func escape(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
    }

    private func page(title: String, body: String) -> String {
        """
        <!doctype html>
        <html><head><meta charset="utf-8"><title>\(Self.escape(title))</title></head>
        <body><h1>\(Self.escape(title))</h1>
        \(body)
        </body></html>
        """
    }
}

extension RESTCall {
    /// `Authorization: Basic base64(client_id:client_secret)`, when the call carried it.
    var basicCredentials: (String, String)? {
        guard let authorization, authorization.hasPrefix("Basic "),
              let data = Data(base64Encoded: String(authorization.dropFirst(6))),
              let text = String(data: data, encoding: .utf8), let colon = text.firstIndex(of: ":")
        else { return nil }
        let id = String(text[..<colon]), secret = String(text[text.index(after: colon)...])
        return (id.removingPercentEncoding ?? id, secret.removingPercentEncoding ?? secret)
    }
}
