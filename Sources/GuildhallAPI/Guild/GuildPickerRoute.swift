import FluentKit
import Foundation
import GuildhallCore
import GuildhallGuildSettings
import GuildhallStorage
import Hummingbird

/// The guild picker: the guilds where the bot is and the user has dashboard access, each
/// checked like any guild route.
public enum GuildPickerRoute {
    static let route = APIRoute(
        .get, "/api/v1/guilds", operationID: "listGuilds", summary: "Guilds the user may open on the dashboard (the bot is in each).",
        tag: "guilds", access: .session,
        answers: [200: .init("The guilds, by name.", schema: .object(["guilds": .array(.object([
            "id": .snowflake, "name": .string(), "access": .string(values: ["owner", "manager", "admin", "editor", "viewer"]), "can_edit": .boolean,
        ], required: ["id", "name", "access", "can_edit"]))], required: ["guilds"]))]
    )

    /// One guild of the picker.
    public struct Entry: Encodable, Sendable, Equatable {
        public var id: String, name: String, access: String, canEdit: Bool
        enum CodingKeys: String, CodingKey { case id, name, access, canEdit = "can_edit" }
    }

    /// The guilds `session`'s user may open: those Discord listed at login, and those they
    /// hold a grant in, where the bot is and the access check says yes.
    public static func guilds(for session: Session, database: GuildhallDatabase, access: GuildAccessResolver) async throws -> [Entry] {
        let granted = try await DashboardGrantRecord.query(on: database.database)
            .filter(\.$userID == session.userID.databaseValue).all().map(\.guildID)
        let candidates = Set(session.guildIDs.map(\.databaseValue) + granted)
        let guilds = candidates.isEmpty ? [] : try await GuildRecord.query(on: database.database)
            .filter(\.$id ~~ Array(candidates)).filter(\.$leftAt == nil).sort(\.$name).all()
        var entries: [Entry] = []
        for guild in guilds {
            let level = try await access.access(user: session.userID, guild: guild.snowflake)
            guard level != .none else { continue }
            entries.append(Entry(id: guild.snowflake.description, name: guild.name, access: level.label, canEdit: level.satisfies(.edit)))
        }
        return entries
    }

    public static func register<Context: RequestContext>(on api: APIRouter<Context>, database: GuildhallDatabase, access: GuildAccessResolver) {
        api.add(route) { input in
            let session = try input.requireSession()
            return APIJSON.response(["guilds": try await guilds(for: session, database: database, access: access)])
        }
    }
}
