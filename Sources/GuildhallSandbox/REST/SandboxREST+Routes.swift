import Foundation
import GuildhallCore
import GuildhallDiscordModels
import Hummingbird

/// The gateway, user and guild routes.
extension SandboxREST {
    func registerRoutes(on router: Router<SandboxRequestContext>) {
        registerGatewayAndUserRoutes(on: router)
        registerGuildRoutes(on: router)
        registerMessageRoutes(on: router)
        registerApplicationRoutes(on: router)
    }

    private func registerGatewayAndUserRoutes(on router: Router<SandboxRequestContext>) {
        register(.getGateway, access: .open, on: router) { _ in
            SandboxHTTP.json(.object(["url": .string(world.gatewayURL)]))
        }
        register(.getGatewayBot, on: router) { call in
            let hub = world.hub
            let info = GatewayBotInfo(
                url: world.gatewayURL, shards: world.configuration.recommendedShards,
                sessionStartLimit: .init(
                    total: hub.sessionStartLimit, remaining: hub.sessionStartsRemaining,
                    resetAfter: hub.sessionStartResetAfter(now: call.now), maxConcurrency: hub.maxConcurrency
                )
            )
            return SandboxHTTP.encoded(info)
        }
        register(.getCurrentUser, access: .botOrBearer(scope: "identify"), on: router) { call in
            world.read { state in
                switch call.caller {
                case .bearer(_, let grant):
                    SandboxHTTP.json(state.ownUserJSON(grant.userID, includeEmail: grant.scopes.contains("email")))
                default:
                    SandboxHTTP.json(state.ownUserJSON(state.application.botUserID, includeEmail: false))
                }
            }
        }
        register(.listCurrentUserGuilds, access: .botOrBearer(scope: "guilds"), on: router) { call in
            let limit = try SandboxState.queryInteger(call.query, "limit", range: 1...200) ?? 200
            let before = try SandboxState.querySnowflake(call.query, "before")
            let after = try SandboxState.querySnowflake(call.query, "after")
            let withCounts = SandboxState.queryBool(call.query, "with_counts") ?? false
            return world.read { state in
                let userID: Snowflake = if case .bearer(_, let grant) = call.caller { grant.userID } else { state.application.botUserID }
                var ids = state.guildIDs(of: userID).sorted()
                if let before { ids = ids.filter { $0 < before } }
                if let after { ids = ids.filter { $0 > after } }
                ids = Array(before != nil ? ids.suffix(limit) : ids.prefix(limit))
                return SandboxHTTP.json(.array(ids.compactMap { state.guilds[$0] }.map {
                    state.myGuildJSON($0, userID: userID, withCounts: withCounts)
                }))
            }
        }
        register(.getCurrentApplication, on: router) { _ in
            SandboxHTTP.json(world.read { $0.applicationJSON(interactionsEndpoint: world.configuration.interactionsEndpointURL) })
        }
        register(.getCurrentAuthorization, access: .botOrBearer(scope: "identify"), on: router) { call in
            guard case .bearer(_, let grant) = call.caller else { throw SandboxAPIError.unauthorized }
            return world.read { state in
                SandboxHTTP.json(.object([
                    "application": state.applicationJSON(interactionsEndpoint: nil),
                    "scopes": .array(grant.scopes.map { .string($0) }),
                    "expires": .string(SandboxState.timestamp(grant.expiresAt).iso8601),
                    "user": state.userJSON(grant.userID),
                ]))
            }
        }
        register(.createDM, on: router) { call in
            let body = try RequestBody(bytes: call.body)
            guard let recipient = try body.snowflake("recipient_id") else {
                throw SandboxAPIError.invalidFormBody(["recipient_id"], code: "BASE_TYPE_REQUIRED", message: "This field is required")
            }
            return try world.mutate { state, _ in
                let channel = try state.openDM(with: recipient)
                return SandboxHTTP.json(state.channelJSON(channel))
            }
        }
    }

    private func registerGuildRoutes(on router: Router<SandboxRequestContext>) {
        register(.getGuild, on: router) { call in
            let withCounts = SandboxState.queryBool(call.query, "with_counts") ?? false
            return try world.read { state in SandboxHTTP.json(state.guildJSON(try state.guild(try call.id("guild_id")), withCounts: withCounts)) }
        }
        register(.listGuildChannels, on: router) { call in
            try world.read { state in
                let guild = try state.guild(try call.id("guild_id"))
                return SandboxHTTP.json(.array(guild.channelIDs.compactMap { state.channels[$0] }.map(state.channelJSON)))
            }
        }
        register(.getChannel, on: router) { call in
            try world.read { state in
                let channel = try state.channel(try call.id("channel_id"))
                if let guild = channel.guildID.flatMap({ state.guilds[$0] }),
                   !state.permissions(of: state.application.botUserID, in: guild, channel: channel, now: call.now).contains(.viewChannel)
                {
                    throw SandboxAPIError.missingAccess
                }
                return SandboxHTTP.json(state.channelJSON(channel))
            }
        }
        register(.listRoles, on: router) { call in
            try world.read { state in SandboxHTTP.json(.array(try state.guild(try call.id("guild_id")).orderedRoles.map(state.roleJSON))) }
        }
        register(.createRole, on: router) { call in
            try world.mutate { state, out in
                let (role, events) = try state.createRole(guildID: try call.id("guild_id"), body: try RequestBody(bytes: call.body), reason: call.reason, now: call.now)
                out += events
                return SandboxHTTP.json(state.roleJSON(role))
            }
        }
        register(.listMembers, on: router) { call in
            try world.read { state in
                let members = try state.listMembers(
                    guildID: try call.id("guild_id"), query: call.query, privilegedIntents: world.configuration.enabledPrivilegedIntents
                )
                return SandboxHTTP.json(.array(members.map { state.memberJSON($0) }))
            }
        }
        register(.getMember, on: router) { call in
            try world.read { state in SandboxHTTP.json(state.memberJSON(try state.member(try call.id("user_id"), in: try call.id("guild_id")))) }
        }
        register(.modifyMember, on: router) { call in
            try world.mutate { state, out in
                let (member, events) = try state.modifyMember(
                    guildID: try call.id("guild_id"), userID: try call.id("user_id"), bytes: call.body, reason: call.reason, now: call.now
                )
                out += events
                return SandboxHTTP.json(state.memberJSON(member))
            }
        }
        register(.kickMember, on: router) { call in
            try world.mutate { state, out in
                out += try state.kickMember(guildID: try call.id("guild_id"), userID: try call.id("user_id"), reason: call.reason, now: call.now)
                return SandboxHTTP.empty()
            }
        }
        for (route, add) in [(SandboxRoute.addMemberRole, true), (.removeMemberRole, false)] {
            register(route, on: router) { call in
                try world.mutate { state, out in
                    out += try state.changeMemberRole(
                        guildID: try call.id("guild_id"), userID: try call.id("user_id"), roleID: try call.id("role_id"),
                        add: add, reason: call.reason, now: call.now
                    )
                    return SandboxHTTP.empty()
                }
            }
        }
        register(.listBans, on: router) { call in
            try world.read { state in SandboxHTTP.json(.array(try state.bans(guildID: try call.id("guild_id"), now: call.now).map(state.banJSON))) }
        }
        register(.getBan, on: router) { call in
            try world.read { state in
                let guildID = try call.id("guild_id"), userID = try call.id("user_id")
                try state.requireBotPermission(.banMembers, in: try state.guild(guildID), now: call.now)
                guard let ban = state.guilds[guildID]?.bans[userID] else { throw SandboxAPIError.unknownBan }
                return SandboxHTTP.json(state.banJSON(ban))
            }
        }
        register(.createBan, on: router) { call in
            try world.mutate { state, out in
                out += try state.banMember(
                    guildID: try call.id("guild_id"), userID: try call.id("user_id"), bytes: call.body, reason: call.reason, now: call.now
                )
                return SandboxHTTP.empty()
            }
        }
        register(.removeBan, on: router) { call in
            try world.mutate { state, out in
                out += try state.unbanMember(guildID: try call.id("guild_id"), userID: try call.id("user_id"), reason: call.reason, now: call.now)
                return SandboxHTTP.empty()
            }
        }
    }
}

extension SandboxState {
    /// The DM channel between the bot and `userID`, made on first use.
    mutating func openDM(with userID: Snowflake) throws(SandboxAPIError) -> SandboxChannel {
        let user = try user(userID)
        guard !user.isBot else { throw .cannotDM }
        if let existing = dmChannelByUser[userID], let channel = channels[existing] { return channel }
        let channel = SandboxChannel(
            id: nextID(), kind: .dm, guildID: nil, name: "", position: 0, parentID: nil, topic: nil, overwrites: [],
            lastMessageID: nil, recipientID: userID
        )
        channels[channel.id] = channel
        dmChannelByUser[userID] = channel.id
        return channel
    }

    /// The application object (`GET /oauth2/applications/@me`).
    func applicationJSON(interactionsEndpoint: URL?) -> JSONValue {
        .object([
            "id": .string(application.id.description), "name": .string(application.name), "icon": .null,
            "description": .string("The sandbox Discord's application"), "type": .null, "bot_public": .bool(true),
            "bot_require_code_grant": .bool(false), "verify_key": .string(application.publicKeyHex), "flags": .integer(0),
            "flags_new": .string("0"), "redirect_uris": .array([]),
            "interactions_endpoint_url": interactionsEndpoint.map { .string($0.absoluteString) } ?? .null,
            "role_connections_verification_url": .null, "owner": userJSON(application.ownerID),
            "approximate_guild_count": .integer(Int64(guilds.count)), "approximate_user_install_count": .integer(0),
            "approximate_user_authorization_count": .integer(0), "explicit_content_filter": .integer(0), "team": .null,
            "eligible_oauth2_scopes": .array(["identify", "email", "guilds", "bot", "applications.commands"].map { .string($0) }),
            "bot": userJSON(application.botUserID),
        ])
    }
}
