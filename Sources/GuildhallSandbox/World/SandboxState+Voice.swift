import GuildhallCore
import GuildhallDiscordModels

/// Voice: members joining, leaving, moving between and muting in voice channels (control
/// API), with the VOICE_STATE_UPDATE Discord sends for each change. No audio is involved.
extension SandboxState {
    /// What a member's voice connection becomes; `channelID` nil disconnects them.
    public struct VoiceChange: Sendable, Equatable {
        public var channelID: Snowflake?
        public var selfMute: Bool
        public var selfDeaf: Bool
        public var mute: Bool
        public var deaf: Bool

        public init(channelID: Snowflake?, selfMute: Bool = false, selfDeaf: Bool = false, mute: Bool = false, deaf: Bool = false) {
            self.channelID = channelID
            self.selfMute = selfMute
            self.selfDeaf = selfDeaf
            self.mute = mute
            self.deaf = deaf
        }
    }

    /// Applies `change` for `userID`; no event when nothing changed (as on Discord).
    mutating func setVoiceState(guildID: Snowflake, userID: Snowflake, _ change: VoiceChange, now: Double) throws(SandboxAPIError) -> [SandboxDispatch] {
        let guild = try guild(guildID)
        _ = try member(userID, in: guildID)
        guard let channelID = change.channelID else {
            return disconnectVoice(userID, guildID: guildID)
        }
        let channel = try channel(channelID)
        guard channel.guildID == guildID, channel.kind == .voice else {
            throw .invalidFormBody(["channel_id"], code: "CHANNEL_TYPE_INVALID", message: "Not a voice channel of this guild.")
        }
        guard permissions(of: userID, in: guild, channel: channel, now: now).contains(.viewChannel) else { throw .missingAccess }
        let previous = guild.voiceStates[userID]
        let state = SandboxVoiceState(
            userID: userID, channelID: channelID, sessionID: previous?.sessionID ?? "voice-\(nextID())",
            selfMute: change.selfMute, selfDeaf: change.selfDeaf, mute: change.mute, deaf: change.deaf
        )
        guard state != previous else { return [] }
        guilds[guildID]?.voiceStates[userID] = state
        return [event("VOICE_STATE_UPDATE", guild: guildID, intents: SandboxIntents.guildVoiceStates, voiceStateJSON(state, guildID: guildID))]
    }

    /// Takes `userID` out of voice (leaving, kicked, banned); no event when they were not in it.
    mutating func disconnectVoice(_ userID: Snowflake, guildID: Snowflake) -> [SandboxDispatch] {
        guard let previous = guilds[guildID]?.voiceStates.removeValue(forKey: userID) else { return [] }
        var json = voiceStateJSON(previous, guildID: guildID)
        json = SandboxWire.set(json, "channel_id", .null)
        return [event("VOICE_STATE_UPDATE", guild: guildID, intents: SandboxIntents.guildVoiceStates, json)]
    }

    /// A voice state object; GUILD_CREATE's list leaves out `guild_id`.
    func voiceStateJSON(_ state: SandboxVoiceState, guildID: Snowflake?) -> JSONValue {
        let member = guildID.flatMap { guilds[$0]?.members[state.userID] }
        let model = GatewayVoiceState(
            guildID: guildID, channelID: state.channelID, userID: state.userID, sessionID: state.sessionID,
            deaf: state.deaf, mute: state.mute, selfDeaf: state.selfDeaf, selfMute: state.selfMute, selfStream: false
        )
        var json = SandboxWire.json(model)
        if let member { json = SandboxWire.set(json, "member", memberJSON(member)) }
        return json
    }
}
