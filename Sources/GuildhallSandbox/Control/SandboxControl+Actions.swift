import Foundation
import GuildhallCore
import GuildhallDiscordModels
import Hummingbird

/// Control API routes that change things: members acting, roles, entitlements, interactions,
/// gateway and REST faults, and the traffic generator.
extension SandboxControl {
    struct MessageAuthor: Decodable { var user_id: Snowflake }
    struct Reaction: Decodable { var user_id: Snowflake; var emoji: String }
    struct NewMember: Decodable { var user_id: Snowflake?; var username: String?; var role_ids: [Snowflake]? }
    struct VoiceUpdate: Decodable {
        var channel_id: Snowflake?
        var self_mute: Bool?
        var self_deaf: Bool?
        var mute: Bool?
        var deaf: Bool?
    }
    struct NewRole: Decodable { var name: String; var permissions: String?; var position: Int? }
    struct RoleChange: Decodable { var name: String?; var permissions: String?; var position: Int? }
    struct CommandInvocation: Decodable {
        var channel_id: Snowflake
        var user_id: Snowflake
        var name: String
        var type: Int?
        var options: [JSONValue]?
        var target_id: Snowflake?
    }
    struct ComponentClick: Decodable {
        var channel_id: Snowflake
        var message_id: Snowflake
        var user_id: Snowflake
        var custom_id: String
        var values: [String]?
    }
    struct Ping: Decodable { var valid_signature: Bool? }
    struct Grant: Decodable { var sku_id: Snowflake; var user_id: Snowflake?; var guild_id: Snowflake? }
    struct Drop: Decodable { var mode: SandboxDropMode?; var code: Int? }
    struct Invalidate: Decodable { var resumable: Bool? }
    struct FaultRequest: Decodable {
        var kind: SandboxRESTFault.Kind
        var route: String?
        var remaining: Int?
        var duration_seconds: Double?
        var status: Int?
        var retry_after: Double?
        var scope: String?
        var delay_ms: Int?
    }

    static func permissions(_ text: String?) throws -> UInt64? {
        guard let text else { return nil }
        guard let value = UInt64(text) else {
            throw SandboxAPIError.invalidFormBody(["permissions"], code: "NUMBER_TYPE_COERCE", message: "Value \"\(text)\" is not a permission bit set.")
        }
        return value
    }

    func registerActionRoutes(on router: Router<SandboxRequestContext>) {
        route(.post, "/channels/:channel_id/messages", on: router) { request, context in
            let body = try await SandboxHTTP.body(request, context: context)
            let author = try RequestBody.decode(MessageAuthor.self, bytes: body)
            let message = try postMessage(channelID: try Self.id(context, "channel_id"), userID: author.user_id, body: body)
            return SandboxHTTP.json(world.read { $0.messageJSON(message) }, status: .created)
        }
        route(.post, "/channels/:channel_id/messages/:message_id/reactions", on: router) { request, context in
            let reaction = try await Self.decode(Reaction.self, request, context)
            try react(channelID: try Self.id(context, "channel_id"), messageID: try Self.id(context, "message_id"), userID: reaction.user_id, emoji: reaction.emoji)
            return SandboxHTTP.empty()
        }
        route(.post, "/guilds/:guild_id/members", on: router) { request, context in
            let body = try await Self.decode(NewMember.self, request, context)
            let member = try addMember(guildID: try Self.id(context, "guild_id"), userID: body.user_id, username: body.username, roleIDs: body.role_ids ?? [])
            return SandboxHTTP.json(world.read { $0.memberJSON(member) }, status: .created)
        }
        route(.delete, "/guilds/:guild_id/members/:user_id", on: router) { _, context in
            try removeMember(guildID: try Self.id(context, "guild_id"), userID: try Self.id(context, "user_id"))
            return SandboxHTTP.empty()
        }
        route(.put, "/guilds/:guild_id/voice-states/:user_id", on: router) { request, context in
            let body = try await Self.decode(VoiceUpdate.self, request, context)
            try setVoiceState(
                guildID: try Self.id(context, "guild_id"), userID: try Self.id(context, "user_id"),
                SandboxState.VoiceChange(
                    channelID: body.channel_id, selfMute: body.self_mute ?? false, selfDeaf: body.self_deaf ?? false,
                    mute: body.mute ?? false, deaf: body.deaf ?? false
                )
            )
            return SandboxHTTP.empty()
        }
        route(.delete, "/guilds/:guild_id/bot", on: router) { _, context in
            try removeBot(guildID: try Self.id(context, "guild_id"))
            return SandboxHTTP.empty()
        }
        for (method, present) in [(HTTPRequest.Method.put, true), (.delete, false)] {
            route(method, "/guilds/:guild_id/members/:user_id/roles/:role_id", on: router) { _, context in
                try setRole(
                    guildID: try Self.id(context, "guild_id"), userID: try Self.id(context, "user_id"),
                    roleID: try Self.id(context, "role_id"), present: present
                )
                return SandboxHTTP.empty()
            }
        }
        route(.post, "/guilds/:guild_id/roles", on: router) { request, context in
            let body = try await Self.decode(NewRole.self, request, context)
            let role = try createRole(guildID: try Self.id(context, "guild_id"), name: body.name, permissions: try Self.permissions(body.permissions) ?? 0, position: body.position)
            return SandboxHTTP.json(world.read { $0.roleJSON(role) }, status: .created)
        }
        route(.patch, "/guilds/:guild_id/roles/:role_id", on: router) { request, context in
            let body = try await Self.decode(RoleChange.self, request, context)
            let role = try updateRole(
                guildID: try Self.id(context, "guild_id"), roleID: try Self.id(context, "role_id"), name: body.name,
                permissions: try Self.permissions(body.permissions), position: body.position
            )
            return SandboxHTTP.json(world.read { $0.roleJSON(role) })
        }
        route(.post, "/interactions/command", on: router) { request, context in
            let body = try await Self.decode(CommandInvocation.self, request, context)
            let interaction = try await invokeCommand(
                channelID: body.channel_id, userID: body.user_id, name: body.name, type: body.type ?? 1,
                options: body.options ?? [], targetID: body.target_id
            )
            return SandboxHTTP.json(world.read { $0.interactionJSON(interaction) }, status: .created)
        }
        route(.post, "/interactions/component", on: router) { request, context in
            let body = try await Self.decode(ComponentClick.self, request, context)
            let interaction = try await clickComponent(
                channelID: body.channel_id, messageID: body.message_id, userID: body.user_id, customID: body.custom_id, values: body.values
            )
            return SandboxHTTP.json(world.read { $0.interactionJSON(interaction) }, status: .created)
        }
        route(.post, "/interactions/ping", on: router) { request, context in
            let body = try await Self.decode(Ping.self, request, context)
            let (status, reply) = try await pingInteractionsEndpoint(validSignature: body.valid_signature ?? true)
            return SandboxHTTP.json(.object(["status": .integer(Int64(status)), "body": .string(String(decoding: reply, as: UTF8.self))]))
        }
        route(.post, "/entitlements", on: router) { request, context in
            let body = try await Self.decode(Grant.self, request, context)
            let entitlement = try grantEntitlement(skuID: body.sku_id, userID: body.user_id, guildID: body.guild_id)
            return SandboxHTTP.json(world.read { $0.entitlementJSON(entitlement) }, status: .created)
        }
        route(.post, "/entitlements/:id/expire", on: router) { _, context in
            let entitlement = try expireEntitlement(id: try Self.id(context, "id"))
            return SandboxHTTP.json(world.read { $0.entitlementJSON(entitlement) })
        }
        route(.delete, "/entitlements/:id", on: router) { _, context in
            let entitlement = try revokeEntitlement(id: try Self.id(context, "id"))
            return SandboxHTTP.json(world.read { $0.entitlementJSON(entitlement) })
        }
    }

    func registerFaultAndTrafficRoutes(on router: Router<SandboxRequestContext>) {
        @Sendable func shard(_ context: SandboxRequestContext) throws -> Int? {
            let text = context.parameters.get("shard") ?? ""
            if text == "all" { return nil }
            guard let value = Int(text), value >= 0 else {
                throw SandboxAPIError.invalidFormBody(["shard"], code: "NUMBER_TYPE_COERCE", message: "Use a shard number or \"all\".")
            }
            return value
        }
        @Sendable func affected(_ count: Int) -> Response { SandboxHTTP.json(.object(["connections": .integer(Int64(count))])) }
        route(.post, "/gateway/shards/:shard/drop", on: router) { request, context in
            let body = try await Self.decode(Drop.self, request, context)
            return affected(dropConnections(shard: try shard(context), mode: body.mode ?? .abrupt, closeCode: body.code ?? 4000))
        }
        route(.post, "/gateway/shards/:shard/reconnect", on: router) { _, context in affected(sendReconnect(shard: try shard(context))) }
        route(.post, "/gateway/shards/:shard/invalidate", on: router) { request, context in
            let body = try await Self.decode(Invalidate.self, request, context)
            return affected(invalidateSessions(shard: try shard(context), resumable: body.resumable ?? false))
        }
        route(.post, "/gateway/shards/:shard/heartbeat", on: router) { _, context in affected(requestHeartbeat(shard: try shard(context))) }

        route(.get, "/faults", on: router) { _, _ in SandboxHTTP.encoded(faults) }
        route(.post, "/faults", on: router) { request, context in
            let body = try await Self.decode(FaultRequest.self, request, context)
            let fault = try addFault(SandboxRESTFault(
                kind: body.kind, route: body.route ?? "*", remaining: body.remaining,
                expiresAt: body.duration_seconds.map { world.now + $0 }, status: body.status ?? 500,
                retryAfter: body.retry_after ?? 1, scope: body.scope ?? "shared", delayMilliseconds: body.delay_ms ?? 0
            ))
            return SandboxHTTP.encoded(fault, status: .created)
        }
        route(.delete, "/faults", on: router) { _, _ in
            clearFaults()
            return SandboxHTTP.empty()
        }
        route(.delete, "/faults/:id", on: router) { _, context in
            guard let id = Int(context.parameters.get("id") ?? ""), removeFault(id: id) else {
                throw SandboxAPIError(status: 404, code: 0, message: "No such fault.")
            }
            return SandboxHTTP.empty()
        }

        route(.get, "/traffic", on: router) { _, _ in SandboxHTTP.encoded(traffic.all) }
        route(.post, "/traffic", on: router) { request, context in
            SandboxHTTP.encoded(try traffic.start(try await Self.decode(SandboxTrafficPlan.self, request, context)), status: .created)
        }
        route(.get, "/traffic/:id", on: router) { _, context in
            guard let id = Int(context.parameters.get("id") ?? ""), let status = traffic.status(id: id) else {
                throw SandboxAPIError(status: 404, code: 0, message: "No such traffic run.")
            }
            return SandboxHTTP.encoded(status)
        }
        route(.delete, "/traffic/:id", on: router) { _, context in
            guard let id = Int(context.parameters.get("id") ?? ""), traffic.stop(id: id) else {
                throw SandboxAPIError(status: 404, code: 0, message: "No such traffic run.")
            }
            return SandboxHTTP.empty()
        }
    }
}
