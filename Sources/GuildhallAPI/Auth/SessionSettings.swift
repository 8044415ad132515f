/// How dashboard logins work in this deployment.
public struct SessionSettings: Sendable {
    /// The longest a session lasts; its Redis record and cookie end with it.
    public static let maximumLifetime: Duration = .seconds(8 * 3600)

    /// `SESSION_SECRET`: signs session cookies; every API process must share it.
    public var secret: String
    public var lifetime: Duration
    /// Where browsers are sent to log in: `https://discord.com/oauth2/authorize`, or the
    /// sandbox's `/oauth2/authorize`.
    public var authorizeURL: String
    /// The OAuth2 application (`DISCORD_CLIENT_ID`, `DISCORD_CLIENT_SECRET`).
    public var clientID: String
    public var clientSecret: String
    /// The dashboard's public origin (`PUBLIC_URL`), e.g. `https://guildhall.example`.
    /// Unset: `http://` plus the request's Host header, which suits loopback.
    public var publicURL: String?

    public init(
        secret: String, authorizeURL: String, clientID: String, clientSecret: String, publicURL: String? = nil,
        lifetime: Duration = SessionSettings.maximumLifetime
    ) {
        self.secret = secret
        self.authorizeURL = authorizeURL
        self.clientID = clientID
        self.clientSecret = clientSecret
        self.publicURL = publicURL
        self.lifetime = min(lifetime, Self.maximumLifetime)
    }

    /// The authorize URL for a Discord REST base: `https://discord.com/api/v10` gives
    /// `https://discord.com/oauth2/authorize`; a sandbox's base gives its own page.
    public static func authorizeURL(forAPIBase base: String) -> String {
        var origin = base
        if let range = origin.range(of: "/api/") ?? origin.range(of: "/api", options: .backwards) { origin = String(origin[..<range.lowerBound]) }
        while origin.hasSuffix("/") { origin.removeLast() }
        return origin + "/oauth2/authorize"
    }
}
