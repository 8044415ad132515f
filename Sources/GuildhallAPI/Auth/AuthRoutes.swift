import Foundation
import GuildhallCore
import GuildhallDiscordREST
import HTTPTypes
import Hummingbird

/// Login with Discord OAuth2 (the real one or the sandbox's), logout, and who is logged in.
public enum AuthRoutes {
    static let stateCookie = "guildhall_oauth_state"

    static let login = APIRoute(
        .get, "/auth/login", operationID: "login", summary: "Start a Discord login; `next` is the page to return to.",
        tag: "auth", access: .anyone, query: ["next": .string(minLength: 1, maxLength: 512)],
        answers: [302: .init("To Discord's (or the sandbox's) authorize page.")]
    )

    static let callback = APIRoute(
        .get, "/auth/callback", operationID: "loginCallback", summary: "Discord sends the browser back here with a code.",
        tag: "auth", access: .anyone,
        query: [
            "code": .string(minLength: 1, maxLength: 512), "state": .string(minLength: 1, maxLength: 1_024),
            "error": .string(maxLength: 256), "error_description": .string(maxLength: 1_024),
        ],
        answers: [
            302: .init("Logged in: the session cookie is set and the browser goes to `next`."),
            403: .init("Discord refused, or the login did not start here (its state does not match).", schema: OpenAPIDocument.errorSchema),
        ]
    )

    static let logout = APIRoute(
        .post, "/auth/logout", operationID: "logout", summary: "End the session (needs the CSRF token).",
        tag: "auth", access: .session, answers: [204: .init("Logged out; the cookie is cleared.")]
    )

    static let me = APIRoute(
        .get, "/api/v1/me", operationID: "getMe", summary: "Who is logged in, and the CSRF token writes must send.",
        tag: "auth", access: .session,
        answers: [200: .init("The session's user.", schema: .object([
            "user": .object(["id": .snowflake, "username": .string()], required: ["id", "username"]),
            "csrf_token": .string(minLength: 1),
        ], required: ["user", "csrf_token"]))]
    )

    public static func register<Context: RequestContext>(on api: APIRouter<Context>, sessions: SessionAuthenticator, discord: DiscordRESTClient) {
        api.add(login) { input in
            let next = safeNext(input.query["next"].flatMap { if case .string(let text) = $0 { text } else { nil } })
            let state = SessionStore.randomToken() + "." + Data(next.utf8).base64EncodedString().replacingOccurrences(of: "=", with: "")
                .replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            var components = URLComponents(string: sessions.settings.authorizeURL)
            components?.queryItems = [
                URLQueryItem(name: "client_id", value: sessions.settings.clientID),
                URLQueryItem(name: "redirect_uri", value: redirectURI(sessions, input.request)),
                URLQueryItem(name: "response_type", value: "code"),
                URLQueryItem(name: "scope", value: "identify guilds"),
                URLQueryItem(name: "state", value: state),
            ]
            var response = Response(status: .found, headers: [.location: components?.url?.absoluteString ?? sessions.settings.authorizeURL])
            response.setCookie(Cookie(
                name: stateCookie, value: state, maxAge: 600, path: "/auth", secure: sessions.cookiesAreSecure(for: input.request),
                httpOnly: true, sameSite: .lax
            ))
            return response
        }
        api.add(callback) { input in
            func text(_ name: String) -> String? { if case .string(let value) = input.query[name] { value } else { nil } }
            if let error = text("error") {
                throw APIError(.forbidden, code: "login_refused", "Discord did not log you in: \(error)")
            }
            guard let state = text("state"), let code = text("code"),
                  let expected = input.request.cookies[stateCookie]?.value, expected == state else {
                throw APIError(.forbidden, code: "oauth_state_mismatch", "the login did not start here (or took too long); start again at /auth/login")
            }
            let user: (id: Snowflake, name: String, guilds: [Snowflake])
            do {
                let token = try await discord.exchangeOAuth2Code(
                    clientID: sessions.settings.clientID, clientSecret: sessions.settings.clientSecret, code: code,
                    redirectURI: redirectURI(sessions, input.request)
                )
                let profile = try await discord.getCurrentUser(accessToken: token.accessToken)
                let guilds = try await discord.getCurrentUserGuilds(accessToken: token.accessToken)
                user = (profile.id, profile.globalName ?? profile.username, guilds.map(\.id))
            } catch let error as DiscordRESTError where (error.status ?? 0) >= 400 && (error.status ?? 0) < 500 {
                throw APIError(.forbidden, code: "login_refused", "Discord refused the login code; start again at /auth/login")
            } catch {
                throw APIError.unavailable("Discord could not be reached to finish the login")
            }
            let session = Session(
                id: SessionStore.randomToken(), userID: user.id, username: user.name, csrfToken: SessionStore.randomToken(), guildIDs: user.guilds
            )
            try await sessions.store.save(session)
            let now = sessions.tokens.clock()
            let lifetime = Double(sessions.settings.lifetime.components.seconds)
            let jwt = try await sessions.tokens.sign(SessionClaims(
                sub: .init(value: user.id.description), sid: session.id, csrf: session.csrfToken, name: user.name,
                iat: .init(value: now), exp: .init(value: now.addingTimeInterval(lifetime))
            ))
            let secure = sessions.cookiesAreSecure(for: input.request)
            var response = Response(status: .found, headers: [.location: nextPage(fromState: state)])
            response.setCookie(Cookie(name: SessionAuthenticator.cookieName, value: jwt, maxAge: Int(lifetime), path: "/", secure: secure, httpOnly: true, sameSite: .lax))
            response.setCookie(Cookie(name: stateCookie, value: "", maxAge: 0, path: "/auth", secure: secure, httpOnly: true, sameSite: .lax))
            input.context.logger.info("dashboard login", metadata: ["user_id": "\(user.id)"])
            return response
        }
        api.add(logout) { input in
            let session = try input.requireSession()
            try await sessions.store.delete(id: session.id)
            var response = Response(status: .noContent)
            response.setCookie(Cookie(
                name: SessionAuthenticator.cookieName, value: "", maxAge: 0, path: "/", secure: sessions.cookiesAreSecure(for: input.request),
                httpOnly: true, sameSite: .lax
            ))
            return response
        }
        api.add(me) { input in
            let session = try input.requireSession()
            return APIJSON.response(Me(user: .init(id: session.userID.description, username: session.username), csrfToken: session.csrfToken))
        }
    }

    struct Me: Encodable {
        struct User: Encodable { var id: String, username: String }
        var user: User
        var csrfToken: String
        enum CodingKeys: String, CodingKey { case user, csrfToken = "csrf_token" }
    }

    static func redirectURI(_ sessions: SessionAuthenticator, _ request: Request) -> String {
        sessions.origin(of: request) + "/auth/callback"
    }

    /// Only paths on this site: `/x`, never `//evil.example` or `https://…`.
    static func safeNext(_ next: String?) -> String {
        guard let next, next.hasPrefix("/"), !next.hasPrefix("//"), !next.contains("\\"), !next.contains("\r"), !next.contains("\n") else { return "/" }
        return next
    }

    static func nextPage(fromState state: String) -> String {
        guard let encoded = state.split(separator: ".", maxSplits: 1).last, state.contains(".") else { return "/" }
        var base64 = encoded.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        while base64.count % 4 != 0 { base64 += "=" }
        return safeNext(Data(base64Encoded: base64).map { String(decoding: $0, as: UTF8.self) })
    }
}
