import FluentKit
import Foundation
@testable import GuildhallBot
import GuildhallCore
import GuildhallDiscordGateway
import GuildhallDiscordModels
import GuildhallGuildSettings
import GuildhallSandbox
import GuildhallStorage
import GuildhallTestSupport
import Testing

/// The bot runtime against the sandbox Discord over real loopback sockets: shard routing,
/// resume after a dropped connection, op 9, command registration and `/modules`.
@Suite("bot runtime against the sandbox Discord", .serialized)
struct BotGatewayEndToEndTests {
    @Test("40 guilds on 4 shards: each guild's events arrive on (guild_id >> 22) % 4; a drop mid-traffic resumes with no dispatch missed or repeated")
    func routingAndResume() async throws {
        let harness = try await SandboxBotHarness.start(guilds: 40, shards: 4)
        defer { Task { await harness.stop() } }
        #expect(try await harness.waitUntilReady())
        for created in harness.recorder.named("GUILD_CREATE") {
            #expect(created.shardID == created.guildID!.shard(count: 4))
        }

        var posted: Set<Snowflake> = []
        for round in 0..<6 {
            for guild in harness.guilds {
                let message = try harness.sandbox.control.postMessage(
                    channelID: harness.textChannel(of: guild), userID: guild.ownerID, content: "round \(round)"
                )
                posted.insert(message.id)
            }
            if round == 2 {
                // Drop shard 1 abruptly in the middle of the traffic.
                #expect(harness.sandbox.control.dropConnections(shard: 1) == 1)
            }
        }
        let arrived = await waitUntil {
            Set(harness.recorder.named("MESSAGE_CREATE").compactMap(\.messageID)) == posted
        }
        #expect(arrived, "every posted message reached the bot")
        let messages = harness.recorder.named("MESSAGE_CREATE")
        #expect(messages.count == posted.count, "no dispatch was delivered twice")
        for message in messages {
            #expect(message.shardID == message.guildID!.shard(count: 4), "guild \(message.guildID!) on shard \(message.shardID)")
        }
        // Sequence numbers rise by exactly one per dispatch on each shard's session.
        for shard in 0..<4 {
            let sequences = harness.recorder.all.filter { $0.shardID == shard }.compactMap(\.sequence)
            #expect(sequences == Array(1...(sequences.last ?? 0)), "shard \(shard): \(sequences)")
        }
        let shardOne = try #require(harness.runtime.manager.snapshots.first { $0.shardID == 1 })
        #expect(shardOne.resumes >= 1 && shardOne.identifies == 1, "shard 1 resumed instead of identifying again")
        // The logs tell the same story: four shards started, shard 1's connection closed and came back.
        #expect(harness.logs.with(message: "gateway shard starting").count == 4)
        #expect(harness.logs.with(message: "shard manager starting").first?.metadata["shard_count"] == "4")
        let closed = harness.logs.with(message: "gateway connection closed").filter { $0.metadata["shard_id"] == "1" }
        #expect(!closed.isEmpty, "the dropped connection is logged with its shard")
        #expect(harness.logs.with(message: "shard ready").count >= 4)
    }

    @Test("op 9 with d=false makes the shard identify afresh; the global commands are registered once")
    func invalidSessionAndCommands() async throws {
        let harness = try await SandboxBotHarness.start(guilds: 4, shards: 2)
        defer { Task { await harness.stop() } }
        #expect(try await harness.waitUntilReady())
        let registered = await waitUntil {
            harness.sandbox.world.read { $0.globalCommands.map(\.name) } == ["modules"]
        }
        #expect(registered)
        let readyBefore = harness.recorder.named("READY").filter { $0.shardID == 0 }.count
        #expect(harness.sandbox.control.invalidateSessions(shard: 0, resumable: false) == 1)
        let reidentified = await waitUntil {
            harness.runtime.manager.snapshots.first { $0.shardID == 0 }?.identifies == 2
                && harness.recorder.named("READY").filter { $0.shardID == 0 }.count == readyBefore + 1
        }
        #expect(reidentified)
        #expect(harness.sandbox.world.read { $0.globalCommands.count } == 1)
    }

    @Test("/modules over the gateway: the owner switches leveling on, twice is a no-op, a plain member is refused and nothing changes")
    func modulesCommand() async throws {
        let harness = try await SandboxBotHarness.start(guilds: 2, shards: 1)
        defer { Task { await harness.stop() } }
        #expect(try await harness.waitUntilReady())
        #expect(await waitUntil { !harness.sandbox.world.read { $0.globalCommands }.isEmpty })
        let guild = harness.guilds[0]
        let channel = harness.textChannel(of: guild)

        let enable = try await harness.sandbox.control.invokeCommand(
            channelID: channel, userID: guild.ownerID, name: "modules", options: [Self.subcommand("enable", module: "leveling")]
        )
        let answered = try #require(await harness.response(to: enable))
        #expect(answered.responseType == 4)
        #expect(answered.response?["data"]?["content"]?.stringValue == "Leveling is now on.")
        #expect(try await harness.settings.settings(for: guild.id).isEnabled("leveling"))

        let again = try #require(await harness.response(to: try await harness.sandbox.control.invokeCommand(
            channelID: channel, userID: guild.ownerID, name: "modules", options: [Self.subcommand("enable", module: "leveling")]
        )))
        #expect(again.response?["data"]?["content"]?.stringValue == "Leveling was already on; nothing changed.")

        // Discord itself hides and refuses a command whose default_member_permissions the member
        // lacks; the sandbox does the same. (The bot's own check, for guilds that override
        // command permissions, is covered in InteractionRouterTests.)
        let member = harness.plainMember(of: guild)
        await #expect(throws: (any Error).self) {
            try await harness.sandbox.control.invokeCommand(
                channelID: channel, userID: member, name: "modules", options: [Self.subcommand("disable", module: "leveling")]
            )
        }
        #expect(try await harness.settings.settings(for: guild.id).isEnabled("leveling"), "the refused change changed nothing")

        let list = try #require(await harness.response(to: try await harness.sandbox.control.invokeCommand(
            channelID: channel, userID: guild.ownerID, name: "modules", options: [.object(["type": .integer(1), "name": .string("list")])]
        )))
        let listing = list.response?["data"]?["content"]?.stringValue ?? ""
        #expect(listing.contains("on  — Leveling") && listing.contains("off — Giveaways"), "\(listing)")
    }

    @Test("the bot removed from a guild marks it left and keeps its settings; an outage's GUILD_DELETE does not")
    func guildLeft() async throws {
        let harness = try await SandboxBotHarness.start(guilds: 2, shards: 1)
        defer { Task { await harness.stop() } }
        #expect(try await harness.waitUntilReady())
        let (kept, removed) = (harness.guilds[0], harness.guilds[1])
        let registered = await waitUntil { try await GuildRecord.query(on: harness.database.database).count() == 2 }
        #expect(registered)
        try await harness.settings.setModule("leveling", enabled: true, guild: removed.id, actor: removed.ownerID, access: .owner)

        // An outage: unavailable is true, the guild is not left.
        await harness.runtime.handle(ShardEvent(shardID: 0, sequence: nil, event: .guildDelete(UnavailableGuild(id: kept.id, unavailable: true))))
        #expect(try await GuildRecord.find(kept.id.databaseValue, on: harness.database.database)?.leftAt == nil)

        try harness.sandbox.control.removeBot(guildID: removed.id)
        let left = await waitUntil { try await GuildRecord.find(removed.id.databaseValue, on: harness.database.database)?.leftAt != nil }
        #expect(left, "GUILD_DELETE without unavailable marks the guild left")
        #expect(try await harness.settings.settings(for: removed.id).isEnabled("leveling"), "its settings are kept")
        #expect(try await GuildRecord.find(kept.id.databaseValue, on: harness.database.database)?.leftAt == nil)
        #expect(try await !harness.settings.markLeft(guild: removed.id), "leaving twice changes nothing")
    }

    static func subcommand(_ name: String, module: String) -> JSONValue {
        .object([
            "type": .integer(1), "name": .string(name),
            "options": .array([.object(["type": .integer(3), "name": .string("module"), "value": .string(module)])]),
        ])
    }
}
