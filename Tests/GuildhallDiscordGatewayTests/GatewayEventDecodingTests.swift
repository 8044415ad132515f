import Foundation
import GuildhallCore
import GuildhallDiscordModels
import Testing
@testable import GuildhallDiscordGateway

/// Every modeled dispatch decodes from wire JSON into its case in one pass, encodes back,
/// and names its guild; unknown dispatches keep their bytes.
@Suite("Gateway event decoding")
struct GatewayEventDecodingTests {
    static let guild = "41771983423143937"
    static let user = #"{"id": "80351110224678912", "username": "Nelly", "discriminator": "0", "avatar": null}"#
    static let member = #"{"roles": ["41771983423143938"], "joined_at": "2015-04-26T06:26:56.936000+00:00", "deaf": false, "mute": false, "nick": null}"#
    static let message = """
        {"id": "334385199974967042", "channel_id": "290926798999357250", "guild_id": "\(guild)", "author": \(user),
         "member": \(member), "content": "Supa Hot", "timestamp": "2017-07-11T17:27:07.299000+00:00",
         "edited_timestamp": null, "tts": false, "mention_everyone": false, "mentions": [], "mention_roles": [],
         "attachments": [], "embeds": [], "pinned": false, "type": 0, "nonce": "1234", "channel_type": 0}
        """
    static let guildObject = """
        {"id": "\(guild)", "name": "Discord Developers", "icon": null, "owner_id": "80351110224678912",
         "roles": [{"id": "\(guild)", "name": "@everyone", "color": 0, "hoist": false, "position": 0,
         "permissions": "1024", "managed": false, "mentionable": false}],
         "joined_at": "2015-04-26T06:26:56.936000+00:00", "large": false, "member_count": 2, "channels": [], "voice_states": []}
        """
    static let channel = #"{"id": "41771983423143938", "type": 0, "guild_id": "41771983423143937", "name": "general", "position": 1}"#
    static let role = #"{"id": "41771983423143936", "name": "mods", "color": 3447003, "hoist": true, "position": 3, "permissions": "66321471", "managed": false, "mentionable": false}"#
    static let interaction = """
        {"id": "786008729715212338", "application_id": "775799577604522054", "type": 2, "token": "A_UNIQUE_TOKEN",
         "guild_id": "\(guild)", "channel_id": "772908445358620702", "version": 1,
         "member": {"user": \(user), "roles": [], "permissions": "2147483647"},
         "data": {"id": "866818195033292851", "name": "modules", "type": 1}}
        """
    static let entitlement = """
        {"id": "1019653849998299136", "sku_id": "1019475255913222144", "application_id": "1019370614521200640",
         "user_id": "771129655544643584", "promotion_id": null, "type": 8, "deleted": false, "gift_code_flags": 0,
         "consumed": false, "starts_at": "2022-09-14T17:00:18.704163+00:00", "ends_at": "2022-10-14T17:00:18.704163+00:00",
         "guild_id": "1015034326372454400", "subscription_id": "1019653835926409216"}
        """
    static let reaction = """
        {"user_id": "80351110224678912", "channel_id": "290926798999357250", "message_id": "334385199974967042",
         "guild_id": "\(guild)", "member": \(member), "emoji": {"id": null, "name": "🎉"}, "message_author_id": "1",
         "burst": false, "burst_colors": [], "type": 0}
        """
    static let voiceState = """
        {"guild_id": "\(guild)", "channel_id": null, "user_id": "80351110224678912", "session_id": "abc", "deaf": false,
         "mute": false, "self_deaf": false, "self_mute": true, "self_video": false, "suppress": false, "request_to_speak_timestamp": null}
        """
    static let ready = """
        {"v": 10, "user": \(user), "guilds": [{"id": "\(guild)", "unavailable": true}], "session_id": "abc123",
         "resume_gateway_url": "wss://gateway-us-east1-b.discord.gg", "shard": [0, 1],
         "application": {"id": "775799577604522054", "flags": 565248}, "_trace": ["gateway-prd"]}
        """

    /// (t, d, the guild it names or nil)
    static let samples: [(String, String, String?)] = [
        ("READY", ready, nil),
        ("RESUMED", "null", nil),
        ("GUILD_CREATE", guildObject, guild),
        ("GUILD_UPDATE", guildObject, guild),
        ("GUILD_DELETE", #"{"id": "\#(guild)", "unavailable": true}"#, guild),
        ("GUILD_MEMBER_ADD", #"{"guild_id": "\#(guild)", "user": \#(user), "roles": [], "joined_at": "2015-04-26T06:26:56.936000+00:00", "deaf": false, "mute": false}"#, guild),
        ("GUILD_MEMBER_UPDATE", #"{"guild_id": "\#(guild)", "user": \#(user), "roles": ["1"], "nick": "n", "communication_disabled_until": "2090-01-02T00:00:00.000000+00:00"}"#, guild),
        ("GUILD_MEMBER_REMOVE", #"{"guild_id": "\#(guild)", "user": \#(user)}"#, guild),
        ("GUILD_BAN_ADD", #"{"guild_id": "\#(guild)", "user": \#(user)}"#, guild),
        ("GUILD_BAN_REMOVE", #"{"guild_id": "\#(guild)", "user": \#(user)}"#, guild),
        ("GUILD_ROLE_CREATE", #"{"guild_id": "\#(guild)", "role": \#(role)}"#, guild),
        ("GUILD_ROLE_UPDATE", #"{"guild_id": "\#(guild)", "role": \#(role)}"#, guild),
        ("GUILD_ROLE_DELETE", #"{"guild_id": "\#(guild)", "role_id": "41771983423143936"}"#, guild),
        ("CHANNEL_CREATE", channel, guild),
        ("CHANNEL_UPDATE", channel, guild),
        ("CHANNEL_DELETE", channel, guild),
        ("MESSAGE_CREATE", message, guild),
        ("MESSAGE_UPDATE", message, guild),
        ("MESSAGE_DELETE", #"{"id": "334385199974967042", "channel_id": "290926798999357250", "guild_id": "\#(guild)"}"#, guild),
        ("MESSAGE_DELETE_BULK", #"{"ids": ["1", "2"], "channel_id": "290926798999357250", "guild_id": "\#(guild)"}"#, guild),
        ("MESSAGE_REACTION_ADD", reaction, guild),
        ("MESSAGE_REACTION_REMOVE", #"{"user_id": "1", "channel_id": "2", "message_id": "3", "guild_id": "\#(guild)", "emoji": {"id": "4", "name": "party"}, "burst": false, "type": 0}"#, guild),
        ("INTERACTION_CREATE", interaction, guild),
        ("ENTITLEMENT_CREATE", entitlement, "1015034326372454400"),
        ("ENTITLEMENT_UPDATE", entitlement, "1015034326372454400"),
        ("ENTITLEMENT_DELETE", entitlement, "1015034326372454400"),
        ("VOICE_STATE_UPDATE", voiceState, guild),
        ("RATE_LIMITED", #"{"opcode": 8, "retry_after": 27.5, "meta": {"guild_id": "\#(guild)", "nonce": "n"}}"#, nil),
    ]

    static func frame(_ name: String, _ data: String, sequence: Int = 5) -> String {
        #"{"op": 0, "s": \#(sequence), "t": "\#(name)", "d": \#(data)}"#
    }

    @Test func everyModeledNameHasASample() {
        #expect(Set(Self.samples.map(\.0)) == GatewayEvent.modeledNames)
    }

    @Test("decodes into its own case and back", arguments: samples.map(\.0))
    func decodesAndRoundTrips(name: String) throws {
        let (_, data, guild) = try #require(Self.samples.first { $0.0 == name })
        let payload = try JSON.decode(GatewayServerPayload.self, Self.frame(name, data))
        guard case .dispatch(let sequence, let event) = payload else {
            Issue.record("expected a dispatch")
            return
        }
        #expect(sequence == 5)
        #expect(event.name == name)
        if case .unknown = event { Issue.record("\(name) must decode into its typed case") }
        #expect(event.guildID == guild.flatMap { Snowflake($0) })
        // Encoding and decoding again gives the same event.
        let encoded = try GatewayCoding.encoder.encode(payload)
        guard case .dispatch(5, let again) = try GatewayCoding.decoder.decode(GatewayServerPayload.self, from: encoded) else {
            Issue.record("the encoded dispatch did not decode")
            return
        }
        #expect(again == event)
    }

    @Test func typedFieldsCarryThrough() throws {
        func event(_ name: String) throws -> GatewayEvent {
            let data = try #require(Self.samples.first { $0.0 == name }).1
            guard case .dispatch(_, let event) = try JSON.decode(GatewayServerPayload.self, Self.frame(name, data)) else {
                throw GuildhallError(.invalidInput, "not a dispatch")
            }
            return event
        }
        guard case .ready(let ready) = try event("READY") else { throw GuildhallError(.invalidInput, "READY") }
        #expect(ready.sessionID == "abc123")
        #expect(ready.resumeGatewayURL == "wss://gateway-us-east1-b.discord.gg")
        #expect(ready.version == 10)
        #expect(ready.application.flags == 565248)
        #expect(ready.guilds.first?.unavailable == true)
        guard case .messageCreate(let message) = try event("MESSAGE_CREATE") else { throw GuildhallError(.invalidInput, "MESSAGE_CREATE") }
        #expect(message.content == "Supa Hot")
        #expect(message.member?.roles == [Snowflake(41771983423143938)])
        guard case .guildMemberAdd(let added) = try event("GUILD_MEMBER_ADD") else { throw GuildhallError(.invalidInput, "member") }
        #expect(added.member.user?.username == "Nelly")
        guard case .messageReactionAdd(let reaction) = try event("MESSAGE_REACTION_ADD") else { throw GuildhallError(.invalidInput, "reaction") }
        #expect(reaction.emoji.name == "🎉")
        #expect(reaction.emoji.id == nil)
        guard case .voiceStateUpdate(let voice) = try event("VOICE_STATE_UPDATE") else { throw GuildhallError(.invalidInput, "voice") }
        #expect(voice.channelID == nil && voice.selfMute)
        guard case .guildRoleDelete(let deleted) = try event("GUILD_ROLE_DELETE") else { throw GuildhallError(.invalidInput, "role") }
        #expect(deleted.roleID == Snowflake(41771983423143936))
        guard case .rateLimited(let limited) = try event("RATE_LIMITED") else { throw GuildhallError(.invalidInput, "rate") }
        #expect(limited.opcode == .requestGuildMembers)
        #expect(limited.retryAfter == 27.5)
    }

    @Test func unavailableGuildCreateIsItsOwnCase() throws {
        let payload = try JSON.decode(GatewayServerPayload.self, Self.frame("GUILD_CREATE", #"{"id": "\#(Self.guild)", "unavailable": true}"#))
        guard case .dispatch(_, .guildCreateUnavailable(let guild)) = payload else {
            Issue.record("expected an unavailable guild")
            return
        }
        #expect(guild.id == Snowflake(41771983423143937))
        #expect(GatewayEvent.guildCreateUnavailable(guild).name == "GUILD_CREATE")
        #expect(GatewayEvent.guildCreateUnavailable(guild).guildID == guild.id)
        // Neither a guild nor an unavailable one: the decoding error surfaces.
        #expect(throws: (any Error).self) { try JSON.decode(GatewayServerPayload.self, Self.frame("GUILD_CREATE", #"{"id": "1"}"#)) }
    }

    @Test func unknownEventsKeepTheirNameAndBytes() throws {
        let data = #"{"user_id": "1", "channel_id": "2", "timestamp": 1700000000}"#
        let payload = try JSON.decode(GatewayServerPayload.self, Self.frame("TYPING_START", data, sequence: 9))
        guard case .dispatch(9, .unknown(let name, let raw)) = payload else {
            Issue.record("expected an unknown event")
            return
        }
        #expect(name == "TYPING_START")
        #expect(try raw.value() == JSON.tree(data))
        #expect(GatewayEvent.unknown(name: name, data: raw).guildID == nil)
        #expect(try JSON.tree(of: payload)["d"] == JSON.tree(data))
        guard case .dispatch(_, .unknown(_, let empty)) = try JSON.decode(GatewayServerPayload.self, #"{"op": 0, "s": 1, "t": "NEW_THING"}"#) else {
            Issue.record("expected an unknown event without d")
            return
        }
        #expect(empty.description == "null")
    }
}
