import GuildhallCore

/// OAuth2 grants the sandbox has handed out: authorization codes waiting to be exchanged,
/// access tokens and refresh tokens. A value inside `SandboxState`.
public struct SandboxOAuthLedger: Sendable {
    public struct Grant: Sendable, Hashable {
        public var userID: Snowflake
        public var scopes: [String]
        public var redirectURI: String
        /// Seconds since 1970.
        public var expiresAt: Double
    }

    /// Codes live ten minutes and work once.
    static let codeLifetime: Double = 600
    /// Access tokens live seven days, as in Discord's examples.
    static let accessTokenLifetime: Double = 604_800

    var codes: [String: Grant] = [:]
    var accessTokens: [String: Grant] = [:]
    /// Refresh token → the access token it replaces.
    var refreshTokens: [String: String] = [:]

    mutating func issueCode(for userID: Snowflake, scopes: [String], redirectURI: String, now: Double) -> String {
        let code = Self.randomToken(length: 30)
        codes[code] = Grant(userID: userID, scopes: scopes, redirectURI: redirectURI, expiresAt: now + Self.codeLifetime)
        return code
    }

    /// Exchanges a code for `(access, refresh, grant)`; `nil` if unknown, used, expired or
    /// sent with another redirect URI.
    mutating func exchange(code: String, redirectURI: String?, now: Double) -> (String, String, Grant)? {
        guard let grant = codes.removeValue(forKey: code), grant.expiresAt > now else { return nil }
        if let redirectURI, redirectURI != grant.redirectURI { return nil }
        return issueTokens(for: grant, now: now)
    }

    mutating func refresh(token: String, now: Double) -> (String, String, Grant)? {
        guard let access = refreshTokens.removeValue(forKey: token), let grant = accessTokens.removeValue(forKey: access) else {
            return nil
        }
        return issueTokens(for: grant, now: now)
    }

    mutating func revoke(token: String) {
        if let access = refreshTokens.removeValue(forKey: token) {
            accessTokens[access] = nil
        }
        if accessTokens.removeValue(forKey: token) != nil {
            refreshTokens = refreshTokens.filter { $0.value != token }
        }
    }

    func grant(forAccessToken token: String, now: Double) -> Grant? {
        guard let grant = accessTokens[token], grant.expiresAt > now else { return nil }
        return grant
    }

    private mutating func issueTokens(for grant: Grant, now: Double) -> (String, String, Grant) {
        var grant = grant
        grant.expiresAt = now + Self.accessTokenLifetime
        let access = Self.randomToken(length: 30)
        let refresh = Self.randomToken(length: 30)
        accessTokens[access] = grant
        refreshTokens[refresh] = access
        return (access, refresh, grant)
    }

    static func randomToken(length: Int) -> String {
        let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789".utf8)
        var generator = SystemRandomNumberGenerator()
        // Ten characters from each 64-bit draw (62^10 < 2^64): one read of the kernel's
        // generator per ten characters instead of one per character.
        var characters: [UInt8] = []
        characters.reserveCapacity(length)
        while characters.count < length {
            var draw = generator.next()
            for _ in 0..<min(10, length - characters.count) {
                characters.append(alphabet[Int(draw % 62)])
                draw /= 62
            }
        }
        return String(decoding: characters, as: UTF8.self)
    }
}
