import FluentKit
import Foundation
import GuildhallAPI
import GuildhallCore
import GuildhallDashboard
import GuildhallGuildSettings
import GuildhallStorage

/// The guild's overview: its plan and the registered modules, with toggles for those who
/// may switch them (guild-settings.js writes through the API and reads it back).
struct OverviewTab: DashboardTab {
    struct Module {
        var id: String
        var title: String
        var enabled: Bool
        var paused: Bool
        var premium: Bool
    }

    struct View {
        var modules: [Module]
        var premium: String
    }

    var title: String { "Overview" }
    var path: String { "" }
    var leastAccess: APIRoute.GuildRequirement { .view }
    var position: Int { 0 }
    var template: String { "overview" }
    var scripts: [String] { ["guild-settings.js"] }

    func view(_ request: DashboardTabRequest) async throws -> any Sendable {
        let settings = request.web.settings
        let current = try await settings.versionedSettings(for: request.guildID)
        let plan = try await request.web.premium.status(guild: request.guildID)
        return View(
            modules: settings.modules.states(current.settings, limits: plan.limits).map {
                Module(id: $0.module.id.rawValue, title: $0.module.title, enabled: $0.enabled, paused: $0.paused, premium: $0.module.premium != nil)
            },
            premium: DashboardPages.premiumLabel(plan)
        )
    }
}

/// Every write to the guild's configuration, newest first (the last hundred).
struct AuditTab: DashboardTab {
    struct Entry {
        var when: String
        var actor: String
        var action: String
        var target: String
        var before: String
        var after: String

        init(_ record: AuditLogRecord) {
            when = DashboardPages.day.string(from: record.createdAt ?? Date(timeIntervalSince1970: 0))
            actor = Snowflake(databaseValue: record.actorID).description
            action = record.action
            target = record.target ?? ""
            before = record.before ?? "—"
            after = record.after ?? "—"
        }
    }

    struct View {
        var entries: [Entry]
    }

    var title: String { "Audit log" }
    var path: String { "audit" }
    var leastAccess: APIRoute.GuildRequirement { .view }
    var position: Int { 900 }
    var template: String { "audit" }

    func view(_ request: DashboardTabRequest) async throws -> any Sendable {
        let records = try await AuditLogRecord.query(on: request.web.database.database)
            .filter(\.$guildID == request.guildID.databaseValue).sort(\.$createdAt, .descending).limit(100).all()
        return View(entries: records.map(Entry.init))
    }
}

/// Who besides the owner and managers may use the dashboard (the owner only).
struct AccessTab: DashboardTab {
    struct Grant {
        var userID: String
        var level: String
    }

    struct View {
        var grants: [Grant]
    }

    var title: String { "Access" }
    var path: String { "grants" }
    var leastAccess: APIRoute.GuildRequirement { .owner }
    var position: Int { 950 }
    var template: String { "grants" }
    var scripts: [String] { ["guild-settings.js"] }

    func view(_ request: DashboardTabRequest) async throws -> any Sendable {
        let grants = try await DashboardGrantService(database: request.web.database, logger: request.web.logger).grants(guild: request.guildID)
        return View(grants: grants.map { Grant(userID: $0.userID.description, level: $0.level.rawValue) })
    }
}
