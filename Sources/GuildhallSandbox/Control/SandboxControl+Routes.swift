import Foundation
import GuildhallCore
import GuildhallDiscordModels
import HTTPTypes
import Hummingbird

/// The control API's HTTP face under `/_sandbox` (documented in docs/sandbox.md). Bodies
/// are JSON; errors use Discord's `{code, message, errors?}` shape.
extension SandboxControl {
    typealias ControlHandler = @Sendable (Request, SandboxRequestContext) async throws -> Response

    func route(_ method: HTTPRequest.Method, _ path: String, on router: Router<SandboxRequestContext>, _ handler: @escaping ControlHandler) {
        router.on(RouterPath("/_sandbox" + path), method: method) { request, context in
            do {
                return try await handler(request, context)
            } catch let error as SandboxAPIError {
                return SandboxHTTP.error(error)
            } catch let error as GuildhallError {
                return SandboxHTTP.error(SandboxAPIError(status: error.code == .notFound ? 404 : 400, code: 50035, message: error.message))
            } catch let error as DecodingError {
                return SandboxHTTP.error(RequestBody.formError(error, below: []))
            }
        }
    }

    static func decode<T: Decodable>(_ type: T.Type, _ request: Request, _ context: SandboxRequestContext) async throws -> T {
        try RequestBody.decode(type, bytes: try await SandboxHTTP.body(request, context: context))
    }

    static func id(_ context: SandboxRequestContext, _ name: String) throws -> Snowflake {
        let text = context.parameters.get(name) ?? ""
        guard let id = Snowflake(text) else {
            throw SandboxAPIError.invalidFormBody([name], code: "NUMBER_TYPE_COERCE", message: "Value \"\(text)\" is not snowflake.")
        }
        return id
    }

    func register(on router: Router<SandboxRequestContext>) {
        registerStateRoutes(on: router)
        registerActionRoutes(on: router)
        registerFaultAndTrafficRoutes(on: router)
    }

    private func registerStateRoutes(on router: Router<SandboxRequestContext>) {
        route(.get, "/state", on: router) { _, _ in SandboxHTTP.json(stateJSON()) }
        route(.get, "/guilds", on: router) { _, _ in
            SandboxHTTP.json(world.read { state in .array(state.orderedGuilds.map { state.guildSummaryJSON($0) }) })
        }
        route(.get, "/guilds/:guild_id", on: router) { _, context in
            let id = try Self.id(context, "guild_id")
            return try world.read { state in SandboxHTTP.json(state.guildDetailJSON(try state.guild(id))) }
        }
        route(.get, "/guilds/:guild_id/members", on: router) { _, context in
            let id = try Self.id(context, "guild_id")
            let now = world.now
            return try world.read { state in
                let guild = try state.guild(id)
                return SandboxHTTP.json(.array(guild.orderedMembers.map { member in
                    SandboxWire.set(state.memberJSON(member), "permissions",
                                    .string(String(state.permissions(of: member.userID, in: guild, channel: nil, now: now).rawValue)))
                }))
            }
        }
        route(.get, "/guilds/:guild_id/bans", on: router) { _, context in
            let id = try Self.id(context, "guild_id")
            return try world.read { state in
                SandboxHTTP.json(.array(try state.guild(id).bans.values.sorted { $0.userID < $1.userID }.map(state.banJSON)))
            }
        }
        route(.get, "/guilds/:guild_id/audit-log", on: router) { _, context in
            let id = try Self.id(context, "guild_id")
            return try world.read { state in
                SandboxHTTP.json(.array(try state.guild(id).auditLog.map { entry in
                    .object([
                        "action": .string(entry.action), "target_id": entry.targetID.map { .string($0.description) } ?? .null,
                        "reason": entry.reason.map { .string($0) } ?? .null, "at": .string(entry.at.iso8601),
                    ])
                }))
            }
        }
        route(.get, "/channels/:channel_id/messages", on: router) { _, context in
            let id = try Self.id(context, "channel_id")
            return try world.read { state in
                _ = try state.channel(id)
                return SandboxHTTP.json(.array((state.channelMessages[id] ?? []).compactMap { state.messages[$0] }.map(state.messageJSON)))
            }
        }
        route(.get, "/commands", on: router) { _, _ in
            SandboxHTTP.json(world.read { state in
                var perGuild: [String: JSONValue] = [:]
                for (guildID, commands) in state.guildCommands { perGuild[guildID.description] = .array(commands.map(state.commandJSON)) }
                return .object(["global": .array(state.globalCommands.map(state.commandJSON)), "guilds": .object(perGuild)])
            })
        }
        route(.get, "/interactions", on: router) { _, _ in
            SandboxHTTP.json(world.read { state in .array(state.interactionOrder.compactMap { state.interactions[$0] }.map(state.interactionJSON)) })
        }
        route(.get, "/interactions/:id", on: router) { _, context in
            let id = try Self.id(context, "id")
            return try world.read { state in
                guard let interaction = state.interactions[id] else { throw SandboxAPIError.unknownInteraction }
                return SandboxHTTP.json(state.interactionJSON(interaction))
            }
        }
        route(.get, "/entitlements", on: router) { _, _ in
            SandboxHTTP.json(world.read { state in .array(state.entitlementOrder.compactMap { state.entitlements[$0] }.map(state.entitlementJSON)) })
        }
        route(.get, "/skus", on: router) { _, _ in
            SandboxHTTP.json(world.read { state in .array(state.skus.map(state.skuJSON)) })
        }
        route(.get, "/users", on: router) { _, _ in
            SandboxHTTP.json(world.read { state in .array(state.oauthUserIDs.map { state.personaJSON($0) }) })
        }
        route(.get, "/gateway/sessions", on: router) { _, _ in SandboxHTTP.encoded(sessions) }
    }

    /// The overview: application credentials, guilds, sessions, REST counters.
    func stateJSON() -> JSONValue {
        let statistics = restStatistics
        let sessions = SandboxWire.json(self.sessions)
        let traffic = SandboxWire.json(self.traffic.all)
        return world.read { state in
            .object([
                "application": .object([
                    "id": .string(state.application.id.description), "name": .string(state.application.name),
                    "bot_user_id": .string(state.application.botUserID.description), "token": .string(state.application.token),
                    "public_key": .string(state.application.publicKeyHex), "client_secret": .string(state.application.clientSecret),
                    "owner_id": .string(state.application.ownerID.description),
                ]),
                "seed": .string(String(world.configuration.seed)),
                "urls": .object([
                    "base": .string(world.baseURL), "gateway": .string(world.gatewayURL), "resume": .string(world.resumeGatewayURL),
                ]),
                "guilds": .array(state.orderedGuilds.map { state.guildSummaryJSON($0) }),
                "oauth_users": .array(state.oauthUserIDs.map { state.personaJSON($0) }),
                "skus": .array(state.skus.map(state.skuJSON)),
                "sessions": sessions,
                "rest": .object([
                    "requests": .integer(Int64(statistics.requests)), "rate_limited": .integer(Int64(statistics.rateLimited)),
                    "faulted": .integer(Int64(statistics.faulted)),
                    "invalid_last_10_minutes": .integer(Int64(statistics.invalidLastTenMinutes)),
                ]),
                "traffic": traffic,
                "dispatched": .integer(Int64(world.hub.dispatchedCount)),
                "identify_refusals": .integer(Int64(identifyRefusals)),
            ])
        }
    }
}
