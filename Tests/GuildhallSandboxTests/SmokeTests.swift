import Foundation
import GuildhallDiscordModels
import Testing
@testable import GuildhallSandbox

@Suite("Sandbox smoke")
struct SmokeTests {
    @Test("identify, READY, GUILD_CREATE, MESSAGE_CREATE and a REST post")
    func endToEnd() async throws {
        try await SandboxHarness.with({ $0.rateLimits = .discordLike }) { sandbox in
            let (client, ready, creates) = try await sandbox.identifiedClient()
            #expect(ready["d"]?["session_id"]?.stringValue?.isEmpty == false)
            #expect(creates.count == 4)
            let guild = sandbox.firstGuild
            let general = sandbox.channel(named: "general", in: guild)
            let member = sandbox.member("member", in: guild)
            _ = try sandbox.control.postMessage(channelID: general.id, userID: member.userID, content: "hello sandbox")
            let created = try await client.expect(op: 0, t: "MESSAGE_CREATE")
            #expect(created["d"]?["content"]?.stringValue == "hello sandbox")
            #expect(created["s"]?.integerValue == 6)
            let reply = try await sandbox.api(.POST, "/channels/\(general.id)/messages", json: .object(["content": .string("hi from the bot")]))
            #expect(reply.status == 200, "\(reply.text)")
            #expect(reply.header("x-ratelimit-limit") == "5")
        }
    }
}
