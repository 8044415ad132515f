import Foundation
import GuildhallDiscordModels

/// One gateway connection's protocol as the server sees it, apart from any socket: it reads
/// the client's frames and the clock, and says what to do (acknowledge, start or resume a
/// session, close with a code). Sessions themselves live in `GatewayHub`; this machine only
/// checks what a single connection may do (FACTS.md §2 and §9).
struct GatewayConnectionMachine: Sendable {
    struct Rules: Sendable {
        var botToken: String
        var heartbeatInterval: Double
        var heartbeatTimeoutFactor: Double
        var sendLimit: Int
        var sendWindow: Double
        var maxGuildsPerShard: Int
        var enabledPrivilegedIntents: UInt64
        /// How many guilds `[shard, count]` would hold.
        var guildsOnShard: @Sendable (Int, Int) -> Int
    }

    enum Action: Sendable, Equatable {
        case heartbeatAck
        case startSession(GatewayIdentify)
        case resumeSession(GatewayResume)
        case requestGuildMembers(GatewayRequestGuildMembers)
        case close(code: Int, reason: String)
        /// Accepted and nothing to answer (presence and voice updates).
        case none
    }

    enum Phase: Sendable, Equatable {
        case awaitingIdentify
        case identified(sessionID: String)
        case closed
    }

    static let maxPayloadBytes = 4_096

    let rules: Rules
    private(set) var phase: Phase = .awaitingIdentify
    private(set) var lastHeartbeatAt: Double
    private var sendWindowStart: Double
    private var sendsInWindow = 0

    init(rules: Rules, now: Double) {
        self.rules = rules
        lastHeartbeatAt = now
        sendWindowStart = now
    }

    /// The hub accepted an Identify or Resume: the connection now carries `sessionID`.
    mutating func attached(to sessionID: String) {
        phase = .identified(sessionID: sessionID)
    }

    /// The server sent op 9: the client may Identify (or Resume) again on this connection.
    mutating func detached() {
        if phase != .closed { phase = .awaitingIdentify }
    }

    mutating func markClosed() { phase = .closed }

    /// Handles one text or binary message from the client.
    mutating func received(_ bytes: [UInt8], now: Double) -> Action {
        guard phase != .closed else { return .none }
        guard bytes.count <= Self.maxPayloadBytes else {
            return close(4002, "Payload is larger than 4096 bytes.")
        }
        if now - sendWindowStart >= rules.sendWindow {
            sendWindowStart = now
            sendsInWindow = 0
        }
        sendsInWindow += 1
        guard sendsInWindow <= rules.sendLimit else { return close(4008, "You are being rate limited.") }

        let command: GatewayCommand
        do {
            command = try GatewayCoding.decoder.decode(GatewayCommand.self, from: Data(bytes))
        } catch {
            if Self.hasInvalidShard(bytes) { return close(4010, "Invalid shard.") }
            return close(4002, "Error while decoding payload.")
        }

        switch command {
        case .heartbeat:
            lastHeartbeatAt = now
            return .heartbeatAck
        case .identify(let identify):
            if case .identified = phase { return close(4005, "Already authenticated.") }
            return validate(identify)
        case .resume(let resume):
            if case .identified = phase { return close(4005, "Already authenticated.") }
            guard resume.token == rules.botToken else { return close(4004, "Authentication failed.") }
            return .resumeSession(resume)
        case .unknown(let opcode, _):
            guard case .identified = phase else { return close(4003, "Not authenticated.") }
            // Server-only opcodes sent by a client, and opcodes nobody knows, are both errors.
            _ = opcode
            return close(4001, "Unknown opcode.")
        case .requestGuildMembers(let request):
            guard case .identified = phase else { return close(4003, "Not authenticated.") }
            return .requestGuildMembers(request)
        case .presenceUpdate, .voiceStateUpdate:
            guard case .identified = phase else { return close(4003, "Not authenticated.") }
            return .none
        }
    }

    /// Called now and then: closes a connection whose heartbeats stopped.
    mutating func tick(now: Double) -> Action {
        guard phase != .closed else { return .none }
        if now - lastHeartbeatAt > rules.heartbeatInterval * rules.heartbeatTimeoutFactor {
            return close(4009, "Session timed out.")
        }
        return .none
    }

    private mutating func validate(_ identify: GatewayIdentify) -> Action {
        guard identify.token == rules.botToken else { return close(4004, "Authentication failed.") }
        let shardID = identify.shard?.id ?? 0
        let shardCount = identify.shard?.count ?? 1
        if rules.guildsOnShard(shardID, shardCount) > rules.maxGuildsPerShard {
            return close(4011, "Sharding required.")
        }
        let intents = identify.intents.rawValue
        if intents & ~SandboxIntents.known != 0 { return close(4013, "Invalid intent(s).") }
        if intents & SandboxIntents.privileged & ~rules.enabledPrivilegedIntents != 0 {
            return close(4014, "Disallowed intent(s).")
        }
        return .startSession(identify)
    }

    /// An Identify whose `[shard_id, num_shards]` is out of range fails to decode as a model;
    /// this tells that case (4010) from a malformed payload (4002).
    static func hasInvalidShard(_ bytes: [UInt8]) -> Bool {
        struct Probe: Decodable {
            struct Data: Decodable { var shard: [Int]? }
            var op: Int
            var d: Data?
        }
        guard let probe = try? GatewayCoding.decoder.decode(Probe.self, from: Foundation.Data(bytes)), probe.op == 2,
              let shard = probe.d?.shard, shard.count == 2
        else { return false }
        return GatewayShardInfo(id: shard[0], count: shard[1]) == nil
    }

    private mutating func close(_ code: Int, _ reason: String) -> Action {
        phase = .closed
        return .close(code: code, reason: reason)
    }
}
