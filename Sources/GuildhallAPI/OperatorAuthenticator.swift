import Crypto
import Foundation
import Hummingbird

/// Checks operator requests: `Authorization: Bearer <token>` against the deployment's
/// `OPERATOR_TOKEN`. Without a configured token the operator API is off (403), so a
/// deployment never exposes it by accident.
public struct OperatorAuthenticator: Sendable {
    private let digest: SHA256.Digest?

    /// - Parameter token: the configured token, or nil to turn the operator API off.
    public init(token: String?) {
        digest = token.map { SHA256.hash(data: Data($0.utf8)) }
    }

    public func authenticate(_ request: Request) throws {
        guard let digest else {
            throw APIError(.forbidden, code: "operator_api_disabled", "the operator API is off: set OPERATOR_TOKEN to turn it on")
        }
        guard let header = request.headers[.authorization], header.hasPrefix("Bearer ") else {
            throw APIError.unauthorized("operator routes need Authorization: Bearer <OPERATOR_TOKEN>")
        }
        // Digests compared in constant time, so the comparison leaks neither the token nor its length.
        let offered = SHA256.hash(data: Data(header.dropFirst("Bearer ".count).utf8))
        guard offered == digest else { throw APIError.unauthorized("the operator token is wrong") }
    }
}
