import Foundation
import GuildhallCore
import HTTPTypes
import Hummingbird

/// Finds the session of a request: a signed, unexpired cookie whose server-side record still
/// exists. State-changing requests must also come from our own origin and echo the
/// session's CSRF token.
public struct SessionAuthenticator: Sendable {
    static let cookieName = "guildhall_session"
    static let csrfHeader = HTTPField.Name("X-CSRF-Token")!

    let tokens: SessionTokens
    let store: SessionStore
    let settings: SessionSettings

    public init(tokens: SessionTokens, store: SessionStore, settings: SessionSettings) {
        self.tokens = tokens
        self.store = store
        self.settings = settings
    }

    public func session(for request: Request) async throws -> Session {
        guard let token = request.cookies[Self.cookieName]?.value, !token.isEmpty else {
            throw APIError(.unauthorized, code: "login_required", "log in first (GET /auth/login)")
        }
        let claims = try await tokens.verify(token)
        guard let session = try await store.load(id: claims.sid), session.userID.description == claims.sub.value else {
            throw APIError(.unauthorized, code: "session_ended", "this session has ended; log in again")
        }
        if Self.changesState(request.method) { try checkWrite(request, csrfToken: session.csrfToken) }
        return session
    }

    static func changesState(_ method: HTTPRequest.Method) -> Bool {
        ![.get, .head, .options].contains(method)
    }

    /// Origin (or, without it, Referer) must be our own origin, and the CSRF header must
    /// match the session's token.
    func checkWrite(_ request: Request, csrfToken: String) throws {
        let expected = origin(of: request)
        if let origin = request.headers[.origin] {
            guard origin == expected else {
                throw APIError(.forbidden, code: "origin_mismatch", "writes must come from \(expected), not \(origin)")
            }
        } else {
            guard let referer = request.headers[.referer], referer == expected || referer.hasPrefix(expected + "/") else {
                throw APIError(.forbidden, code: "origin_missing", "writes need an Origin (or Referer) header from \(expected)")
            }
        }
        guard request.headers[Self.csrfHeader] == csrfToken else {
            throw APIError(.forbidden, code: "csrf_failed", "the X-CSRF-Token header is missing or wrong (GET /api/v1/me gives it)")
        }
    }

    /// The dashboard's origin: `PUBLIC_URL`, or `http://` plus the Host header.
    func origin(of request: Request) -> String {
        if var url = settings.publicURL {
            while url.hasSuffix("/") { url.removeLast() }
            return url
        }
        return "http://" + (request.head.authority ?? "127.0.0.1")
    }

    /// Cookies are Secure unless the dashboard is served over plain HTTP on loopback.
    func cookiesAreSecure(for request: Request) -> Bool {
        let origin = origin(of: request)
        if origin.hasPrefix("https://") { return true }
        let host = origin.dropFirst("http://".count).split(separator: "/").first.map(String.init) ?? ""
        let name = host.hasPrefix("[") ? String(host.prefix { $0 != "]" }.dropFirst()) : String(host.split(separator: ":").first ?? "")
        return !["127.0.0.1", "localhost", "::1"].contains(name)
    }
}
