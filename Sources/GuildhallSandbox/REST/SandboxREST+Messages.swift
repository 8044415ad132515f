import GuildhallCore
import GuildhallDiscordModels
import Hummingbird

/// Message and reaction routes.
extension SandboxREST {
    func registerMessageRoutes(on router: Router<SandboxRequestContext>) {
        register(.listMessages, on: router) { call in
            try world.read { state in
                let messages = try state.listMessages(
                    channelID: try call.id("channel_id"), query: call.query, by: state.application.botUserID, now: call.now
                )
                return SandboxHTTP.json(.array(messages.map(state.messageJSON)))
            }
        }
        register(.getMessage, on: router) { call in
            try world.read { state in
                let channel = try state.channel(try call.id("channel_id"))
                if let guild = channel.guildID.flatMap({ state.guilds[$0] }) {
                    let granted = state.permissions(of: state.application.botUserID, in: guild, channel: channel, now: call.now)
                    guard granted.contains(.viewChannel) else { throw SandboxAPIError.missingAccess }
                    guard granted.contains(.readMessageHistory) else { throw SandboxAPIError.missingPermissions }
                }
                return SandboxHTTP.json(state.messageJSON(try state.message(try call.id("message_id"), in: channel.id)))
            }
        }
        register(.createMessage, on: router) { call in
            try world.mutate { state, out in
                let (message, events) = try state.createMessage(channelID: try call.id("channel_id"), bytes: call.body, now: call.now)
                out += events
                return SandboxHTTP.json(state.messageJSON(message))
            }
        }
        register(.editMessage, on: router) { call in
            try world.mutate { state, out in
                let (message, events) = try state.editMessage(
                    channelID: try call.id("channel_id"), messageID: try call.id("message_id"), bytes: call.body, now: call.now
                )
                out += events
                return SandboxHTTP.json(state.messageJSON(message))
            }
        }
        register(.deleteMessage, on: router) { call in
            try world.mutate { state, out in
                out += try state.deleteMessage(channelID: try call.id("channel_id"), messageID: try call.id("message_id"), now: call.now)
                return SandboxHTTP.empty()
            }
        }
        register(.bulkDeleteMessages, on: router) { call in
            try world.mutate { state, out in
                out += try state.bulkDeleteMessages(channelID: try call.id("channel_id"), body: try RequestBody(bytes: call.body), now: call.now)
                return SandboxHTTP.empty()
            }
        }
        register(.addOwnReaction, on: router) { call in
            try world.mutate { state, out in
                out += try state.addReaction(
                    channelID: try call.id("channel_id"), messageID: try call.id("message_id"), emoji: call.text("emoji"),
                    userID: state.application.botUserID, now: call.now
                )
                return SandboxHTTP.empty()
            }
        }
        register(.removeOwnReaction, on: router) { call in
            try world.mutate { state, out in
                out += try state.removeReaction(
                    channelID: try call.id("channel_id"), messageID: try call.id("message_id"), emoji: call.text("emoji"),
                    userID: state.application.botUserID
                )
                return SandboxHTTP.empty()
            }
        }
        register(.listReactions, on: router) { call in
            try world.read { state in
                let ids = try state.reactionUsers(
                    channelID: try call.id("channel_id"), messageID: try call.id("message_id"), emoji: call.text("emoji"), query: call.query
                )
                return SandboxHTTP.json(.array(ids.map(state.userJSON)))
            }
        }
    }

    func registerApplicationRoutes(on router: Router<SandboxRequestContext>) {
        @Sendable func requireOwnApplication(_ call: RESTCall) throws {
            guard try call.id("application_id") == world.read({ $0.application.id }) else { throw SandboxAPIError.unknownApplication }
        }
        register(.listGlobalCommands, on: router) { call in
            try requireOwnApplication(call)
            return try world.read { state in SandboxHTTP.json(.array(try state.commands(guildID: nil).map(state.commandJSON))) }
        }
        register(.overwriteGlobalCommands, on: router) { call in
            try requireOwnApplication(call)
            return try world.mutate { state, _ in SandboxHTTP.json(.array(try state.overwriteCommands(guildID: nil, bytes: call.body).map(state.commandJSON))) }
        }
        register(.listGuildCommands, on: router) { call in
            try requireOwnApplication(call)
            return try world.read { state in SandboxHTTP.json(.array(try state.commands(guildID: try call.id("guild_id")).map(state.commandJSON))) }
        }
        register(.overwriteGuildCommands, on: router) { call in
            try requireOwnApplication(call)
            return try world.mutate { state, _ in
                SandboxHTTP.json(.array(try state.overwriteCommands(guildID: try call.id("guild_id"), bytes: call.body).map(state.commandJSON)))
            }
        }
        register(.createInteractionResponse, access: .open, on: router) { call in
            let deadline = SandboxTimes.seconds(world.configuration.interactionResponseDeadline)
            let withResponse = SandboxState.queryBool(call.query, "with_response") ?? false
            let interactionID = try call.id("interaction_id")
            let token = call.text("interaction_token")
            let parsed = SandboxState.ParsedResponse(bytes: call.body)
            let body = try world.mutate { state, out in
                let (body, events) = try state.respond(
                    interactionID: interactionID, token: token, parsed: parsed, deadline: deadline, now: call.now, withResponse: withResponse
                )
                out += events
                return body
            }
            world.answeredInteractions.wrappingAdd(1, ordering: .relaxed)
            return body.map { SandboxHTTP.json($0) } ?? SandboxHTTP.empty()
        }
        let lifetime = SandboxTimes.seconds(world.configuration.interactionTokenLifetime)
        register(.executeWebhook, access: .open, on: router) { call in
            try world.mutate { state, out in
                let (message, events) = try state.followUp(
                    applicationID: try call.id("application_id"), token: call.text("interaction_token"), bytes: call.body,
                    lifetime: lifetime, now: call.now
                )
                out += events
                return SandboxHTTP.json(state.messageJSON(message))
            }
        }
        register(.getWebhookMessage, access: .open, on: router) { call in
            try world.read { state in
                SandboxHTTP.json(state.messageJSON(try state.webhookMessage(
                    applicationID: try call.id("application_id"), token: call.text("interaction_token"),
                    messageID: call.text("message_id"), lifetime: lifetime, now: call.now
                )))
            }
        }
        register(.editWebhookMessage, access: .open, on: router) { call in
            try world.mutate { state, out in
                let (message, events) = try state.editWebhookMessage(
                    applicationID: try call.id("application_id"), token: call.text("interaction_token"),
                    messageID: call.text("message_id"), bytes: call.body, lifetime: lifetime, now: call.now
                )
                out += events
                return SandboxHTTP.json(state.messageJSON(message))
            }
        }
        register(.deleteWebhookMessage, access: .open, on: router) { call in
            try world.mutate { state, out in
                out += try state.deleteWebhookMessage(
                    applicationID: try call.id("application_id"), token: call.text("interaction_token"),
                    messageID: call.text("message_id"), lifetime: lifetime, now: call.now
                )
                return SandboxHTTP.empty()
            }
        }
        register(.listEntitlements, on: router) { call in
            try requireOwnApplication(call)
            return try world.read { state in
                SandboxHTTP.json(.array(try state.listEntitlements(query: call.query, now: call.now).map(state.entitlementJSON)))
            }
        }
        register(.createTestEntitlement, on: router) { call in
            try requireOwnApplication(call)
            return try world.mutate { state, out in
                let (entitlement, events) = try state.createTestEntitlement(bytes: call.body)
                out += events
                return SandboxHTTP.json(state.entitlementJSON(entitlement))
            }
        }
        register(.deleteTestEntitlement, on: router) { call in
            try requireOwnApplication(call)
            return try world.mutate { state, out in
                out += try state.deleteTestEntitlement(id: try call.id("entitlement_id"))
                return SandboxHTTP.empty()
            }
        }
        register(.consumeEntitlement, on: router) { call in
            try requireOwnApplication(call)
            return try world.mutate { state, _ in
                try state.consumeEntitlement(id: try call.id("entitlement_id"))
                return SandboxHTTP.empty()
            }
        }
    }
}

enum SandboxTimes {
    static func seconds(_ duration: Duration) -> Double {
        let (whole, fraction) = duration.components
        return Double(whole) + Double(fraction) / 1e18
    }
}
