import FluentKit
import Foundation
import GuildhallBackends
import GuildhallCore
import GuildhallDiscordModels
import GuildhallDiscordREST
import GuildhallGuildSettings
import GuildhallStorage

/// What a user may do in a guild, from fresh data: the owner (from the guild row), MANAGE_GUILD
/// or ADMINISTRATOR (from Discord, through the bot's own view of the member and roles), or a
/// dashboard grant the owner gave. Cached for 10 seconds per user and guild; any failure to
/// ask Discord is a 503, never a guess.
public struct GuildAccessResolver: Sendable {
    let database: GuildhallDatabase
    let discord: DiscordRESTClient
    let cache: any CacheBackend

    public init(database: GuildhallDatabase, discord: DiscordRESTClient, cache: any CacheBackend) {
        self.database = database
        self.discord = discord
        self.cache = cache
    }

    /// The guild must be one the bot serves; otherwise 404, the same answer as a guild the
    /// user cannot see, so ids cannot be probed.
    public func access(user: Snowflake, guild: Snowflake) async throws -> GuildAccess {
        let key = try APIKeys.guildAccess.key(guild: guild, user.description)
        if let cached = try await cache.get(key), let access = Self.decode(cached) { return access }
        guard let record = try await GuildRecord.find(guild.databaseValue, on: database.database), record.leftAt == nil else {
            throw APIError.notFound("no such guild")
        }
        let access = try await resolve(user: user, guild: guild, ownerID: Snowflake(databaseValue: record.ownerID))
        try await cache.set(key, Self.encode(access), ttl: .seconds(10))
        return access
    }

    /// Drops the cached access of `user` (after a grant changes).
    public func forget(user: Snowflake, guild: Snowflake) async throws {
        _ = try await cache.delete([try APIKeys.guildAccess.key(guild: guild, user.description)])
    }

    private func resolve(user: Snowflake, guild: Snowflake, ownerID: Snowflake) async throws -> GuildAccess {
        if user == ownerID { return .owner }
        if let member = try await member(user, of: guild) {
            let roles: [Role]
            do {
                roles = try await discord.getGuildRoles(guildID: guild)
            } catch {
                throw APIError.unavailable("Discord could not be asked for this guild's roles")
            }
            let permissions = GuildPermissions(guildID: guild, ownerID: ownerID, roles: roles)
                .basePermissions(of: PermissionSubject(userID: user, roleIDs: member.roles))
            if permissions.contains(.administrator) || permissions.contains(.manageGuild) { return .manager }
        }
        let grant = try await DashboardGrantRecord.query(on: database.database)
            .filter(\.$guildID == guild.databaseValue).filter(\.$userID == user.databaseValue).first()
        if let grant { return .grant(GuildAccess.GrantLevel(rawValue: grant.level.rawValue) ?? .viewer) }
        return .none
    }

    private func member(_ user: Snowflake, of guild: Snowflake) async throws -> GuildMember? {
        do {
            return try await discord.getGuildMember(guildID: guild, userID: user)
        } catch let error as DiscordRESTError where error.status == 404 {
            return nil
        } catch {
            throw APIError.unavailable("Discord could not be asked whether you are in this guild")
        }
    }

    static func encode(_ access: GuildAccess) -> String {
        switch access {
        case .owner: "owner"
        case .manager: "manager"
        case .grant(let level): "grant:" + level.rawValue
        case .none: "none"
        }
    }

    static func decode(_ text: String) -> GuildAccess? {
        switch text {
        case "owner": return .owner
        case "manager": return .manager
        case "none": return GuildAccess.none
        default:
            guard text.hasPrefix("grant:") else { return nil }
            return GuildAccess.GrantLevel(rawValue: String(text.dropFirst("grant:".count))).map(GuildAccess.grant)
        }
    }
}

extension GuildAccess {
    /// How people read it: owner, manager, admin, editor, viewer (or none).
    public var label: String { GuildAccessResolver.encode(self).replacingOccurrences(of: "grant:", with: "") }

    /// Whether this access meets a route's requirement.
    public func satisfies(_ requirement: APIRoute.GuildRequirement) -> Bool {
        switch (requirement, self) {
        case (_, .none): false
        case (.view, _): true
        case (.edit, .owner), (.edit, .manager), (.edit, .grant(.admin)), (.edit, .grant(.editor)): true
        case (.edit, _): false
        case (.owner, .owner): true
        case (.owner, _): false
        }
    }
}
