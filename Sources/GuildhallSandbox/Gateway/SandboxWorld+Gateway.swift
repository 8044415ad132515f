import GuildhallCore
import GuildhallDiscordModels

/// What the gateway asks of the world: READY and the GUILD_CREATEs of a new session,
/// replay on resume, and member chunks, all under the world's lock so no change slips
/// between a session's snapshot and its first dispatch.
extension SandboxWorld {
    /// Starts a session for a checked Identify.
    func startSession(_ identify: GatewayIdentify, connection: GatewayConnection) -> GatewayHub.StartOutcome {
        let shardID = identify.shard?.id ?? 0
        let shardCount = identify.shard?.count ?? 1
        let intents = identify.intents.rawValue
        let largeThreshold = min(250, max(50, identify.largeThreshold ?? 50))
        let resumeURL = resumeGatewayURL
        let now = self.now
        return read { state in
            hub.start(shardID: shardID, shardCount: shardCount, intents: intents, connection: connection, now: now) { sessionID in
                let guilds = state.orderedGuilds.filter { $0.id.shard(count: shardCount) == shardID }
                let ready = GatewayReady(
                    user: state.userModel(state.botUser), guilds: guilds.map { UnavailableGuild(id: $0.id) },
                    sessionID: sessionID, resumeGatewayURL: resumeURL, shard: identify.shard,
                    application: .init(id: state.application.id, flags: 0)
                )
                var readyJSON = SandboxWire.set(SandboxWire.json(ready), "user", state.ownUserJSON(state.application.botUserID, includeEmail: false))
                readyJSON = SandboxWire.complete(readyJSON, with: [
                    "user_settings": .object([:]), "session_type": .string("normal"), "relationships": .array([]),
                    "private_channels": .array([]), "presences": .array([]), "guild_join_requests": .array([]),
                    "geo_ordered_rtc_regions": .array([.string("sandbox")]), "auth": .object([:]),
                ])
                var initial: [(name: String, data: [UInt8])] = [("READY", SandboxWire.bytes(readyJSON))]
                if intents & SandboxIntents.guilds != 0 {
                    for guild in guilds {
                        initial.append(("GUILD_CREATE", SandboxWire.bytes(state.guildCreateJSON(guild, intents: intents, largeThreshold: largeThreshold))))
                    }
                }
                return initial
            }
        }
    }

    func resumeSession(_ resume: GatewayResume, connection: GatewayConnection) -> GatewayHub.ResumeOutcome {
        read { _ in hub.resume(sessionID: resume.sessionID, sequence: resume.sequence, connection: connection, now: now) }
    }

    /// Answers Request Guild Members (op 8) with GUILD_MEMBERS_CHUNK dispatches to `sessionID`.
    /// Asking for every member needs GUILD_MEMBERS, as on Discord; without it nothing comes.
    func requestGuildMembers(_ request: GatewayRequestGuildMembers, sessionID: String, intents: UInt64) {
        try? mutate { state, out in
            guard let guild = state.guilds[request.guildID] else { return }
            var members: [SandboxMember]
            var notFound: [Snowflake] = []
            if let ids = request.userIDs {
                members = ids.compactMap { guild.members[$0] }
                notFound = ids.filter { guild.members[$0] == nil }
            } else {
                guard intents & SandboxIntents.guildMembers != 0 || !(request.query ?? "").isEmpty else { return }
                let query = (request.query ?? "").lowercased()
                members = guild.orderedMembers.filter { member in
                    query.isEmpty || (state.users[member.userID]?.username.lowercased().hasPrefix(query) ?? false)
                }
                if request.limit > 0 { members = Array(members.prefix(request.limit)) }
            }
            let chunks = stride(from: 0, to: max(members.count, 1), by: 1_000).map { Array(members[$0..<min($0 + 1_000, members.count)]) }
            for (index, chunk) in chunks.enumerated() {
                var data: [String: JSONValue] = [
                    "guild_id": .string(guild.id.description), "members": .array(chunk.map { state.memberJSON($0) }),
                    "chunk_index": .integer(Int64(index)), "chunk_count": .integer(Int64(chunks.count)),
                ]
                if index == 0, !notFound.isEmpty { data["not_found"] = .array(notFound.map { .string($0.description) }) }
                if let nonce = request.nonce { data["nonce"] = .string(nonce) }
                var dispatch = state.event("GUILD_MEMBERS_CHUNK", guild: guild.id, intents: 0, .object(data))
                dispatch.sessionID = sessionID
                out.append(dispatch)
            }
        }
    }
}
