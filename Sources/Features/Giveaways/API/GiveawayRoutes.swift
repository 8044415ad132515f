import GuildhallAPI
import GuildhallKit
import Foundation
import GuildhallCore
import GuildhallPremium
import Hummingbird

/// Giveaways for the dashboard: the guild's list, one giveaway with its entrants, creating,
/// ending, rerolling and cancelling, and the manager role. Every change goes through
/// GiveawayService, so the checks are the bot's; every query is scoped by the path's guild.
public struct GiveawayRoutes: FeatureRoutes {
    let giveaways: GiveawayService

    public init(giveaways: GiveawayService) {
        self.giveaways = giveaways
    }

    public func register<Context: RequestContext>(on api: APIRouter<Context>, web: APIDashboard) {
        Self.register(on: api, giveaways: giveaways, premium: web.premium)
    }

    /// Every route this feature mounts, in order (its declaration in the feature kit).
    public static var all: [APIRoute] { [list, detail, create, end, reroll, cancel, settings] }

    static let guildID: [String: APISchema] = ["guild_id": .snowflake]
    static let giveawayPath: [String: APISchema] = ["guild_id": .snowflake, "giveaway_id": .integer(minimum: 1)]

    /// Who may enter: each requirement optional (absent or null is none).
    static let requirementsSchema = APISchema.object([
        "role_id": .nullable(.snowflake), "minimum_level": .nullable(.integer(minimum: 1, maximum: 1_000)),
        "account_age_days": .nullable(.integer(minimum: 1, maximum: 3_650)), "member_days": .nullable(.integer(minimum: 1, maximum: 3_650)),
    ])

    static let draftSchema = APISchema.object([
        "prize": .string(minLength: 1, maxLength: GiveawayDraft.maximumPrizeLength), "winners": .integer(minimum: 1, maximum: 50),
        "channel_id": .snowflake, "starts_at": .nullable(.timestamp), "ends_at": .timestamp,
        "requirements": requirementsSchema,
    ], required: ["prize", "winners", "channel_id", "ends_at", "requirements"])

    static let giveawaySchema = APISchema.object([
        "id": .integer(minimum: 1), "channel_id": .snowflake, "message_id": .nullable(.snowflake), "prize": .string(), "winners": .integer(minimum: 1),
        "status": .string(values: GiveawayStatus.allCases.map(\.rawValue)), "starts_at": .nullable(.timestamp), "ends_at": .timestamp,
        "created_by": .snowflake, "entries": .integer(minimum: 0), "winner_ids": .nullable(.array(.snowflake)), "reroll_winner_ids": .array(.snowflake),
        "requirements": requirementsSchema,
    ], required: ["id", "channel_id", "prize", "winners", "status", "ends_at", "created_by", "entries", "reroll_winner_ids"])

    static let list = APIRoute(
        .get, "/api/v1/guilds/{guild_id}/giveaways", operationID: "listGiveaways",
        summary: "The guild's giveaways (newest first), its plan's limits and whether the user may manage them.",
        tag: "giveaways", access: .guild(.view), pathParameters: guildID,
        answers: [200: .init("The list.", schema: .object([
            "guild_id": .snowflake, "can_manage": .boolean, "manager_role_id": .nullable(.snowflake),
            "limits": .object(["running": .integer(minimum: 0), "winners": .integer(minimum: 1), "days": .integer(minimum: 1)], required: ["running", "winners", "days"]),
            "giveaways": .array(giveawaySchema),
        ], required: ["guild_id", "can_manage", "limits", "giveaways"]))]
    )

    static let detail = APIRoute(
        .get, "/api/v1/guilds/{guild_id}/giveaways/{giveaway_id}", operationID: "getGiveaway",
        summary: "One giveaway with a page of its entrants, in the order they entered.",
        tag: "giveaways", access: .guild(.view), pathParameters: giveawayPath,
        query: ["page": .integer(minimum: 1, maximum: 100_000), "page_size": .integer(minimum: 1, maximum: 500)],
        answers: [200: .init("The giveaway.", schema: .object([
            "giveaway": giveawaySchema, "page": .integer(minimum: 1),
            "entrants": .array(.object(["user_id": .snowflake, "entered_at": .timestamp], required: ["user_id", "entered_at"])),
        ], required: ["giveaway", "page", "entrants"]))]
    )

    static let create = APIRoute(
        .post, "/api/v1/guilds/{guild_id}/giveaways", operationID: "createGiveaway",
        summary: "Start a giveaway (or schedule its start); the plan's limits apply, as for /giveaway start.",
        tag: "giveaways", access: .guild(.edit), pathParameters: guildID, body: draftSchema,
        answers: [201: .init("The giveaway as stored.", schema: giveawaySchema)]
    )

    static func action(_ name: String, summary: String) -> APIRoute {
        APIRoute(
            .post, "/api/v1/guilds/{guild_id}/giveaways/{giveaway_id}/\(name)", operationID: "\(name)Giveaway", summary: summary,
            tag: "giveaways", access: .guild(.edit), pathParameters: giveawayPath,
            body: name == "reroll" ? .object(["count": .integer(minimum: 1, maximum: 50)]) : nil,
            answers: [200: .init("Done.", schema: giveawaySchema)]
        )
    }

    static let end = action("end", summary: "End it now: the same end job as the timer draws and announces (within seconds).")
    static let reroll = action("reroll", summary: "Draw new winners from the entrants, never earlier winners; announced in its channel.")
    static let cancel = action("cancel", summary: "Cancel it: nobody wins.")

    static let settings = APIRoute(
        .put, "/api/v1/guilds/{guild_id}/giveaways/settings", operationID: "putGiveawaySettings",
        summary: "The role whose members may manage giveaways besides Manage Server (null for none).",
        tag: "giveaways", access: .guild(.edit), pathParameters: guildID,
        body: .object(["manager_role_id": .nullable(.snowflake)], required: ["manager_role_id"]),
        answers: [200: .init("Saved.", schema: .object(["manager_role_id": .nullable(.snowflake)], required: ["manager_role_id"]))]
    )

    struct View: Encodable {
        var id: Int64, channelID: String, messageID: String?, prize: String, winners: Int, status: String, startsAt: Int64?, endsAt: Int64
        var createdBy: String, entries: Int, winnerIDs: [String]?, rerollWinnerIDs: [String], requirements: GiveawayDraft.Requirements

        init(_ giveaway: Giveaway, entries: Int) {
            id = giveaway.id
            channelID = giveaway.channel.description
            messageID = giveaway.message?.description
            prize = giveaway.prize
            winners = giveaway.winnerCount
            status = giveaway.status.rawValue
            startsAt = giveaway.startsAt
            endsAt = giveaway.endsAt
            createdBy = giveaway.createdBy.description
            self.entries = entries
            winnerIDs = giveaway.winners?.map(\.description)
            rerollWinnerIDs = giveaway.rerollWinners.map(\.description)
            requirements = giveaway.requirements
        }

        enum CodingKeys: String, CodingKey {
            case id, prize, winners, status, entries, requirements
            case channelID = "channel_id", messageID = "message_id", startsAt = "starts_at", endsAt = "ends_at", createdBy = "created_by"
            case winnerIDs = "winner_ids", rerollWinnerIDs = "reroll_winner_ids"
        }
    }

    struct ListView: Encodable {
        struct Limits: Encodable {
            var running: Int, winners: Int, days: Int
        }
        var guildID: String, canManage: Bool, managerRoleID: String?, limits: Limits, giveaways: [View]
        enum CodingKeys: String, CodingKey {
            case guildID = "guild_id", canManage = "can_manage", managerRoleID = "manager_role_id", limits, giveaways
        }
    }

    struct DetailView: Encodable {
        struct Entrant: Encodable {
            var userID: String, enteredAt: Int64
            enum CodingKeys: String, CodingKey { case userID = "user_id", enteredAt = "entered_at" }
        }
        var giveaway: View, page: Int, entrants: [Entrant]
    }

    struct ManagerRole: Codable {
        var managerRoleID: Snowflake?
        enum CodingKeys: String, CodingKey { case managerRoleID = "manager_role_id" }

        init(managerRoleID: Snowflake?) {
            self.managerRoleID = managerRoleID
        }

        init(from decoder: any Decoder) throws {
            managerRoleID = try decoder.container(keyedBy: CodingKeys.self).decodeIfPresent(Snowflake.self, forKey: .managerRoleID)
        }

        /// `null` when there is no role: the document requires the field (a synthesised
        /// encoder would leave it out and answer `{}`).
        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(managerRoleID, forKey: .managerRoleID)
        }
    }

    struct Reroll: Decodable { var count: Int? }

    /// The body's times are seconds since 1970, as `GiveawayDraft` reads them.
    static func view(_ id: Int64, guild: Snowflake, giveaways: GiveawayService) async throws -> View {
        guard let giveaway = try await giveaways.store.find(id, guild: guild) else {
            throw APIError(.notFound, code: "not_found", "there is no giveaway #\(id) in this guild")
        }
        return View(giveaway, entries: try await giveaways.store.entryCount(id))
    }

    public static func register<Context: RequestContext>(on api: APIRouter<Context>, giveaways: GiveawayService, premium: PremiumService) {
        @Sendable func actor(_ input: APIInput<Context>) throws -> GiveawayActor {
            .dashboard(try input.requireSession().userID, access: input.guildAccess ?? .none)
        }
        @Sendable func giveawayID(_ input: APIInput<Context>) -> Int64 { Int64(input.path("giveaway_id")) ?? 0 }

        api.add(list) { input in
            let guild = input.guildID
            let limits = try await premium.status(guild: guild).limits
            let manager = try await giveaways.store.managerRole(guild: guild)
            let list = try await giveaways.store.list(guild: guild)
            let counts = try await giveaways.store.entryCounts(list.map(\.id))
            let views = list.map { View($0, entries: counts[$0.id] ?? 0) }
            return APIJSON.response(ListView(
                guildID: guild.description, canManage: (input.guildAccess ?? .none).satisfies(.edit), managerRoleID: manager?.description,
                limits: .init(running: limits.count(GiveawayPlan.running), winners: limits.count(GiveawayPlan.winners), days: limits.count(GiveawayPlan.days)), giveaways: views
            ))
        }
        api.add(detail) { input in
            let giveaway = try await view(giveawayID(input), guild: input.guildID, giveaways: giveaways)
            let page = input.queryInteger("page") ?? 1
            let size = input.queryInteger("page_size") ?? 100
            let entrants = try await giveaways.store.entrants(giveaway.id, offset: (page - 1) * size, limit: size)
            return APIJSON.response(DetailView(giveaway: giveaway, page: page, entrants: entrants.map { .init(userID: $0.user.description, enteredAt: $0.enteredAt) }))
        }
        api.add(create) { input in
            let draft = try input.decode(GiveawayDraft.self)
            let created = try await giveaways.create(draft, guild: input.guildID, actor: try actor(input), requestID: input.requestID)
            return APIJSON.response(View(created, entries: 0), status: .created)
        }
        api.add(end) { input in
            try await giveaways.endNow(giveawayID(input), guild: input.guildID, actor: try actor(input), requestID: input.requestID)
            return APIJSON.response(try await view(giveawayID(input), guild: input.guildID, giveaways: giveaways))
        }
        api.add(reroll) { input in
            let count = (try? input.decode(Reroll.self))?.count ?? 1
            _ = try await giveaways.reroll(giveawayID(input), guild: input.guildID, count: count, actor: try actor(input), requestID: input.requestID)
            return APIJSON.response(try await view(giveawayID(input), guild: input.guildID, giveaways: giveaways))
        }
        api.add(cancel) { input in
            try await giveaways.cancel(giveawayID(input), guild: input.guildID, actor: try actor(input), requestID: input.requestID)
            return APIJSON.response(try await view(giveawayID(input), guild: input.guildID, giveaways: giveaways))
        }
        api.add(settings) { input in
            let body = try input.decode(ManagerRole.self)
            try await giveaways.setManagerRole(body.managerRoleID, guild: input.guildID, actor: try actor(input), requestID: input.requestID)
            return APIJSON.response(ManagerRole(managerRoleID: try await giveaways.store.managerRole(guild: input.guildID)))
        }
    }
}
