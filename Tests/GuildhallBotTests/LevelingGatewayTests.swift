import Foundation
import GuildhallBackends
@testable import GuildhallBot
import GuildhallCore
import GuildhallLeveling
import GuildhallSandbox
import Testing

/// Issue #6's first acceptance line, over the real gateway path: MESSAGE_CREATE from the
/// sandbox into the leveling handler and the atomic award.
@Suite("leveling over the gateway")
struct LevelingGatewayTests {
    @Test("a member posting 3 messages within the cooldown gets XP once; bots and guilds without leveling get none")
    func threeMessagesOnce() async throws {
        let awards = XPAwards(cache: Backends.inProcess().cache)
        let harness = try await SandboxBotHarness.start(guilds: 2, shards: 1) { settings, logs in
            [LevelingMessageHandler(settings: settings, awards: awards, logger: logs.logger(label: "leveling"))]
        }
        defer { Task { await harness.stop() } }
        #expect(try await harness.waitUntilReady())
        let (on, off) = (harness.guilds[0], harness.guilds[1])
        let registered = await eventually { harness.recorder.named("GUILD_CREATE").count == 2 }
        #expect(registered)
        try await harness.settings.setModule(.leveling, enabled: true, guild: on.id, actor: on.ownerID, access: .owner)

        let member = try #require(on.orderedMembers.first { $0.userID != on.ownerID && $0.userID != harness.sandbox.world.read { $0.application.botUserID } })
        for index in 0..<3 {
            _ = try harness.sandbox.control.postMessage(channelID: harness.textChannel(of: on), userID: member.userID, content: "message \(index)")
        }
        _ = try harness.sandbox.control.postMessage(channelID: harness.textChannel(of: off), userID: off.ownerID, content: "no leveling here")
        let seen = await eventually { harness.recorder.named("MESSAGE_CREATE").count == 4 }
        #expect(seen)
        let earned = await eventually { (try? await awards.total(of: member.userID, in: on.id)) ?? 0 > 0 }
        #expect(earned)
        // The handler runs after the recorder; give the last two messages the same chance.
        try await Task.sleep(for: .milliseconds(300))
        let total = try await awards.total(of: member.userID, in: on.id)
        #expect((15...25).contains(total), "one award of 15 to 25 XP, got \(total)")
        #expect(try await awards.total(of: off.ownerID, in: off.id) == 0, "leveling is off in the other guild")
    }
}
