import Foundation
import GuildhallCore
import GuildhallDiscordModels
import Hummingbird
import HummingbirdWebSocket
import Logging
import NIOCore
import Synchronization

/// A gateway server for the transport tests, on 127.0.0.1: Hello, heartbeat ACKs, Identify
/// → READY and one GUILD_CREATE per guild of the shard, Resume with replay of the missed
/// dispatches then RESUMED, and hooks to inject dispatches, op 1/7/9, closes and drops.
/// It records everything clients send.
final class ScriptedGateway: Sendable {
    struct Options: Sendable {
        var heartbeatInterval = 45_000
        var guilds: [Snowflake] = []
        /// Shard id → close code sent instead of READY.
        var closeOnIdentify: [Int: Int] = [:]
        /// How many upgrade requests to refuse before accepting.
        var refuseUpgrades = 0
    }

    enum Outgoing: Sendable {
        case text(String)
        case close(Int)
        case drop
    }

    struct Received: Sendable {
        let connection: Int
        let shard: Int?
        let command: GatewayCommand
        let at: ContinuousClock.Instant
    }

    struct Session: Sendable {
        let id: String
        let shard: GatewayShardInfo
        var log: [(sequence: Int, text: String)] = []
        var nextSequence = 1
    }

    struct Connection: Sendable {
        let path: String
        let writer: AsyncStream<Outgoing>.Continuation
        var shard: Int?
        var sessionID: String?
    }

    struct State: Sendable {
        var options: Options
        var port = 0
        var sessions: [String: Session] = [:]
        var currentSession: [Int: String] = [:]
        var connections: [Int: Connection] = [:]
        var nextConnection = 0
        var nextSession = 0
        var received: [Received] = []
        var paths: [String] = []
        var upgradesRefused = 0
        var acknowledgeHeartbeats = true
    }

    let state: Mutex<State>
    private let task = Mutex<Task<Void, any Error>?>(nil)

    init(options: Options = Options()) {
        state = Mutex(State(options: options))
    }

    var port: Int { state.withLock { $0.port } }
    var baseURL: String { "ws://127.0.0.1:\(port)/" }

    // MARK: Running

    func start() async throws {
        let (ports, portContinuation) = AsyncStream.makeStream(of: Int.self)
        let app = Application(
            router: Router(),
            server: .http1WebSocketUpgrade { [self] request, channel, _ in
                let path = request.path ?? "/"
                let refuse = state.withLock { state -> Bool in
                    guard state.upgradesRefused < state.options.refuseUpgrades else { return false }
                    state.upgradesRefused += 1
                    return true
                }
                if refuse { return .dontUpgrade }
                return .upgrade([:]) { inbound, outbound, _ in
                    await self.serve(path: path, channel: channel, inbound: inbound, outbound: outbound)
                }
            },
            configuration: .init(address: .hostname("127.0.0.1", port: 0)),
            onServerRunning: { channel in
                portContinuation.yield(channel.localAddress?.port ?? 0)
                portContinuation.finish()
            },
            logger: Logger(label: "scripted-gateway", factory: { _ in SwiftLogNoOpLogHandler() })
        )
        task.withLock { $0 = Task { try await app.run() } }
        for await port in ports {
            state.withLock { $0.port = port }
        }
        guard port > 0 else { throw GuildhallError(.unavailable, "the scripted gateway did not start") }
    }

    func stop() async {
        let running = task.withLock { task in defer { task = nil }; return task }
        running?.cancel()
        _ = await running?.result
    }

    // MARK: Serving

    private func serve(path: String, channel: any NIOCore.Channel, inbound: WebSocketInboundStream, outbound: WebSocketOutboundWriter) async {
        let (outgoing, writer) = AsyncStream.makeStream(of: Outgoing.self)
        let id = state.withLock { state -> Int in
            state.nextConnection += 1
            state.connections[state.nextConnection] = Connection(path: path, writer: writer)
            state.paths.append(path)
            return state.nextConnection
        }
        let interval = state.withLock { $0.options.heartbeatInterval }
        writer.yield(.text(#"{"op":10,"d":{"heartbeat_interval":\#(interval)},"s":null,"t":null}"#))
        await withTaskGroup(of: Void.self) { group in
            group.addTask {
                for await item in outgoing {
                    switch item {
                    case .text(let text): try? await outbound.writeTextMessage(text)
                    case .close(let code): try? await outbound.close(.unknown(UInt16(code)), reason: "scripted")
                    case .drop:
                        // Gone without a close frame, as a network failure looks.
                        channel.close(promise: nil)
                        return
                    }
                }
            }
            group.addTask {
                do {
                    for try await message in inbound.messages(maxSize: 1 << 20) {
                        if case .text(let text) = message { self.handle(text, connection: id) }
                    }
                } catch {}
                writer.finish()
            }
            // Whichever ends first ends the connection: a drop leaves without a close frame.
            await group.next()
            group.cancelAll()
        }
        state.withLock { state in
            _ = state.connections.removeValue(forKey: id)
        }
        writer.finish()
    }

    private func handle(_ text: String, connection id: Int) {
        guard let command = try? GatewayCoding.decoder.decode(GatewayCommand.self, from: Data(text.utf8)) else { return }
        state.withLock { state in
            state.received.append(Received(connection: id, shard: state.connections[id]?.shard, command: command, at: .now))
            guard let writer = state.connections[id]?.writer else { return }
            switch command {
            case .heartbeat:
                if state.acknowledgeHeartbeats { writer.yield(.text(#"{"op":11,"d":null,"s":null,"t":null}"#)) }
            case .identify(let identify):
                let shard = identify.shard ?? GatewayShardInfo(id: 0, count: 1)!
                state.connections[id]?.shard = shard.id
                if let code = state.options.closeOnIdentify[shard.id] {
                    writer.yield(.close(code))
                    return
                }
                state.nextSession += 1
                let sessionID = "session-\(state.nextSession)"
                state.sessions[sessionID] = Session(id: sessionID, shard: shard)
                state.currentSession[shard.id] = sessionID
                state.connections[id]?.sessionID = sessionID
                let ready = GatewayReady(
                    user: User(id: Snowflake(1), username: "scripted-bot", bot: true),
                    guilds: state.options.guilds.filter { $0.shard(count: shard.count) == shard.id }.map { UnavailableGuild(id: $0) },
                    sessionID: sessionID, resumeGatewayURL: "ws://127.0.0.1:\(state.port)/resume", shard: shard,
                    application: .init(id: Snowflake(2), flags: 0)
                )
                Self.append(event: .ready(ready), to: sessionID, in: &state)
                for guild in state.options.guilds where guild.shard(count: shard.count) == shard.id {
                    let body = Guild.scripted(id: guild)
                    Self.append(event: .guildCreate(body), to: sessionID, in: &state)
                }
            case .resume(let resume):
                guard var session = state.sessions[resume.sessionID], resume.sequence < session.nextSequence else {
                    writer.yield(.text(#"{"op":9,"d":false,"s":null,"t":null}"#))
                    return
                }
                state.connections[id]?.shard = session.shard.id
                state.connections[id]?.sessionID = session.id
                state.currentSession[session.shard.id] = session.id
                for entry in session.log where entry.sequence > resume.sequence {
                    writer.yield(.text(entry.text))
                }
                session.log.removeAll { $0.sequence <= resume.sequence }
                state.sessions[session.id] = session
                Self.append(event: .resumed, to: session.id, in: &state)
            default:
                break
            }
        }
    }

    /// Numbers and logs a dispatch on a session and sends it if a connection holds the session.
    @discardableResult
    private static func append(event: GatewayEvent, to sessionID: String, in state: inout State) -> Int {
        guard var session = state.sessions[sessionID] else { return 0 }
        let sequence = session.nextSequence
        session.nextSequence += 1
        let payload = GatewayServerPayload.dispatch(sequence: sequence, event: event)
        let text = String(decoding: try! GatewayCoding.encoder.encode(payload), as: UTF8.self)
        session.log.append((sequence, text))
        state.sessions[sessionID] = session
        if let connection = state.connections.values.first(where: { $0.sessionID == sessionID }) {
            connection.writer.yield(.text(text))
        }
        return sequence
    }

    // MARK: Hooks

    /// Dispatches an event on the shard's current session (sent now if connected, replayed
    /// on resume otherwise). Returns its sequence number.
    @discardableResult
    func dispatch(_ event: GatewayEvent, shard: Int) -> Int {
        state.withLock { state in
            guard let sessionID = state.currentSession[shard] else { return 0 }
            return Self.append(event: event, to: sessionID, in: &state)
        }
    }

    /// Sends raw text (any opcode) to the shard's connection.
    func send(raw text: String, shard: Int) {
        connection(of: shard)?.writer.yield(.text(text))
    }

    /// Drops the shard's connection without a close frame.
    func drop(shard: Int) {
        connection(of: shard)?.writer.yield(.drop)
    }

    /// Closes the shard's connection with a close code.
    func close(shard: Int, code: Int) {
        connection(of: shard)?.writer.yield(.close(code))
    }

    func setAcknowledgeHeartbeats(_ acknowledge: Bool) {
        state.withLock { $0.acknowledgeHeartbeats = acknowledge }
    }

    private func connection(of shard: Int) -> Connection? {
        state.withLock { state in state.connections.filter { $0.value.shard == shard }.max { $0.key < $1.key }?.value }
    }

    // MARK: Records

    var received: [Received] { state.withLock { $0.received } }
    var paths: [String] { state.withLock { $0.paths } }

    var identifies: [(shard: Int?, identify: GatewayIdentify, at: ContinuousClock.Instant)] {
        received.compactMap { record in
            if case .identify(let identify) = record.command { return (identify.shard?.id, identify, record.at) }
            return nil
        }
    }

    var resumes: [GatewayResume] {
        received.compactMap { record in
            if case .resume(let resume) = record.command { return resume }
            return nil
        }
    }

    func heartbeats(shard: Int? = nil) -> Int {
        received.filter { record in
            if case .heartbeat = record.command { return shard == nil || record.shard == shard }
            return false
        }.count
    }

    func commands(shard: Int? = nil) -> [GatewayCommand] {
        received.filter { !$0.command.isProtocolCommand && (shard == nil || $0.shard == shard) }.map(\.command)
    }

    func openConnections() -> Int {
        state.withLock { $0.connections.count }
    }
}

extension Guild {
    /// The smallest guild a GUILD_CREATE carries in these tests.
    static func scripted(id: Snowflake) -> Guild {
        let everyone = Role(id: id, name: "@everyone", color: 0, hoist: false, position: 0, permissions: Permissions(rawValue: 1024), managed: false, mentionable: false)
        return Guild(id: id, name: "Guild \(id.rawValue % 1000)", ownerID: Snowflake(id.rawValue + 1), roles: [everyone])
    }
}
