import Foundation
import GuildhallCore
import GuildhallGuildSettings
import Hummingbird

/// Dashboard grants, owner only: who else may see or change the guild's settings.
public enum GuildGrantsRoutes {
    static let level = APISchema.string(values: GuildAccess.GrantLevel.allCases.map(\.rawValue))

    static let grantSchema = APISchema.object([
        "user_id": .snowflake, "level": level, "granted_by": .snowflake, "created_ms": .timestamp,
    ], required: ["user_id", "level", "granted_by", "created_ms"])

    static let list = APIRoute(
        .get, "/api/v1/guilds/{guild_id}/grants", operationID: "listGrants", summary: "The guild's dashboard grants (owner only).",
        tag: "guilds", access: .guild(.owner), pathParameters: ["guild_id": .snowflake],
        answers: [200: .init("The grants.", schema: .object(["grants": .array(grantSchema)], required: ["grants"]))]
    )

    static let set = APIRoute(
        .put, "/api/v1/guilds/{guild_id}/grants/{user_id}", operationID: "setGrant",
        summary: "Give someone dashboard access, or change its level (owner only).", tag: "guilds", access: .guild(.owner),
        pathParameters: ["guild_id": .snowflake, "user_id": .snowflake], body: .object(["level": level], required: ["level"]),
        answers: [200: .init("The grant as stored.", schema: grantSchema)],
        additionalErrors: [409]
    )

    static let remove = APIRoute(
        .delete, "/api/v1/guilds/{guild_id}/grants/{user_id}", operationID: "removeGrant",
        summary: "Take a dashboard grant away; it ends at once (owner only).", tag: "guilds", access: .guild(.owner),
        pathParameters: ["guild_id": .snowflake, "user_id": .snowflake], answers: [204: .init("Removed.")]
    )

    struct Grant: Encodable {
        var userID: String, level: String, grantedBy: String, createdMS: Int64
        enum CodingKeys: String, CodingKey { case userID = "user_id", level, grantedBy = "granted_by", createdMS = "created_ms" }

        init(_ grant: DashboardGrant) {
            userID = grant.userID.description
            level = grant.level.rawValue
            grantedBy = grant.grantedBy.description
            createdMS = Int64((grant.createdAt ?? Date(timeIntervalSince1970: 0)).timeIntervalSince1970 * 1_000)
        }
    }

    struct LevelBody: Decodable { var level: String }

    public static func register<Context: RequestContext>(on api: APIRouter<Context>, grants: DashboardGrantService, access: GuildAccessResolver) {
        api.add(list) { input in
            APIJSON.response(["grants": try await grants.grants(guild: input.guildID).map(Grant.init)])
        }
        api.add(set) { input in
            let session = try input.requireSession()
            let user = Snowflake(input.path("user_id")) ?? Snowflake(0)
            guard user != session.userID else { throw APIError.conflict("the owner needs no grant") }
            let level = GuildAccess.GrantLevel(rawValue: try input.decode(LevelBody.self).level) ?? .viewer
            try await grants.setGrant(level, user: user, guild: input.guildID, actor: session.userID, access: input.guildAccess ?? .none, requestID: input.requestID)
            try await access.forget(user: user, guild: input.guildID)
            let stored = try await grants.grants(guild: input.guildID).first { $0.userID == user }
            guard let stored else { throw APIError.internalError() }
            return APIJSON.response(Grant(stored))
        }
        api.add(remove) { input in
            let session = try input.requireSession()
            let user = Snowflake(input.path("user_id")) ?? Snowflake(0)
            try await grants.removeGrant(user: user, guild: input.guildID, actor: session.userID, access: input.guildAccess ?? .none, requestID: input.requestID)
            try await access.forget(user: user, guild: input.guildID)
            return Response(status: .noContent)
        }
    }
}
