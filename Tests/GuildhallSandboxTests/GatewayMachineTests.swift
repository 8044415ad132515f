import Foundation
import GuildhallCore
import GuildhallDiscordModels
import NIOCore
import Testing
@testable import GuildhallSandbox

@Suite("Gateway connection machine and replay buffer")
struct GatewayMachineTests {
    static let token = "token.part.secret"

    /// Twelve guilds in all, spread evenly over the shards.
    func machine(sendLimit: Int = 120, maxGuilds: Int = 12) -> GatewayConnectionMachine {
        GatewayConnectionMachine(
            rules: .init(
                botToken: Self.token, heartbeatInterval: 10, heartbeatTimeoutFactor: 1.5, sendLimit: sendLimit, sendWindow: 60,
                maxGuildsPerShard: maxGuilds, enabledPrivilegedIntents: SandboxIntents.guildMembers,
                guildsOnShard: { _, count in 12 / count }
            ),
            now: 0
        )
    }

    func bytes(_ text: String) -> [UInt8] { Array(text.utf8) }

    func identify(token: String = token, intents: UInt64 = 1, shard: String? = nil) -> [UInt8] {
        let shardPart = shard.map { ",\"shard\":\($0)" } ?? ""
        return bytes(#"{"op":2,"d":{"token":"\#(token)","intents":\#(intents),"properties":{"os":"l","browser":"b","device":"d"}\#(shardPart)}}"#)
    }

    @Test("heartbeats are acknowledged before and after Identify")
    func heartbeats() {
        var machine = machine()
        #expect(machine.received(bytes(#"{"op":1,"d":null}"#), now: 1) == .heartbeatAck)
        #expect(machine.lastHeartbeatAt == 1)
        if case .startSession(let identify) = machine.received(identify(), now: 2) {
            #expect(identify.intents.rawValue == 1)
        } else {
            Issue.record("identify was not accepted")
        }
        machine.attached(to: "s")
        #expect(machine.received(bytes(#"{"op":1,"d":5}"#), now: 3) == .heartbeatAck)
        #expect(machine.received(bytes(#"{"op":3,"d":{"since":null,"activities":[],"status":"online","afk":false}}"#), now: 3) == GatewayConnectionMachine.Action.none)
    }

    @Test("close codes for each misuse")
    func closeCodes() {
        func code(_ payload: [UInt8], maxGuilds: Int = 12, prepare: (inout GatewayConnectionMachine) -> Void = { _ in }) -> Int? {
            var machine = machine(maxGuilds: maxGuilds)
            prepare(&machine)
            if case .close(let code, _) = machine.received(payload, now: 1) { return code }
            return nil
        }
        #expect(code(identify(token: "wrong")) == 4004)
        #expect(code(identify(shard: "[4,4]")) == 4010)
        #expect(code(identify(shard: "[-1,4]")) == 4010)
        #expect(code(identify(shard: "[0,1]"), maxGuilds: 5) == 4011)
        #expect(code(identify(shard: "[0,4]"), maxGuilds: 5) == nil)
        #expect(code(identify(intents: 1 << 30)) == 4013)
        #expect(code(identify(intents: SandboxIntents.messageContent)) == 4014)
        #expect(code(identify(intents: SandboxIntents.guildMembers)) == nil)
        #expect(code(identify()) { $0.attached(to: "s") } == 4005)
        #expect(code(bytes(#"{"op":8,"d":{"guild_id":"1","query":"","limit":0}}"#)) == 4003)
        #expect(code(bytes(#"{"op":3,"d":{"since":null,"activities":[],"status":"online","afk":false}}"#)) == 4003)
        #expect(code(bytes(#"{"op":99,"d":null}"#)) == 4003)
        #expect(code(bytes(#"{"op":99,"d":null}"#)) { $0.attached(to: "s") } == 4001)
        #expect(code(bytes("not json")) == 4002)
        #expect(code(bytes(#"{"op":2,"d":{"token":1}}"#)) == 4002)
        #expect(code(Array(repeating: 0x20, count: 4_097)) == 4002)
        #expect(code(bytes(#"{"op":6,"d":{"token":"x","session_id":"s","seq":1}}"#)) == 4004)
        #expect(code(bytes(#"{"op":6,"d":{"token":"\#(Self.token)","session_id":"s","seq":1}}"#)) { $0.attached(to: "s") } == 4005)
    }

    @Test("a closed machine ignores frames, a detached one may identify again")
    func phases() {
        var machine = machine()
        machine.attached(to: "s")
        machine.detached()
        #expect(machine.phase == .awaitingIdentify)
        if case .resumeSession(let resume) = machine.received(bytes(#"{"op":6,"d":{"token":"\#(Self.token)","session_id":"s","seq":3}}"#), now: 1) {
            #expect(resume.sequence == 3)
        } else {
            Issue.record("resume was not accepted")
        }
        machine.markClosed()
        machine.detached()
        #expect(machine.phase == .closed)
        #expect(machine.received(bytes(#"{"op":1,"d":null}"#), now: 2) == GatewayConnectionMachine.Action.none)
        #expect(machine.tick(now: 1_000) == GatewayConnectionMachine.Action.none)
    }

    @Test("more than the send limit in a window closes with 4008; a new window starts over")
    func sendLimit() {
        var machine = machine(sendLimit: 3)
        for second in 0..<3 { #expect(machine.received(bytes(#"{"op":1,"d":null}"#), now: Double(second)) == .heartbeatAck) }
        if case .close(let code, _) = machine.received(bytes(#"{"op":1,"d":null}"#), now: 3) { #expect(code == 4008) } else { Issue.record("no 4008") }
        var fresh = self.machine(sendLimit: 2)
        _ = fresh.received(bytes(#"{"op":1,"d":null}"#), now: 0)
        _ = fresh.received(bytes(#"{"op":1,"d":null}"#), now: 1)
        #expect(fresh.received(bytes(#"{"op":1,"d":null}"#), now: 61) == .heartbeatAck)
    }

    @Test("no heartbeat for interval × factor closes with 4009")
    func heartbeatTimeout() {
        var machine = machine()
        #expect(machine.tick(now: 14) == GatewayConnectionMachine.Action.none)
        _ = machine.received(bytes(#"{"op":1,"d":null}"#), now: 14)
        #expect(machine.tick(now: 28) == GatewayConnectionMachine.Action.none)
        if case .close(let code, _) = machine.tick(now: 30) { #expect(code == 4009) } else { Issue.record("no 4009") }
    }

    @Test("the replay buffer returns what came after a sequence, or nil once it was overwritten")
    func replayBuffer() {
        var buffer = ReplayBuffer(capacity: 3)
        #expect(buffer.oldestSequence == nil)
        #expect(buffer.frames(after: 0, latest: 0) == [])
        for sequence in 1...2 { buffer.append(sequence: sequence, frame: ByteBuffer(string: "\(sequence)")) }
        #expect(buffer.frames(after: 0, latest: 2)?.map { String(buffer: $0) } == ["1", "2"])
        for sequence in 3...5 { buffer.append(sequence: sequence, frame: ByteBuffer(string: "\(sequence)")) }
        #expect(buffer.count == 3 && buffer.oldestSequence == 3)
        #expect(buffer.frames(after: 2, latest: 5)?.map { String(buffer: $0) } == ["3", "4", "5"])
        #expect(buffer.frames(after: 4, latest: 5)?.map { String(buffer: $0) } == ["5"])
        #expect(buffer.frames(after: 1, latest: 5) == nil)
        #expect(buffer.frames(after: 5, latest: 5) == [])
    }

    @Test("dispatch frames splice the sequence and name around pre-encoded data")
    func frames() throws {
        let frame = GatewayFrames.dispatch(sequence: 42, name: "MESSAGE_CREATE", data: Array(#"{"a":1}"#.utf8))
        let decoded = try JSONDecoder().decode(JSONValue.self, from: Data(String(buffer: frame).utf8))
        #expect(decoded["s"]?.integerValue == 42 && decoded["t"]?.stringValue == "MESSAGE_CREATE" && decoded["op"]?.integerValue == 0)
        #expect(decoded["d"]?["a"]?.integerValue == 1)
        let hello = try JSONDecoder().decode(JSONValue.self, from: Data(String(buffer: GatewayFrames.hello(intervalMilliseconds: 41_250)).utf8))
        #expect(hello["d"]?["heartbeat_interval"]?.integerValue == 41_250 && hello["op"]?.integerValue == 10)
        let invalid = try JSONDecoder().decode(JSONValue.self, from: Data(String(buffer: GatewayFrames.invalidSession(resumable: true)).utf8))
        #expect(invalid["d"] == .bool(true) && invalid["op"]?.integerValue == 9)
    }
}
