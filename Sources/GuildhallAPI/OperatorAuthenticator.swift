import Crypto
import Foundation
import GuildhallCore
import Hummingbird

/// Checks operator requests: `Authorization: Bearer <token>` against the deployment's
/// `OPERATOR_TOKEN` (for scripts), or a dashboard session of a user listed in
/// `OPERATOR_USER_IDS` (for the operator pages; writes then need the CSRF token too).
/// With neither configured the operator API is off (403), so a deployment never exposes
/// it by accident.
public struct OperatorAuthenticator: Sendable {
    private let digest: SHA256.Digest?
    let userIDs: Set<Snowflake>

    /// - Parameters:
    ///   - token: the configured token, or nil for none.
    ///   - userIDs: the Discord users who are operators.
    public init(token: String?, userIDs: [Snowflake] = []) {
        digest = token.map { SHA256.hash(data: Data($0.utf8)) }
        self.userIDs = Set(userIDs)
    }

    /// Whether `session`'s user is an operator.
    public func isOperator(_ session: Session?) -> Bool {
        session.map { userIDs.contains($0.userID) } ?? false
    }

    /// A session route's operator check: bearer requests use the token, browsers their session.
    func authenticate(_ request: Request, sessions: SessionAuthenticator?) async throws -> Session? {
        if request.headers[.authorization] != nil || sessions == nil || request.cookies[SessionAuthenticator.cookieName] == nil {
            try authenticate(request)
            return nil
        }
        guard let sessions else { return nil }
        let session = try await sessions.session(for: request)
        guard isOperator(session) else {
            throw APIError(.forbidden, code: "not_an_operator", "this page is for the deployment's operators (OPERATOR_USER_IDS)")
        }
        return session
    }

    public func authenticate(_ request: Request) throws {
        guard let digest else {
            if !userIDs.isEmpty { throw APIError(.unauthorized, code: "login_required", "log in as an operator first (GET /auth/login)") }
            throw APIError(.forbidden, code: "operator_api_disabled", "the operator API is off: set OPERATOR_TOKEN or OPERATOR_USER_IDS to turn it on")
        }
        guard let header = request.headers[.authorization], header.hasPrefix("Bearer ") else {
            throw APIError.unauthorized("operator routes need Authorization: Bearer <OPERATOR_TOKEN>")
        }
        // Digests compared in constant time, so the comparison leaks neither the token nor its length.
        let offered = SHA256.hash(data: Data(header.dropFirst("Bearer ".count).utf8))
        guard offered == digest else { throw APIError.unauthorized("the operator token is wrong") }
    }
}
