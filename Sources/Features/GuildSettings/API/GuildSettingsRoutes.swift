import GuildhallAPI
import GuildhallKit
import FluentKit
import Foundation
import GuildhallCore
import GuildhallGuildSettings
import GuildhallPremium
import GuildhallStorage
import Hummingbird

/// A guild's modules and audit log for the dashboard. Every query is scoped by the path's
/// guild, which the router has already checked the user may see.
public struct GuildSettingsRoutes: FeatureRoutes {
    public init() {}

    public func register<Context: RequestContext>(on api: APIRouter<Context>, web: APIDashboard) {
        Self.register(on: api, settings: web.settings, database: web.database, premium: web.premium)
    }

    /// Every route this feature mounts, in order, with the module enum of this build.
    public static func all(modules: ModuleCatalog) -> [APIRoute] { [modulesRoute(modules), setModuleRoute(modules), auditLog] }

    static let guildID: [String: APISchema] = ["guild_id": .snowflake]

    static func modulesRoute(_ catalog: ModuleCatalog) -> APIRoute { APIRoute(
        .get, "/api/v1/guilds/{guild_id}/modules", operationID: "getModules", summary: "The guild's modules, on or off, and what the user may do.",
        tag: "guilds", access: .guild(.view), pathParameters: guildID,
        answers: [200: .init("The modules.", schema: .object([
            "guild_id": .snowflake, "version": .integer(minimum: 0),
            "access": .string(values: ["owner", "manager", "admin", "editor", "viewer"]), "can_edit": .boolean,
            "modules": .array(.object([
                "id": .string(values: catalog.ids.map(\.rawValue)), "title": .string(), "enabled": .boolean, "premium": .boolean,
                "paused": .boolean,
            ], required: ["id", "title", "enabled", "premium", "paused"])),
        ], required: ["guild_id", "version", "access", "can_edit", "modules"]))]
    ) }

    static func setModuleRoute(_ catalog: ModuleCatalog) -> APIRoute { APIRoute(
        .put, "/api/v1/guilds/{guild_id}/modules/{module}", operationID: "setModule",
        summary: "Switch a module on or off; the audit log records who, what and the before/after.",
        tag: "guilds", access: .guild(.edit),
        pathParameters: ["guild_id": .snowflake, "module": .string(values: catalog.ids.map(\.rawValue))],
        body: .object(["enabled": .boolean], required: ["enabled"]),
        answers: [200: .init("The module's state after the write; `changed` is false when it already was.", schema: .object([
            "module": .string(), "enabled": .boolean, "changed": .boolean, "version": .integer(minimum: 0),
        ], required: ["module", "enabled", "changed", "version"]))]
    ) }

    static let auditLog = APIRoute(
        .get, "/api/v1/guilds/{guild_id}/audit-log", operationID: "getAuditLog", summary: "Every write to the guild's configuration, newest first.",
        tag: "guilds", access: .guild(.view), pathParameters: guildID, query: ["limit": .integer(minimum: 1, maximum: 200)],
        answers: [200: .init("Audit entries.", schema: .object(["entries": .array(.object([
            "id": .string(), "actor_id": .snowflake, "action": .string(), "target": .nullable(.string()), "before": .nullable(.string()),
            "after": .nullable(.string()), "request_id": .nullable(.string()), "created_ms": .timestamp,
        ], required: ["id", "actor_id", "action", "target", "before", "after", "request_id", "created_ms"]))], required: ["entries"]))]
    )

    struct ModulesView: Encodable {
        /// `paused`: switched on, but the plan no longer allows it (kept, not deleted).
        struct Module: Encodable { var id: String, title: String, enabled: Bool, premium: Bool, paused: Bool }
        var guildID: String
        var version: Int64
        var access: String
        var canEdit: Bool
        var modules: [Module]
        enum CodingKeys: String, CodingKey { case guildID = "guild_id", version, access, canEdit = "can_edit", modules }
    }

    struct Toggle: Decodable { var enabled: Bool }

    struct Changed: Encodable { var module: String, enabled: Bool, changed: Bool, version: Int64 }

    struct Entry: Encodable {
        var id: String, actorID: String, action: String, target: String?, before: String?, after: String?, requestID: String?, createdMS: Int64
        enum CodingKeys: String, CodingKey {
            case id, actorID = "actor_id", action, target, before, after, requestID = "request_id", createdMS = "created_ms"
        }
        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(id, forKey: .id)
            try container.encode(actorID, forKey: .actorID)
            try container.encode(action, forKey: .action)
            try container.encode(target, forKey: .target)
            try container.encode(before, forKey: .before)
            try container.encode(after, forKey: .after)
            try container.encode(requestID, forKey: .requestID)
            try container.encode(createdMS, forKey: .createdMS)
        }
    }

    public static func register<Context: RequestContext>(
        on api: APIRouter<Context>, settings: GuildSettingsService, database: GuildhallDatabase, premium: PremiumService
    ) {
        let catalog = settings.modules
        api.add(modulesRoute(catalog)) { input in
            let access = input.guildAccess ?? .none
            let current = try await settings.versionedSettings(for: input.guildID)
            let limits = try await premium.status(guild: input.guildID).limits
            return APIJSON.response(ModulesView(
                guildID: input.guildID.description, version: current.version, access: access.label,
                canEdit: access.satisfies(.edit),
                modules: catalog.states(current.settings, limits: limits).map {
                    .init(id: $0.module.id.rawValue, title: $0.module.title, enabled: $0.enabled, premium: $0.module.premium != nil, paused: $0.paused)
                }
            ))
        }
        api.add(setModuleRoute(catalog)) { input in
            let session = try input.requireSession()
            // The path check already refused a module this build does not register.
            guard let module = catalog.named(input.path("module")) else { throw APIError(.notFound, code: "not_found", "no such module") }
            let toggle = try input.decode(Toggle.self)
            // Checked here, where the request enters, and again inside setModule.
            if toggle.enabled, let feature = module.premium, try await !premium.allows(feature, guild: input.guildID) {
                throw APIError(.forbidden, code: "premium_required", "\(module.title) needs Guildhall Premium")
            }
            let change = try await settings.setModule(
                module.id, enabled: toggle.enabled, guild: input.guildID, actor: session.userID, access: input.guildAccess ?? .none,
                requestID: input.requestID
            )
            return APIJSON.response(Changed(module: module.id.rawValue, enabled: change.after, changed: change.changed, version: change.version))
        }
        api.add(auditLog) { input in
            let records = try await AuditLogRecord.query(on: database.database)
                .filter(\.$guildID == input.guildID.databaseValue)
                .sort(\.$createdAt, .descending)
                .limit(input.queryInteger("limit") ?? 50)
                .all()
            return APIJSON.response(["entries": records.map { record in
                Entry(
                    id: record.id?.uuidString.lowercased() ?? "", actorID: Snowflake(databaseValue: record.actorID).description, action: record.action,
                    target: record.target, before: record.before, after: record.after, requestID: record.requestID,
                    createdMS: Int64((record.createdAt ?? Date(timeIntervalSince1970: 0)).timeIntervalSince1970 * 1_000)
                )
            }])
        }
    }
}
