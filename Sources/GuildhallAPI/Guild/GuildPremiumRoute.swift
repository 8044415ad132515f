import Foundation
import GuildhallCore
import GuildhallPremium
import Hummingbird

/// A guild's plan for the dashboard: its tier, where it comes from, when it ends, the grace
/// period, and the limits every feature reads.
public enum GuildPremiumRoute {
    /// The route with the plan table's limits: `{"<feature>": {"<limit>": number or boolean}}`.
    static func route(plans: PlanTable) -> APIRoute {
        let byFeature = Dictionary(grouping: plans.rows, by: \.limit.feature)
        let limits = APISchema.object(
            byFeature.mapValues { rows in
                APISchema.object(
                    Dictionary(uniqueKeysWithValues: rows.map { row in
                        (row.limit.name, { if case .count = row.free { return APISchema.integer(minimum: 0) } else { return APISchema.boolean } }())
                    }),
                    required: Set(rows.map(\.limit.name))
                )
            },
            required: Set(byFeature.keys)
        )
        return APIRoute(
            .get, "/api/v1/guilds/{guild_id}/premium", operationID: "getPremium", summary: "The guild's plan and each registered feature's limits on it.",
            tag: "guilds", access: .guild(.view), pathParameters: ["guild_id": .snowflake],
            answers: [200: .init("The plan.", schema: .object([
                "tier": .string(values: PremiumTier.allCases.map(\.rawValue)), "source": .string(values: ["discord", "operator", "none"]),
                "ends_ms": .nullable(.timestamp), "grace_until_ms": .nullable(.timestamp), "limits": limits,
            ], required: ["tier", "source", "ends_ms", "grace_until_ms", "limits"]))]
        )
    }

    struct View: Encodable {
        var tier: String, source: String, endsMS: Int64?, graceUntilMS: Int64?, limits: TierLimits
        enum CodingKeys: String, CodingKey { case tier, source, endsMS = "ends_ms", graceUntilMS = "grace_until_ms", limits }
        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(tier, forKey: .tier)
            try container.encode(source, forKey: .source)
            try container.encode(endsMS, forKey: .endsMS)
            try container.encode(graceUntilMS, forKey: .graceUntilMS)
            try container.encode(limits, forKey: .limits)
        }
    }

    static func milliseconds(_ date: Date?) -> Int64? { date.map { Int64($0.timeIntervalSince1970 * 1_000) } }

    public static func register<Context: RequestContext>(on api: APIRouter<Context>, premium: PremiumService) {
        api.add(route(plans: premium.plans)) { input in
            let status = try await premium.status(guild: input.guildID)
            return APIJSON.response(View(
                tier: status.tier.rawValue, source: status.source.rawValue, endsMS: milliseconds(status.endsAt),
                graceUntilMS: milliseconds(status.graceUntil), limits: status.limits
            ))
        }
    }
}
