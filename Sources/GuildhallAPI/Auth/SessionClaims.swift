import Foundation
import JWTKit

/// What a session cookie carries, signed: who, which server-side session, the CSRF token
/// for writes, and when it expires.
struct SessionClaims: JWTPayload, Equatable {
    var sub: SubjectClaim
    var sid: String
    var csrf: String
    var name: String
    var iat: IssuedAtClaim
    var exp: ExpirationClaim

    func verify(using algorithm: some JWTAlgorithm) async throws {
        // Expiry is checked against the signer's clock in `SessionTokens.verify`.
    }
}

/// Signs and checks session tokens (HS256 with `SESSION_SECRET`); the clock is injected so
/// tests can make a token expire.
public struct SessionTokens: Sendable {
    private let keys: JWTKeyCollection
    let clock: @Sendable () -> Date

    public init(secret: String, clock: @escaping @Sendable () -> Date = { Date() }) async {
        keys = JWTKeyCollection()
        await keys.add(hmac: HMACKey(from: secret), digestAlgorithm: .sha256)
        self.clock = clock
    }

    func sign(_ claims: SessionClaims) async throws -> String {
        try await keys.sign(claims)
    }

    /// The claims of a token signed with our secret and not expired; anything else is a 401.
    func verify(_ token: String) async throws -> SessionClaims {
        let claims: SessionClaims
        do {
            claims = try await keys.verify(token, as: SessionClaims.self)
        } catch {
            throw APIError(.unauthorized, code: "session_invalid", "the session is not valid; log in again")
        }
        guard clock() < claims.exp.value else {
            throw APIError(.unauthorized, code: "session_expired", "the session has expired; log in again")
        }
        return claims
    }
}
