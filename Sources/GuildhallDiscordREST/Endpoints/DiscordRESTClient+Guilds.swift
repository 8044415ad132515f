import Foundation
import GuildhallCore
import GuildhallDiscordModels

/// Guilds, members, roles, timeouts, kicks and bans.
extension DiscordRESTClient {
    /// `GET /guilds/{guild_id}`; `withCounts` adds approximate member and presence counts.
    public func getGuild(guildID: Snowflake, withCounts: Bool = false) async throws -> Guild {
        try await call("getGuild") { DiscordRESTRequest(route: try .guild(guildID: guildID, withCounts: withCounts)) }
    }

    /// `GET /guilds/{guild_id}/members/{user_id}` (404 with 10007 when not a member).
    public func getGuildMember(guildID: Snowflake, userID: Snowflake) async throws -> GuildMember {
        try await call("getGuildMember") { DiscordRESTRequest(route: try .guildMember(.GET, guildID: guildID, userID: userID)) }
    }

    /// One page of `GET /guilds/{guild_id}/members`: up to `limit` (1–1000) members with ids
    /// above `after`, in id order.
    public func listGuildMembers(guildID: Snowflake, limit: Int = 1000, after: Snowflake? = nil) async throws -> [GuildMember] {
        try await call("listGuildMembers") {
            try Self.require(limit, in: 1...1000, "member page size")
            return DiscordRESTRequest(route: try .guildMembers(guildID: guildID, limit: limit, after: after))
        }
    }

    /// Every member, page after page, stopping at a short page or at `maximum` members.
    public func listAllGuildMembers(guildID: Snowflake, pageSize: Int = 1000, maximum: Int = 100_000) async throws -> [GuildMember] {
        var members: [GuildMember] = []
        var after: Snowflake?
        while members.count < maximum {
            let size = min(pageSize, maximum - members.count)
            let page = try await listGuildMembers(guildID: guildID, limit: size, after: after)
            members += page
            // A short page is the last; a page that does not move forward would loop forever.
            guard page.count == size, let last = page.compactMap({ $0.user?.id }).max(), after.map({ last > $0 }) ?? true else { break }
            after = last
        }
        return members
    }

    /// `PUT /guilds/{guild_id}/members/{user_id}/roles/{role_id}`.
    public func addGuildMemberRole(guildID: Snowflake, userID: Snowflake, roleID: Snowflake, reason: String? = nil) async throws {
        try await callIgnoringResponse("addGuildMemberRole") {
            DiscordRESTRequest(route: try .guildMemberRole(.PUT, guildID: guildID, userID: userID, roleID: roleID), auditLogReason: reason)
        }
    }

    /// `DELETE /guilds/{guild_id}/members/{user_id}/roles/{role_id}`.
    public func removeGuildMemberRole(guildID: Snowflake, userID: Snowflake, roleID: Snowflake, reason: String? = nil) async throws {
        try await callIgnoringResponse("removeGuildMemberRole") {
            DiscordRESTRequest(route: try .guildMemberRole(.DELETE, guildID: guildID, userID: userID, roleID: roleID), auditLogReason: reason)
        }
    }

    /// `PATCH /guilds/{guild_id}/members/{user_id}`: nickname, roles, timeout and the rest.
    /// Returns the member when Discord sends it back (200), nil on 204. A nickname over 32
    /// characters, or a timeout not in the future or more than 28 days ahead, is refused
    /// before sending.
    @discardableResult
    public func modifyGuildMember(guildID: Snowflake, userID: Snowflake, _ changes: ModifyGuildMemberRequest, reason: String? = nil) async throws -> GuildMember? {
        let request = try prepared("modifyGuildMember") {
            try changes.validate(now: DiscordTimestamp(date: Date()))
            return DiscordRESTRequest(
                route: try .guildMember(.PATCH, guildID: guildID, userID: userID), body: try .json(encoding: changes), auditLogReason: reason
            )
        }
        let response = try await send(request)
        guard !response.body.isEmpty else { return nil }
        do {
            return try JSONDecoder().decode(GuildMember.self, from: response.body)
        } catch {
            throw DiscordRESTError(.decoding, "the member in the response could not be decoded", route: request.route.description, status: response.status, underlying: error)
        }
    }

    /// Times a member out until `until`, or clears the timeout when `until` is nil.
    @discardableResult
    public func timeoutGuildMember(guildID: Snowflake, userID: Snowflake, until: DiscordTimestamp?, reason: String? = nil) async throws -> GuildMember? {
        try await modifyGuildMember(
            guildID: guildID, userID: userID,
            until.map { ModifyGuildMemberRequest.timeout(until: $0) } ?? .removeTimeout, reason: reason
        )
    }

    /// `DELETE /guilds/{guild_id}/members/{user_id}`: kicks the member.
    public func removeGuildMember(guildID: Snowflake, userID: Snowflake, reason: String? = nil) async throws {
        try await callIgnoringResponse("removeGuildMember") {
            DiscordRESTRequest(route: try .guildMember(.DELETE, guildID: guildID, userID: userID), auditLogReason: reason)
        }
    }

    /// `PUT /guilds/{guild_id}/bans/{user_id}`, deleting up to 7 days of their messages.
    public func createGuildBan(guildID: Snowflake, userID: Snowflake, _ ban: CreateGuildBanRequest = CreateGuildBanRequest(), reason: String? = nil) async throws {
        try await callIgnoringResponse("createGuildBan") {
            try ban.validate()
            return DiscordRESTRequest(route: try .guildBan(.PUT, guildID: guildID, userID: userID), body: try .json(encoding: ban), auditLogReason: reason)
        }
    }

    /// `DELETE /guilds/{guild_id}/bans/{user_id}`.
    public func removeGuildBan(guildID: Snowflake, userID: Snowflake, reason: String? = nil) async throws {
        try await callIgnoringResponse("removeGuildBan") {
            DiscordRESTRequest(route: try .guildBan(.DELETE, guildID: guildID, userID: userID), auditLogReason: reason)
        }
    }

    /// `GET /guilds/{guild_id}/channels`.
    public func getGuildChannels(guildID: Snowflake) async throws -> [Channel] {
        try await call("getGuildChannels") { DiscordRESTRequest(route: try .guildChannels(guildID: guildID)) }
    }

    /// `GET /guilds/{guild_id}/roles`.
    public func getGuildRoles(guildID: Snowflake) async throws -> [Role] {
        try await call("getGuildRoles") { DiscordRESTRequest(route: try .guildRoles(.GET, guildID: guildID)) }
    }

    /// `POST /guilds/{guild_id}/roles`.
    public func createGuildRole(guildID: Snowflake, _ role: CreateGuildRoleRequest, reason: String? = nil) async throws -> Role {
        try await call("createGuildRole") {
            guard role.name.count <= 100 else { throw GuildhallError(.invalidInput, "a role name has at most 100 characters") }
            if let color = role.color { try Self.require(color, in: 0...0xFF_FFFF, "role color") }
            return DiscordRESTRequest(route: try .guildRoles(.POST, guildID: guildID), body: try .json(encoding: role), auditLogReason: reason)
        }
    }
}
