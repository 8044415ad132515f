/// The answer of `POST /oauth2/token` (FACTS §6): an access token for Bearer calls, and for
/// code and refresh grants a refresh token. Defined here because the models target has none.
public struct OAuth2TokenResponse: Codable, Hashable, Sendable {
    public var accessToken: String
    /// `Bearer`.
    public var tokenType: String
    /// Seconds the access token lives (Discord: 604800, a week).
    public var expiresIn: Int
    /// Absent for client credentials.
    public var refreshToken: String?
    /// Space-separated scopes granted.
    public var scope: String

    public init(accessToken: String, tokenType: String = "Bearer", expiresIn: Int, refreshToken: String? = nil, scope: String) {
        self.accessToken = accessToken
        self.tokenType = tokenType
        self.expiresIn = expiresIn
        self.refreshToken = refreshToken
        self.scope = scope
    }

    /// The granted scopes as a list.
    public var scopes: [String] { scope.split(separator: " ").map(String.init) }

    enum CodingKeys: String, CodingKey {
        case scope
        case accessToken = "access_token"
        case tokenType = "token_type"
        case expiresIn = "expires_in"
        case refreshToken = "refresh_token"
    }
}
