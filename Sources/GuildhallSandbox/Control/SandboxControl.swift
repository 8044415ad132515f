import Foundation
import GuildhallCore
import GuildhallDiscordModels

/// Everything the control API (`/_sandbox/…`) does, for in-process callers too: act as
/// members, drive entitlements, switch faults, and generate traffic. Failures are the
/// Discord-shaped `SandboxAPIError` (an unknown guild is 10004, and so on).
public struct SandboxControl: Sendable {
    public let world: SandboxWorld
    public let traffic: SandboxTrafficGenerator
    let gate: SandboxRESTGate

    init(world: SandboxWorld, gate: SandboxRESTGate) {
        self.world = world
        self.gate = gate
        traffic = SandboxTrafficGenerator(world: world)
    }

    // MARK: Members acting

    /// Posts a message as `userID` (JSON message fields in `body`, as `POST /channels/{id}/messages`
    /// takes them). Dispatches MESSAGE_CREATE to the guild's shard.
    public func postMessage(channelID: Snowflake, userID: Snowflake, body: [UInt8]) throws -> SandboxMessage {
        let now = world.now
        return try world.mutate { state, out in
            let (message, events) = try state.postAsMember(channelID: channelID, userID: userID, bytes: body, now: now)
            out += events
            return message
        }
    }

    public func postMessage(channelID: Snowflake, userID: Snowflake, content: String) throws -> SandboxMessage {
        try postMessage(channelID: channelID, userID: userID, body: SandboxWire.bytes(.object(["content": .string(content)])))
    }

    /// A member reacts (MESSAGE_REACTION_ADD), e.g. to enter a giveaway.
    public func react(channelID: Snowflake, messageID: Snowflake, userID: Snowflake, emoji: String) throws {
        let now = world.now
        try world.mutate { state, out in
            out += try state.addReaction(channelID: channelID, messageID: messageID, emoji: emoji, userID: userID, now: now)
        }
    }

    public func unreact(channelID: Snowflake, messageID: Snowflake, userID: Snowflake, emoji: String) throws {
        try world.mutate { state, out in
            out += try state.removeReaction(channelID: channelID, messageID: messageID, emoji: emoji, userID: userID)
        }
    }

    // MARK: Interactions

    /// A member runs a command. It goes to the bot as INTERACTION_CREATE, or as a signed POST
    /// when an interactions endpoint is configured (an inline JSON answer counts as the callback).
    public func invokeCommand(
        channelID: Snowflake, userID: Snowflake, name: String, type: Int = 1, options: [JSONValue] = [], targetID: Snowflake? = nil
    ) async throws -> SandboxInteraction {
        let now = world.now
        let endpoint = world.configuration.interactionsEndpointURL
        let interaction = try world.mutate { state, out in
            let interaction = try state.startCommandInteraction(
                channelID: channelID, userID: userID, name: name, type: type, options: options, targetID: targetID, now: now
            )
            if endpoint == nil { out.append(state.interactionEvent(interaction)) }
            return interaction
        }
        return try await deliver(interaction)
    }

    /// A member clicks a button (or picks `values` in a select menu) on one of the bot's messages.
    public func clickComponent(
        channelID: Snowflake, messageID: Snowflake, userID: Snowflake, customID: String, values: [String]? = nil
    ) async throws -> SandboxInteraction {
        let now = world.now
        let endpoint = world.configuration.interactionsEndpointURL
        let interaction = try world.mutate { state, out in
            let interaction = try state.startComponentInteraction(
                channelID: channelID, messageID: messageID, userID: userID, customID: customID, values: values, now: now
            )
            if endpoint == nil { out.append(state.interactionEvent(interaction)) }
            return interaction
        }
        return try await deliver(interaction)
    }

    private func deliver(_ interaction: SandboxInteraction) async throws -> SandboxInteraction {
        guard let endpoint = world.configuration.interactionsEndpointURL else { return interaction }
        let delivery = try InteractionDelivery(endpoint: endpoint, signingKeySeed: world.read { $0.application.signingKeySeed })
        var status: Int?
        var inline: [UInt8]?
        do {
            let reply = try await delivery.post(SandboxWire.bytes(interaction.payload), now: world.now)
            status = reply.status
            if reply.status == 200, !reply.body.isEmpty { inline = reply.body }
        } catch {
            world.configuration.logger.warning("interactions endpoint did not answer", metadata: ["error": "\(error)"])
        }
        let now = world.now
        let id = interaction.id
        let recordedStatus = status
        let parsed = inline.map(SandboxState.ParsedResponse.init(bytes:))
        try world.mutate { state, out in
            state.interactions[id]?.delivery = .http(status: recordedStatus)
            if let parsed, let record = state.interactions[id] {
                // An inline answer is the callback, checked like one (no deadline: it came in time).
                let (_, events) = try state.respond(
                    interactionID: id, token: record.token, parsed: parsed, deadline: .infinity, now: now, withResponse: false
                )
                out += events
            }
        }
        if parsed != nil { world.answeredInteractions.wrappingAdd(1, ordering: .relaxed) }
        return world.read { $0.interactions[id] } ?? interaction
    }

    /// Sends a PING to the interactions endpoint, signed or deliberately mis-signed, as Discord
    /// does when the URL is saved; returns the status and body the bot answered with.
    public func pingInteractionsEndpoint(validSignature: Bool) async throws -> (status: Int, body: [UInt8]) {
        guard let endpoint = world.configuration.interactionsEndpointURL else {
            throw SandboxAPIError(status: 400, code: 0, message: "No interactions endpoint is configured.")
        }
        let (seed, applicationID) = world.read { ($0.application.signingKeySeed, $0.application.id) }
        let id = try world.mutate { state, _ in state.nextID() }
        let ping: JSONValue = .object([
            "id": .string(id.description), "application_id": .string(applicationID.description), "type": .integer(1),
            "token": .string("sandbox.ping." + SandboxOAuthLedger.randomToken(length: 40)), "version": .integer(1),
            "user": world.read { $0.userJSON($0.application.ownerID) },
        ])
        let reply = try await InteractionDelivery(endpoint: endpoint, signingKeySeed: seed)
            .post(SandboxWire.bytes(ping), validSignature: validSignature, now: world.now)
        return (reply.status, reply.body)
    }

    public func interaction(_ id: Snowflake) -> SandboxInteraction? { world.read { $0.interactions[id] } }

    /// How many interactions the bot has answered (callbacks and inline HTTP answers) since
    /// the sandbox started; reading it takes no lock.
    public var answeredCount: Int { world.answeredInteractions.load(ordering: .relaxed) }

    // MARK: Members and roles

    public func addMember(guildID: Snowflake, userID: Snowflake? = nil, username: String? = nil, roleIDs: [Snowflake] = []) throws -> SandboxMember {
        let now = world.now
        return try world.mutate { state, out in
            let (member, events) = try state.addMember(guildID: guildID, userID: userID, username: username, roleIDs: roleIDs, now: now)
            out += events
            return member
        }
    }

    public func removeMember(guildID: Snowflake, userID: Snowflake) throws {
        try world.mutate { state, out in out += try state.removeMember(guildID: guildID, userID: userID) }
    }

    /// A member joins, moves in, mutes or deafens in, or (channel nil) leaves voice:
    /// VOICE_STATE_UPDATE goes to the guild's shard when something changed.
    public func setVoiceState(guildID: Snowflake, userID: Snowflake, _ change: SandboxState.VoiceChange) throws {
        let now = world.now
        try world.mutate { state, out in out += try state.setVoiceState(guildID: guildID, userID: userID, change, now: now) }
    }

    /// Removes the bot from a guild (a kick): GUILD_DELETE goes to the guild's shard.
    public func removeBot(guildID: Snowflake) throws {
        try world.mutate { state, out in out += try state.removeBot(guildID: guildID) }
    }

    public func setRole(guildID: Snowflake, userID: Snowflake, roleID: Snowflake, present: Bool) throws {
        try world.mutate { state, out in
            out += try state.setMemberRole(guildID: guildID, userID: userID, roleID: roleID, present: present)
        }
    }

    public func createRole(guildID: Snowflake, name: String, permissions: UInt64, position: Int? = nil) throws -> SandboxRole {
        try world.mutate { state, out in
            let (role, events) = try state.controlCreateRole(guildID: guildID, name: name, permissions: permissions, position: position)
            out += events
            return role
        }
    }

    public func updateRole(guildID: Snowflake, roleID: Snowflake, name: String? = nil, permissions: UInt64? = nil, position: Int? = nil) throws -> SandboxRole {
        try world.mutate { state, out in
            let (role, events) = try state.controlUpdateRole(
                guildID: guildID, roleID: roleID, name: name, permissions: permissions, position: position
            )
            out += events
            return role
        }
    }

    // MARK: Entitlements

    public func grantEntitlement(skuID: Snowflake, userID: Snowflake? = nil, guildID: Snowflake? = nil) throws -> Entitlement {
        let now = world.now
        return try world.mutate { state, out in
            let (entitlement, events) = try state.grantEntitlement(skuID: skuID, userID: userID, guildID: guildID, now: now)
            out += events
            return entitlement
        }
    }

    public func expireEntitlement(id: Snowflake) throws -> Entitlement {
        let now = world.now
        return try world.mutate { state, out in
            let (entitlement, events) = try state.expireEntitlement(id: id, now: now)
            out += events
            return entitlement
        }
    }

    public func revokeEntitlement(id: Snowflake) throws -> Entitlement {
        try world.mutate { state, out in
            let (entitlement, events) = try state.revokeEntitlement(id: id)
            out += events
            return entitlement
        }
    }
}
