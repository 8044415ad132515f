import Foundation
import GuildhallCore
import GuildhallDiscordModels
import NIOCore
import Testing
@testable import GuildhallDiscordGateway

/// JSON helpers: compare payloads as trees, whatever the key order.
enum JSON {
    static func tree(_ text: String) throws -> JSONValue {
        try GatewayCoding.decoder.decode(JSONValue.self, from: Data(text.utf8))
    }

    static func tree(of value: some Encodable) throws -> JSONValue {
        try GatewayCoding.decoder.decode(JSONValue.self, from: GatewayCoding.encoder.encode(value))
    }

    static func decode<T: Decodable>(_ type: T.Type, _ text: String) throws -> T {
        try GatewayCoding.decoder.decode(type, from: Data(text.utf8))
    }
}

/// Discord's own gateway examples (docs commit c98d64bc), decoded and encoded back.
@Suite("Gateway payload coding")
struct GatewayPayloadCodingTests {
    static let identifyExample = """
        {"op": 2, "d": {"token": "my_token", "properties": {"os": "linux", "browser": "disco", "device": "disco"},
         "compress": true, "large_threshold": 250, "shard": [0, 1],
         "presence": {"activities": [{"name": "Cards Against Humanity", "type": 0}], "status": "dnd", "since": 91879201, "afk": false},
         "intents": 5}}
        """

    @Test func identifyExampleDecodesAndEncodesBack() throws {
        let command = try JSON.decode(GatewayCommand.self, Self.identifyExample)
        guard case .identify(let identify) = command else {
            Issue.record("expected identify, got \(command)")
            return
        }
        #expect(identify.token == "my_token")
        #expect(identify.intents == [.guilds, .guildModeration])
        #expect(identify.shard == GatewayShardInfo(id: 0, count: 1))
        #expect(identify.largeThreshold == 250)
        #expect(identify.compress == true)
        #expect(identify.presence?.status == .doNotDisturb)
        #expect(identify.presence?.activities.first?.type == .playing)
        #expect(identify.properties.browser == "disco")
        #expect(try JSON.tree(of: command) == JSON.tree(Self.identifyExample))
        #expect(!identify.description.contains("my_token"), "the token never reaches logs")
        #expect(!command.description.contains("my_token"))
    }

    @Test func minimalIdentifyHasNoShardOrPresence() throws {
        let command = try JSON.decode(GatewayCommand.self, #"{"op": 2, "d": {"token": "t", "intents": 513, "properties": {"os": "linux", "browser": "my_library", "device": "my_library"}}}"#)
        guard case .identify(let identify) = command else {
            Issue.record("expected identify")
            return
        }
        #expect(identify.intents == [.guilds, .guildMessages])
        #expect(identify.shard == nil)
        #expect(identify.presence == nil)
        #expect(identify.compress == nil)
    }

    @Test func guildhallsIdentifyAsksForNoCompression() throws {
        let identify = GatewayIdentify(token: "t", intents: .guilds, shard: GatewayShardInfo(id: 3, count: 8))
        let tree = try JSON.tree(of: GatewayCommand.identify(identify))
        #expect(tree["d"]?["compress"] == .bool(false))
        #expect(tree["d"]?["shard"] == .array([.integer(3), .integer(8)]))
        #expect(tree["d"]?["properties"]?["browser"] == .string("guildhall"))
        #expect(tree["d"]?["presence"] == nil)
        #expect(identify.description.contains("[3, 8]"))
    }

    @Test func resumeHeartbeatAndOtherCommandsRoundTrip() throws {
        let examples: [(String, GatewayCommand)] = [
            (#"{"op": 6, "d": {"token": "randomstring", "session_id": "evenmorerandomstring", "seq": 1337}}"#,
             .resume(GatewayResume(token: "randomstring", sessionID: "evenmorerandomstring", sequence: 1337))),
            (#"{"op": 1, "d": 251}"#, .heartbeat(sequence: 251)),
            (#"{"op": 1, "d": null}"#, .heartbeat(sequence: nil)),
            (#"{"op": 8, "d": {"guild_id": "41771983444115456", "query": "", "limit": 0}}"#,
             .requestGuildMembers(GatewayRequestGuildMembers(guildID: Snowflake(41771983444115456)))),
            (#"{"op": 4, "d": {"guild_id": "41771983423143937", "channel_id": "127121515262115840", "self_mute": false, "self_deaf": false}}"#,
             .voiceStateUpdate(GatewayVoiceStateUpdate(guildID: Snowflake(41771983423143937), channelID: Snowflake(127121515262115840)))),
            (#"{"op": 4, "d": {"guild_id": "41771983423143937", "channel_id": null, "self_mute": true, "self_deaf": false}}"#,
             .voiceStateUpdate(GatewayVoiceStateUpdate(guildID: Snowflake(41771983423143937), channelID: nil, selfMute: true))),
            (#"{"op": 3, "d": {"since": 91879201, "activities": [{"name": "Save the Oxford Comma", "type": 0}], "status": "online", "afk": false}}"#,
             .presenceUpdate(GatewayPresenceUpdate(since: 91879201, activities: [GatewayActivity(name: "Save the Oxford Comma")]))),
        ]
        for (text, expected) in examples {
            let decoded = try JSON.decode(GatewayCommand.self, text)
            #expect(decoded == expected)
            #expect(try JSON.tree(of: decoded) == JSON.tree(text), "\(text)")
            #expect(decoded.opcode == expected.opcode)
        }
        #expect(GatewayCommand.heartbeat(sequence: 3).isProtocolCommand)
        #expect(!GatewayCommand.presenceUpdate(GatewayPresenceUpdate()).isProtocolCommand)
        #expect(!GatewayResume(token: "secret", sessionID: "s", sequence: 1).description.contains("secret"))
    }

    @Test func commandsOfUnknownOpcodesKeepTheirData() throws {
        let text = #"{"op": 31, "d": {"guild_ids": ["613425648685547541", "81384788765712384"]}}"#
        let command = try JSON.decode(GatewayCommand.self, text)
        guard case .unknown(let opcode, let data?) = command else {
            Issue.record("expected unknown with data, got \(command)")
            return
        }
        #expect(opcode == .requestSoundboardSounds)
        #expect(try data.value()["guild_ids"] == .array([.string("613425648685547541"), .string("81384788765712384")]))
        #expect(try JSON.tree(of: command) == JSON.tree(text))
        #expect(command.description == "Command(REQUEST_SOUNDBOARD_SOUNDS(31))")
        let descriptions = [
            GatewayCommand.heartbeat(sequence: nil).description, GatewayCommand.presenceUpdate(.init(status: .idle)).description,
            GatewayCommand.voiceStateUpdate(.init(guildID: Snowflake(5), channelID: nil)).description,
            GatewayCommand.requestGuildMembers(.init(guildID: Snowflake(6))).description,
        ]
        #expect(descriptions == ["Heartbeat(null)", "PresenceUpdate(idle)", "VoiceStateUpdate(guild: 5)", "RequestGuildMembers(guild: 6)"])
    }

    @Test func serverPayloadsDecodeFromDiscordsExamples() throws {
        guard case .hello(let hello) = try JSON.decode(GatewayServerPayload.self, #"{"op": 10, "d": {"heartbeat_interval": 45000}}"#) else {
            Issue.record("expected hello")
            return
        }
        #expect(hello.heartbeatIntervalDuration == .seconds(45))
        let cases: [(String, GatewayOpcode)] = [
            (#"{"op": 11}"#, .heartbeatAck), (#"{"op": 7, "d": null}"#, .reconnect), (#"{"op": 9, "d": false}"#, .invalidSession),
            (#"{"op": 1, "d": null}"#, .heartbeat), (#"{"op": 99, "d": {"new": true}}"#, GatewayOpcode(99)),
        ]
        for (text, opcode) in cases {
            #expect(try JSON.decode(GatewayServerPayload.self, text).opcode == opcode, "\(text)")
        }
        guard case .invalidSession(let resumable) = try JSON.decode(GatewayServerPayload.self, #"{"op": 9, "d": true}"#) else {
            Issue.record("expected op 9")
            return
        }
        #expect(resumable)
        guard case .invalidSession(false) = try JSON.decode(GatewayServerPayload.self, #"{"op": 9}"#) else {
            Issue.record("op 9 without d means not resumable")
            return
        }
        #expect(throws: (any Error).self) { try JSON.decode(GatewayServerPayload.self, #"{"d": null}"#) }
        #expect(throws: (any Error).self) { try JSON.decode(GatewayServerPayload.self, #"{"op": 0, "s": 1, "d": {}}"#) }
    }

    @Test func serverPayloadsEncodeAllFourKeysAsDiscordDoes() throws {
        let payloads: [(GatewayServerPayload, String)] = [
            (.hello(GatewayHello(heartbeatInterval: 41250)), #"{"op":10,"d":{"heartbeat_interval":41250},"s":null,"t":null}"#),
            (.heartbeatAck, #"{"op":11,"d":null,"s":null,"t":null}"#),
            (.heartbeatRequest, #"{"op":1,"d":null,"s":null,"t":null}"#),
            (.reconnect, #"{"op":7,"d":null,"s":null,"t":null}"#),
            (.invalidSession(resumable: false), #"{"op":9,"d":false,"s":null,"t":null}"#),
            (.unknown(opcode: GatewayOpcode(50)), #"{"op":50,"d":null,"s":null,"t":null}"#),
            (.dispatch(sequence: 4, event: .resumed), #"{"op":0,"d":null,"s":4,"t":"RESUMED"}"#),
        ]
        for (payload, text) in payloads {
            #expect(try JSON.tree(of: payload) == JSON.tree(text), "\(text)")
        }
    }

    @Test func genericEnvelopeEncodesAndDecodes() throws {
        let text = #"{"t": "VOICE_SERVER_UPDATE", "s": 2, "op": 0, "d": {"token": "my_token", "guild_id": "41771983423143937", "endpoint": "sweetwater-12345.discord.media:2048"}}"#
        let envelope = try JSON.decode(GatewayPayload<JSONValue>.self, text)
        #expect(envelope.opcode == .dispatch)
        #expect(envelope.sequence == 2)
        #expect(envelope.eventName == "VOICE_SERVER_UPDATE")
        #expect(envelope.data?["endpoint"] == .string("sweetwater-12345.discord.media:2048"))
        #expect(try JSON.tree(of: envelope) == JSON.tree(text))
        let heartbeat = GatewayPayload<Int>(opcode: .heartbeat, data: nil)
        #expect(try JSON.tree(of: heartbeat) == JSON.tree(#"{"op":1,"d":null}"#))
    }

    @Test func gatewayBotInfoDecodesDiscordsExample() throws {
        let text = #"{"url": "wss://gateway.discord.gg/", "shards": 9, "session_start_limit": {"total": 1000, "remaining": 999, "reset_after": 14400000, "max_concurrency": 1}}"#
        let info = try JSON.decode(GatewayBotInfo.self, text)
        #expect(info == GatewayBotInfo(url: "wss://gateway.discord.gg/", shards: 9, sessionStartLimit: .init(total: 1000, remaining: 999, resetAfter: 14_400_000, maxConcurrency: 1)))
        #expect(try JSON.tree(of: info) == JSON.tree(text))
    }

    @Test func intentsMatchDiscordsTable() throws {
        #expect(GatewayIntents.all.rawValue == 0x0331FFFF)
        #expect(GatewayIntents.named.count == 21)
        #expect(GatewayIntents.privileged == [.guildMembers, .guildPresences, .messageContent])
        #expect(GatewayIntents.privileged.rawValue == 2 | 256 | 32768)
        #expect(GatewayIntents.unprivileged.privilegedIntents.isEmpty)
        #expect(GatewayIntents.all.privilegedIntents == .privileged)
        #expect(GatewayIntents(name: "guild_messages") == .guildMessages)
        #expect(GatewayIntents(name: "NOT_AN_INTENT") == nil)
        #expect(GatewayIntents([.guilds, .guildMessages]).description == "[GUILDS, GUILD_MESSAGES]")
        #expect(GatewayIntents(rawValue: 1 << 40 | 1).description == "[GUILDS, 0x10000000000]")
        #expect(GatewayIntents(rawValue: 1 << 40).undocumentedBits == 1 << 40)
        #expect(try JSON.decode(GatewayIntents.self, "513") == [.guilds, .guildMessages])
        #expect(try JSON.decode(GatewayIntents.self, #""513""#) == [.guilds, .guildMessages])
        #expect(throws: (any Error).self) { try JSON.decode(GatewayIntents.self, #""lots""#) }
        #expect(try JSON.tree(of: GatewayIntents.guilds) == .integer(1))
    }

    @Test func opcodesAndShardInfo() throws {
        #expect(GatewayOpcode.dispatch.description == "DISPATCH(0)")
        #expect(GatewayOpcode(5).description == "op 5")
        let named = [0, 1, 2, 3, 4, 6, 7, 8, 9, 10, 11, 31, 43].map { GatewayOpcode($0).name }
        #expect(named.allSatisfy { $0 != nil })
        #expect(GatewayOpcode(rawValue: 43) == .requestChannelInfo)
        #expect(GatewayShardInfo(id: 4, count: 4) == nil)
        #expect(GatewayShardInfo(id: -1, count: 4) == nil)
        #expect(GatewayShardInfo(id: 0, count: 0) == nil)
        #expect(throws: (any Error).self) { try JSON.decode(GatewayShardInfo.self, "[5, 2]") }
        #expect(try JSON.decode(GatewayShardInfo.self, "[1, 2]") == GatewayShardInfo(id: 1, count: 2))
        #expect(try JSON.decode(GatewayPresenceUpdate.self, "{}") == GatewayPresenceUpdate())
        #expect(GatewayPresenceUpdate.Status(rawValue: "dnd") == .doNotDisturb)
        #expect(try JSON.decode(GatewayActivity.self, #"{"name": "x", "type": 9}"#).type == GatewayActivity.Kind(rawValue: 9))
        #expect([GatewayActivity.Kind.streaming, .listening, .watching, .custom, .competing].map(\.rawValue) == [1, 2, 3, 4, 5])
        #expect([GatewayPresenceUpdate.Status.idle, .invisible, .offline, .online].map(\.rawValue) == ["idle", "invisible", "offline", "online"])
    }

    @Test func rawJSONKeepsUnknownPayloads() throws {
        let raw = try JSON.decode(GatewayRawJSON.self, #"{"a": [1, 2.5, "x", null, true], "b": {"c": 18446744073709551615}}"#)
        let value = try raw.value()
        #expect(value["a"] == .array([.integer(1), .double(2.5), .string("x"), .null, .bool(true)]))
        #expect(raw.description.contains("\"a\""))
        #expect(try JSON.tree(of: raw) == value)
        struct Shape: Decodable { let a: [JSONValue] }
        #expect(try raw.decode(Shape.self).a.count == 5)
    }

    @Test func connectionURLsCarryVersionAndEncoding() {
        #expect(GatewayURL.connectionURL(base: "wss://gateway.discord.gg/") == "wss://gateway.discord.gg/?v=10&encoding=json")
        #expect(GatewayURL.connectionURL(base: "wss://gateway-us-east1-b.discord.gg") == "wss://gateway-us-east1-b.discord.gg/?v=10&encoding=json")
        #expect(GatewayURL.connectionURL(base: "wss://gateway.discord.gg/?v=9&encoding=etf") == "wss://gateway.discord.gg/?v=10&encoding=json")
    }

    @Test func frameDecoderFallsBackToTheRawEventKeepingItsSequence() throws {
        let good = ByteBuffer(string: #"{"op":0,"s":3,"t":"RESUMED","d":null}"#)
        guard case .dispatch(3, .resumed) = try GatewayFrameDecoder.decode(good) else {
            Issue.record("expected RESUMED")
            return
        }
        do {
            _ = try GatewayFrameDecoder.decode(ByteBuffer(string: #"{"op":0,"s":8,"t":"GUILD_DELETE","d":{"unavailable":true}}"#))
            Issue.record("a GUILD_DELETE without id must not decode as one")
        } catch {
            #expect(error.eventName == "GUILD_DELETE")
            guard case .dispatch(8, .unknown("GUILD_DELETE", let data))? = error.fallback else {
                Issue.record("expected the raw fallback, got \(String(describing: error.fallback))")
                return
            }
            #expect(try data.value()["unavailable"] == .bool(true))
        }
        for text in ["{", #"{"op":10,"d":{"heartbeat_interval":"x"}}"#] {
            do {
                _ = try GatewayFrameDecoder.decode(ByteBuffer(string: text))
                Issue.record("\(text) must not decode")
            } catch {
                #expect(error.fallback == nil)
            }
        }
        do {
            _ = try GatewayFrameDecoder.decode(ByteBuffer(string: #"{"op":0,"s":2,"t":"MESSAGE_DELETE"}"#))
        } catch {
            guard case .dispatch(2, .unknown("MESSAGE_DELETE", let data))? = error.fallback else {
                Issue.record("expected the raw fallback")
                return
            }
            #expect(data.description == "null")
        }
    }
}
