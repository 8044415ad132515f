import Foundation
import GuildhallCore
import GuildhallDiscordModels
import Testing
@testable import GuildhallSandbox

@Suite("Sandbox voice states")
struct VoiceStateTests {
    static let intents = SandboxIntents.guilds | SandboxIntents.guildVoiceStates

    @Test("joining, muting and leaving voice through the control API send VOICE_STATE_UPDATE; a reconnect's GUILD_CREATE lists who is in voice")
    func joinMuteLeave() async throws {
        try await SandboxHarness.with { sandbox in
            let (client, _, _) = try await sandbox.identifiedClient(intents: Self.intents)
            let guild = sandbox.firstGuild
            let lounge = sandbox.channel(named: "Lounge", in: guild).id
            let member = sandbox.member("member", in: guild).userID

            let joined = try await sandbox.sandbox(.PUT, "/guilds/\(guild.id)/voice-states/\(member)", json: .object(["channel_id": .string(lounge.description)]))
            #expect(joined.status == 204, "\(joined.text)")
            let join = try await client.expect(op: 0, t: "VOICE_STATE_UPDATE")
            let state = try JSONDecoder().decode(GatewayVoiceState.self, from: Data(SandboxWire.bytes(join["d"]!)))
            #expect(state.guildID == guild.id && state.channelID == lounge && state.userID == member && !state.selfMute)
            #expect(state.member?.user?.id == member, "the member object comes with it")

            _ = try await sandbox.sandbox(.PUT, "/guilds/\(guild.id)/voice-states/\(member)",
                                          json: .object(["channel_id": .string(lounge.description), "self_mute": .bool(true)]))
            let mute = try await client.expect(op: 0, t: "VOICE_STATE_UPDATE")
            #expect(mute["d"]?["self_mute"] == .bool(true) && mute["d"]?["session_id"] == join["d"]?["session_id"])
            let unchanged = try await sandbox.sandbox(.PUT, "/guilds/\(guild.id)/voice-states/\(member)",
                                                      json: .object(["channel_id": .string(lounge.description), "self_mute": .bool(true)]))
            #expect(unchanged.status == 204)

            let (second, _, creates) = try await sandbox.identifiedClient(intents: Self.intents)
            let create = try #require(creates.first { $0["d"]?["id"] == .string(guild.id.description) })
            #expect(create["d"]?["voice_states"]?[0]?["user_id"] == .string(member.description))
            #expect(create["d"]?["voice_states"]?[0]?["guild_id"] == nil, "GUILD_CREATE's voice states leave out guild_id")
            try await second.close(code: 1000)

            _ = try await sandbox.sandbox(.PUT, "/guilds/\(guild.id)/voice-states/\(member)", json: .object(["channel_id": .null]))
            let leave = try await client.expect(op: 0, t: "VOICE_STATE_UPDATE")
            #expect(leave["d"]?["channel_id"] == .null, "the unchanged mute sent nothing; the next event is the leave")
            #expect(sandbox.world.read { $0.guilds[guild.id]?.voiceStates.isEmpty == true })
            try await client.close(code: 1000)
        }
    }

    @Test("a member leaving the guild leaves voice first")
    func leavingTheGuild() async throws {
        try await SandboxHarness.with { sandbox in
            let (client, _, _) = try await sandbox.identifiedClient(intents: Self.intents | SandboxIntents.guildMembers)
            let guild = sandbox.firstGuild
            let lounge = sandbox.channel(named: "Lounge", in: guild).id
            let member = sandbox.member("member", in: guild).userID
            try sandbox.control.setVoiceState(guildID: guild.id, userID: member, .init(channelID: lounge, deaf: true))
            _ = try await client.expect(op: 0, t: "VOICE_STATE_UPDATE")
            try sandbox.control.removeMember(guildID: guild.id, userID: member)
            let leave = try await client.expect(op: 0, t: "VOICE_STATE_UPDATE")
            #expect(leave["d"]?["channel_id"] == .null && leave["d"]?["user_id"] == .string(member.description))
            _ = try await client.expect(op: 0, t: "GUILD_MEMBER_REMOVE")
            try await client.close(code: 1000)
        }
    }

    @Test("bad input is refused and changes nothing: a text channel, another guild's channel, a stranger, a bad id")
    func badInput() async throws {
        try await SandboxHarness.with { sandbox in
            let guild = sandbox.firstGuild
            let other = sandbox.state.orderedGuilds[1]
            let member = sandbox.member("member", in: guild).userID
            let general = sandbox.channel(named: "general", in: guild).id
            let foreignLounge = sandbox.channel(named: "Lounge", in: other).id
            let text = try await sandbox.sandbox(.PUT, "/guilds/\(guild.id)/voice-states/\(member)", json: .object(["channel_id": .string(general.description)]))
            #expect(text.status == 400 && text.json["code"] == .integer(50035))
            let foreign = try await sandbox.sandbox(.PUT, "/guilds/\(guild.id)/voice-states/\(member)", json: .object(["channel_id": .string(foreignLounge.description)]))
            #expect(foreign.status == 400)
            let stranger = sandbox.member("member", in: other).userID
            let lounge = sandbox.channel(named: "Lounge", in: guild).id
            let notMember = try await sandbox.sandbox(.PUT, "/guilds/\(guild.id)/voice-states/\(stranger)", json: .object(["channel_id": .string(lounge.description)]))
            #expect(notMember.status == 404)
            let badID = try await sandbox.sandbox(.PUT, "/guilds/\(guild.id)/voice-states/ada", json: .object(["channel_id": .string(lounge.description)]))
            #expect(badID.status == 400)
            let badBody = try await sandbox.sandbox(.PUT, "/guilds/\(guild.id)/voice-states/\(member)", json: .object(["channel_id": .string("nope")]))
            #expect(badBody.status == 400)
            #expect(sandbox.world.read { $0.guilds[guild.id]?.voiceStates.isEmpty == true })
        }
    }
}
