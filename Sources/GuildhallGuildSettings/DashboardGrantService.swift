import FluentKit
import Foundation
import GuildhallCore
import GuildhallStorage
import Logging
import Metrics

/// One dashboard grant as callers see it.
public struct DashboardGrant: Sendable, Equatable {
    public var userID: Snowflake
    public var level: GuildAccess.GrantLevel
    public var grantedBy: Snowflake
    public var createdAt: Date?
}

/// Dashboard grants: access the guild's owner gives to people without MANAGE_GUILD. Only the
/// owner changes them; every change is audited in the same transaction.
public struct DashboardGrantService: Sendable {
    let database: GuildhallDatabase
    let logger: Logger

    public init(database: GuildhallDatabase, logger: Logger) {
        self.database = database
        self.logger = logger
    }

    public func grants(guild: Snowflake) async throws -> [DashboardGrant] {
        try await DashboardGrantRecord.query(on: database.database)
            .filter(\.$guildID == guild.databaseValue).sort(\.$createdAt).all()
            .map(Self.grant)
    }

    /// Gives `user` the `level`, or changes their level. Returns the grant before the call.
    @discardableResult
    public func setGrant(
        _ level: GuildAccess.GrantLevel, user: Snowflake, guild: Snowflake, actor: Snowflake, access: GuildAccess, requestID: String?
    ) async throws -> DashboardGrant? {
        try Self.requireOwner(access, actor: actor, guild: guild, logger: logger)
        guard let stored = DashboardGrantRecord.Level(rawValue: level.rawValue) else {
            throw GuildhallError(.invalidInput, "unknown grant level \(level.rawValue)")
        }
        let before = try await database.database.transaction { database -> DashboardGrant? in
            let existing = try await DashboardGrantRecord.query(on: database)
                .filter(\.$guildID == guild.databaseValue).filter(\.$userID == user.databaseValue).first()
            let before = existing.map(Self.grant)
            if let existing {
                existing.level = stored
                existing.grantedBy = actor.databaseValue
                try await existing.save(on: database)
            } else {
                try await DashboardGrantRecord(guildID: guild, userID: user, level: stored, grantedBy: actor).save(on: database)
            }
            try await AuditLogRecord(
                guildID: guild, actorID: actor, action: "grant.set", target: user.description,
                before: before.map { "{\"level\":\"\($0.level.rawValue)\"}" }, after: "{\"level\":\"\(level.rawValue)\"}", requestID: requestID
            ).save(on: database)
            return before
        }
        logger.info("dashboard grant set", metadata: [LogKey.guildID: "\(guild)", "user_id": "\(user)", "level": "\(level.rawValue)"])
        Counter(label: "guildhall_dashboard_grant_changes_total", dimensions: [("change", "set")]).increment()
        return before
    }

    /// Takes `user`'s grant away; `notFound` when they had none.
    public func removeGrant(user: Snowflake, guild: Snowflake, actor: Snowflake, access: GuildAccess, requestID: String?) async throws {
        try Self.requireOwner(access, actor: actor, guild: guild, logger: logger)
        try await database.database.transaction { database in
            guard let existing = try await DashboardGrantRecord.query(on: database)
                .filter(\.$guildID == guild.databaseValue).filter(\.$userID == user.databaseValue).first() else {
                throw GuildhallError(.notFound, "\(user) has no dashboard grant in this guild")
            }
            try await existing.delete(on: database)
            try await AuditLogRecord(
                guildID: guild, actorID: actor, action: "grant.remove", target: user.description,
                before: "{\"level\":\"\(existing.level.rawValue)\"}", after: nil, requestID: requestID
            ).save(on: database)
        }
        logger.info("dashboard grant removed", metadata: [LogKey.guildID: "\(guild)", "user_id": "\(user)"])
        Counter(label: "guildhall_dashboard_grant_changes_total", dimensions: [("change", "remove")]).increment()
    }

    static func requireOwner(_ access: GuildAccess, actor: Snowflake, guild: Snowflake, logger: Logger) throws {
        guard access == .owner else {
            logger.notice("grant change refused", metadata: [LogKey.guildID: "\(guild)", "actor_id": "\(actor)", "access": "\(access)"])
            throw GuildhallError(.forbidden, "only the guild's owner gives or takes dashboard grants")
        }
    }

    static func grant(_ record: DashboardGrantRecord) -> DashboardGrant {
        DashboardGrant(
            userID: Snowflake(databaseValue: record.userID), level: GuildAccess.GrantLevel(rawValue: record.level.rawValue) ?? .viewer,
            grantedBy: Snowflake(databaseValue: record.grantedBy), createdAt: record.createdAt
        )
    }
}
