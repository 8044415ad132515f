import Foundation
import GuildhallBackends
import GuildhallCore

/// A logged-in user as the API sees them.
public struct Session: Sendable, Equatable, Codable {
    public var id: String
    public var userID: Snowflake
    public var username: String
    /// The token a write must echo in `X-CSRF-Token`.
    public var csrfToken: String
    /// The guilds Discord listed for the user at login (scope `guilds`), for the guild picker.
    public var guildIDs: [Snowflake] = []
}

/// Server-side sessions in the cache (Redis when configured): a session is valid only while
/// its record exists, so logout (or an operator) ends it at once, whatever its cookie says.
public struct SessionStore: Sendable {
    let cache: any CacheBackend
    let lifetime: Duration

    public init(cache: any CacheBackend, lifetime: Duration) {
        self.cache = cache
        self.lifetime = lifetime
    }

    func save(_ session: Session) async throws {
        let key = try APIKeys.session.key(guild: Keyspace.platform, session.id)
        try await cache.set(key, String(decoding: APIJSON.encode(session), as: UTF8.self), ttl: lifetime)
    }

    func load(id: String) async throws -> Session? {
        let key = try APIKeys.session.key(guild: Keyspace.platform, id)
        guard let text = try await cache.get(key) else { return nil }
        return try? JSONDecoder().decode(Session.self, from: Data(text.utf8))
    }

    func delete(id: String) async throws {
        _ = try await cache.delete([try APIKeys.session.key(guild: Keyspace.platform, id)])
    }

    /// A random URL-safe token (session ids, CSRF tokens, OAuth state).
    static func randomToken() -> String {
        var generator = SystemRandomNumberGenerator()
        return (0..<4).map { _ in String(generator.next() as UInt64, radix: 16) }.joined(separator: "-")
    }
}
